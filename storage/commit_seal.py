"""The vault's count of acknowledged changes, sealed outside the WAL in ``vault.commits``.

A change the vault has acknowledged lives in ``vault.db-wal`` until a checkpoint copies it
into ``vault.db``. If that file is deleted, cut short or damaged, SQLite opens the database
as it was at the last checkpoint without a word. So:

* the database keeps a counter (``commit_seal.counter``, migration 0015) that every write
  transaction which changed a row raises just before it commits
  (``storage.transactions.transaction``);
* right after the commit, ``vault.commits`` is replaced (atomically, fsynced) by the new
  count, authenticated with HMAC-SHA256 under ``commit_seal.seal_key``: 32 random bytes
  kept inside the encrypted database, so nobody without the data key can forge a seal, and
  a data-key rotation does not touch it;
* at open, before anything is written, a database whose counter is behind the seal is
  refused (``ChangesMissing``), and so is a seal that is missing or does not verify once
  the vault has counted a change.

A kill between the commit and the seal leaves the database ahead of the seal: that is
fine, and the next open writes the seal up to date. The first seal (count 0) is written
before any change is counted, so once the counter is above 0 a missing ``vault.commits``
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
MAGIC = b"HVCOMMITS1"
_COUNTER = struct.Struct(">Q")
_MAC_BYTES = 32
SEAL_BYTES = len(MAGIC) + 16 + _COUNTER.size + _MAC_BYTES
KEY_BYTES = 32


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


def _body(vault_id: uuid.UUID, counter: int) -> bytes:
    return MAGIC + vault_id.bytes + _COUNTER.pack(counter)


def encode(key: bytes, vault_id: uuid.UUID, counter: int) -> bytes:
    body = _body(vault_id, counter)
    return body + _mac(key, body).finalize()


class SealUnreadable(Exception):
    """``vault.commits`` is not a seal of this vault made with its key."""


def decode(data: bytes, key: bytes, vault_id: uuid.UUID) -> int:
    """The count sealed in ``data``; ``SealUnreadable`` unless it verifies for this vault."""
    if len(data) != SEAL_BYTES or not data.startswith(MAGIC):
        raise SealUnreadable("is not a Homevisit commit record")
    body, tag = data[:-_MAC_BYTES], data[-_MAC_BYTES:]
    try:
        _mac(key, body).verify(tag)
    except InvalidSignature:
        raise SealUnreadable("has been altered or belongs to another vault") from None
    if body[len(MAGIC):len(MAGIC) + 16] != vault_id.bytes:
        raise SealUnreadable("belongs to another vault")
    return int(_COUNTER.unpack(body[len(MAGIC) + 16:])[0])


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
    if sealed > have.counter:
        return ChangesMissing.behind_seal(database, sealed - have.counter)
    return None


class CommitSeal:
    """Writes ``vault.commits`` after each counted commit; shared by a vault's connections."""

    def __init__(self, path: Path, vault_id: uuid.UUID, key: bytes, written: int) -> None:
        self.path = path
        self._vault_id = vault_id
        self._key = key
        self._written = written
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
                atomic_write(self.path, encode(self._key, self._vault_id, counter))
            except OSError:
                logger.warning("could not update %s; the vault's changes are kept",
                               self.path.name, exc_info=True)
                return
            self._written = counter


def start(conn: Any, seal_path: Path, vault_id: uuid.UUID) -> CommitSeal | None:
    """After ``missing_changes`` found nothing (or its finding was accepted): make sure the
    database has a seal key and the seal matches the database's count; the sealer to attach
    to the vault's connections, or ``None`` for a schema without the counter."""
    have = counted(conn)
    if have is None:
        return None
    key = have.key
    if key is None:
        conn.execute("UPDATE commit_seal SET seal_key = ? WHERE id = 1 AND seal_key IS NULL",
                     (os.urandom(KEY_BYTES),))
        refreshed = counted(conn)
        assert refreshed is not None and refreshed.key is not None
        key = refreshed.key
        have = refreshed
    current: int | None = None
    if seal_path.exists():
        try:
            current = decode(seal_path.read_bytes(), key, vault_id)
        except SealUnreadable:
            current = None  # accepted by IT, or caught by missing_changes before this
    if current != have.counter:
        atomic_write(seal_path, encode(key, vault_id, have.counter))
    return CommitSeal(seal_path, vault_id, key, have.counter)
