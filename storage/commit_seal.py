"""The vault's count of acknowledged changes, sealed outside the WAL in ``vault.commits``.

A change the vault has acknowledged lives in ``vault.db-wal`` until a checkpoint copies it
into ``vault.db``. If that file is deleted, cut short or damaged, SQLite opens the database
as it was at the last checkpoint without a word. So:

* the database keeps a counter (``commit_seal.counter``, migration 0015) that every write
  transaction which changed a row raises just before it commits
  (``storage.transactions.transaction``);
* right after the commit the new count is written into ``vault.commits``, authenticated
  with HMAC-SHA256 under ``commit_seal.seal_key``: 32 random bytes kept inside the
  encrypted database, so nobody without the data key can forge a seal, and a data-key
  rotation does not touch it;
* at open, before anything is written, a database whose counter is behind the seal is
  refused (``ChangesMissing``), and so is a seal that is missing or does not verify once
  the vault has counted a change.

``vault.commits`` holds two fixed 512-byte slots, each a complete sealed count. A commit
overwrites the older slot in place and flushes it with one ``fdatasync``: no temporary
file, no rename, no flush of the folder (the previous layout, one record replaced
atomically, cost two ``fsync`` calls and a journal commit per write, docs/benchmarks.md).
The slot not being written always holds the previous count, so a write cut short by a
crash leaves one slot that does not verify and one that does. Such a write was for a
count the database had already committed, so the database must then be *above* the
valid slot; a database equal to it means a slot was altered, and is refused like any
altered seal.

The seal is written only once SQLite's commit has flushed the WAL (synchronous=FULL), never
flushed alongside it: a seal on disk before its commit would, after a power cut, leave the
same files as an acknowledged commit lost from the WAL, and be refused (docs/security.md,
states S5 and S6). A kill between the commit and the seal leaves the database ahead of the
seal: that is fine, and the next open writes the seal up to date. The first seal (count 0)
is written before any change is counted, so once the counter is above 0 a missing ``vault.commits``
means it was removed. Limits: a copy of the whole folder taken earlier (database, WAL and
seal together) is a consistent older vault and opens; only central can tell it is behind.
"""

from __future__ import annotations

import logging
import os
import struct
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac

from storage.errors import ChangesMissing
from storage.files import atomic_write

logger = logging.getLogger(__name__)

SEAL_FILE_NAME = "vault.commits"
MAGIC = b"HVCOMMITS2"
# The single-record layout vault.commits had before the two slots: read once, then rewritten.
FIRST_LAYOUT_MAGIC = b"HVCOMMITS1"
_COUNTER = struct.Struct(">Q")
_MAC_BYTES = 32
RECORD_BYTES = len(MAGIC) + 16 + _COUNTER.size + _MAC_BYTES
# One slot a disk sector, so that writing one never touches the other.
SLOT_BYTES = 512
SLOTS = 2
SEAL_BYTES = SLOT_BYTES * SLOTS
KEY_BYTES = 32

# fdatasync skips the metadata a same-size overwrite does not change (it is fsync elsewhere).
_flush = getattr(os, "fdatasync", os.fsync)


@dataclass(frozen=True)
class Counted:
    """What the database says: its counter and the key its seals are made with."""

    counter: int
    key: bytes | None


def counted(conn: Any) -> Counted | None:
    """The database's count, or ``None`` when its schema predates migration 0015."""
    try:
        row = conn.execute("SELECT counter, seal_key FROM commit_seal WHERE id = 1").fetchone()
    except sqlcipher3.OperationalError as error:
        if "no such table" in str(error):
            return None
        raise
    if row is None:
        return None
    return Counted(int(row[0]), None if row[1] is None else bytes(row[1]))


def advance(conn: Any) -> int:
    """Raise the counter inside the caller's open transaction; the new count."""
    row = conn.execute(
        "UPDATE commit_seal SET counter = counter + 1 WHERE id = 1 RETURNING counter"
    ).fetchone()
    return int(row[0])


def _mac(key: bytes, body: bytes) -> hmac.HMAC:
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(body)
    return mac


def encode_record(key: bytes, vault_id: uuid.UUID, counter: int, magic: bytes = MAGIC) -> bytes:
    """One sealed count (``RECORD_BYTES``)."""
    body = magic + vault_id.bytes + _COUNTER.pack(counter)
    return body + _mac(key, body).finalize()


def encode_slot(key: bytes, vault_id: uuid.UUID, counter: int) -> bytes:
    return encode_record(key, vault_id, counter).ljust(SLOT_BYTES, b"\0")


def encode(key: bytes, vault_id: uuid.UUID, counter: int) -> bytes:
    """A whole ``vault.commits`` with ``counter`` in both slots."""
    return encode_slot(key, vault_id, counter) * SLOTS


class SealUnreadable(Exception):
    """``vault.commits`` is not a seal of this vault made with its key."""


def _decode_record(record: bytes, key: bytes, vault_id: uuid.UUID, magic: bytes) -> int:
    if not record.startswith(magic):
        raise SealUnreadable("is not a Homevisit commit record")
    body, tag = record[:-_MAC_BYTES], record[-_MAC_BYTES:]
    try:
        _mac(key, body).verify(tag)
    except InvalidSignature:
        raise SealUnreadable("has been altered or belongs to another vault") from None
    if body[len(magic):len(magic) + 16] != vault_id.bytes:
        raise SealUnreadable("belongs to another vault")
    return int(_COUNTER.unpack(body[len(magic) + 16:])[0])


@dataclass(frozen=True)
class Sealed:
    """What ``vault.commits`` says.

    ``counter`` is the highest count in a slot that verifies. ``torn``: the other slot does
    not verify, which a crash can explain only while writing a count above ``counter``.
    ``newest_slot`` is where ``counter`` is (``None`` for the single-record layout).
    """

    counter: int
    torn: bool
    newest_slot: int | None

    @property
    def least_in_database(self) -> int:
        """The lowest database count this seal allows."""
        return self.counter + 1 if self.torn else self.counter


def decode(data: bytes, key: bytes, vault_id: uuid.UUID) -> Sealed:
    """What ``data`` seals; ``SealUnreadable`` unless at least one slot verifies."""
    if len(data) == RECORD_BYTES and data.startswith(FIRST_LAYOUT_MAGIC):
        return Sealed(_decode_record(data, key, vault_id, FIRST_LAYOUT_MAGIC), False, None)
    if len(data) != SEAL_BYTES:
        raise SealUnreadable("is not a Homevisit commit record")
    counts: list[int | None] = []
    unreadable: SealUnreadable | None = None
    for slot in range(SLOTS):
        record = data[slot * SLOT_BYTES:slot * SLOT_BYTES + RECORD_BYTES]
        try:
            counts.append(_decode_record(record, key, vault_id, MAGIC))
        except SealUnreadable as error:
            counts.append(None)
            unreadable = error
    valid = [(count, slot) for slot, count in enumerate(counts) if count is not None]
    if not valid:
        assert unreadable is not None
        raise unreadable
    counter, newest = max(valid)
    return Sealed(counter, len(valid) < SLOTS, newest)


def missing_changes(conn: Any, seal_path: Path, database: Path,
                    vault_id: uuid.UUID) -> ChangesMissing | None:
    """What the database lacks of what the seal acknowledged; ``None`` if nothing.

    Reads only. Call it before migrating, so that a refused vault is left as it was.
    """
    have = counted(conn)
    present = seal_path.exists()
    if have is None or have.key is None:
        # Sealed vaults always have their key in the database: the seal is written only
        # after the key is committed. A seal here means the database lost that commit.
        return ChangesMissing.behind_seal(database, None) if present else None
    if not present:
        if have.counter == 0:
            return None  # sealed for the first time at this open
        return ChangesMissing.seal_unreadable(database, seal_path, "is missing")
    try:
        sealed = decode(seal_path.read_bytes(), have.key, vault_id)
    except SealUnreadable as unreadable:
        return ChangesMissing.seal_unreadable(database, seal_path, str(unreadable))
    if sealed.counter > have.counter:
        return ChangesMissing.behind_seal(database, sealed.counter - have.counter)
    if have.counter < sealed.least_in_database:
        return ChangesMissing.seal_unreadable(
            database, seal_path, "has been altered (one of its two records does not verify)")
    return None


class CommitSeal:
    """Writes each counted commit into ``vault.commits``; shared by a vault's connections."""

    def __init__(self, path: Path, vault_id: uuid.UUID, key: bytes, written: int,
                 next_slot: int) -> None:
        self.path = path
        self._vault_id = vault_id
        self._key = key
        self._written = written
        self._next_slot = next_slot
        self._lock = threading.Lock()

    def record(self, counter: int) -> None:
        """Seal ``counter`` (never lower than already sealed here).

        A seal that cannot be written leaves the database ahead of it, which opens: the
        change itself is kept, so this logs instead of failing a save that succeeded.
        """
        with self._lock:
            if counter <= self._written:
                return
            try:
                self._write(counter)
            except OSError:
                logger.warning("could not update %s; the vault's changes are kept",
                               self.path.name, exc_info=True)
                return
            self._written = counter

    def _write(self, counter: int) -> None:
        try:
            descriptor = os.open(self.path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            # Removed while the vault was open: start again with the count in both slots.
            atomic_write(self.path, encode(self._key, self._vault_id, counter))
            self._next_slot = 0
            return
        try:
            os.lseek(descriptor, self._next_slot * SLOT_BYTES, os.SEEK_SET)
            slot = encode_slot(self._key, self._vault_id, counter)
            if os.write(descriptor, slot) != len(slot):
                raise OSError(f"short write to {self.path.name}")
            _flush(descriptor)
        finally:
            os.close(descriptor)
        # Only after a whole, flushed write: a failed one is retried over the same slot,
        # so the other keeps the last good count.
        self._next_slot ^= 1


def _with_key(conn: Any, have: Counted) -> tuple[Counted, bytes]:
    """The database's count and seal key, the key made now if it has none yet."""
    if have.key is not None:
        return have, have.key
    conn.execute("UPDATE commit_seal SET seal_key = ? WHERE id = 1 AND seal_key IS NULL",
                 (os.urandom(KEY_BYTES),))
    refreshed = counted(conn)
    assert refreshed is not None and refreshed.key is not None
    return refreshed, refreshed.key


def _read(seal_path: Path, key: bytes, vault_id: uuid.UUID) -> Sealed | None:
    try:
        return decode(seal_path.read_bytes(), key, vault_id)
    except FileNotFoundError:
        return None
    except SealUnreadable:
        return None  # accepted by IT, or caught by missing_changes before this


def start(conn: Any, seal_path: Path, vault_id: uuid.UUID) -> CommitSeal | None:
    """After ``missing_changes`` found nothing (or its finding was accepted): make sure the
    database has a seal key and the seal matches the database's count; the sealer to attach
    to the vault's connections, or ``None`` for a schema without the counter."""
    found = counted(conn)
    if found is None:
        return None
    have, key = _with_key(conn, found)
    current = _read(seal_path, key, vault_id)
    if (current is not None and not current.torn and current.newest_slot is not None
            and current.counter == have.counter):
        return CommitSeal(seal_path, vault_id, key, have.counter, current.newest_slot ^ 1)
    # Whole and atomic (at open only): both slots hold the count, the next write goes to 0.
    atomic_write(seal_path, encode(key, vault_id, have.counter))
    return CommitSeal(seal_path, vault_id, key, have.counter, 0)
