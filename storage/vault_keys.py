"""The data key and ``vault.keys``: unwrapping it to open ``vault.db`` (passphrase with a
throttle, or IT's recovery key), rewrapping it, and rotating it.

Every read-modify-write of the key file holds its lock (``key_file_format.locked``). A
rotation is crash-safe: an interrupted one leaves a pending slot that the next open
settles (``open_resolving_rotation``).
"""

from __future__ import annotations

import hmac
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from storage import key_file_format, keyslots
from storage.errors import (
    KeyFileDamaged,
    NoRecoverySlot,
    PassphraseDisabled,
    VaultBusy,
    VaultDamaged,
    WrongPassphrase,
    WrongRecoveryKey,
)
from storage.keyslots import KdfParams, KeyFile, PendingKey, Throttle
from storage.vault_connection import (
    Connection,
    KeyDoesNotOpenError,
    close_quietly,
    connect,
    sql_key,
    translated,
)
from storage.vault_folder import VaultPaths

logger = logging.getLogger(__name__)


@dataclass
class Opened:
    """A data key that opened ``vault.db``, with the connection it opened."""

    key: bytearray
    vault_id: uuid.UUID
    connection: Connection | None
    failed_attempts_before_unlock: int


def _connect_if_it_opens(paths: VaultPaths, key: bytearray) -> Connection | None:
    """The connection ``key`` opens, or None when it does not decrypt page 1. Any other
    failure is the error it means: a damaged page of the list of tables, which the
    connection reads to open, is ``VaultDamaged`` like a damaged page 1, so that
    ``homevisit vault check`` lists it with the rest."""
    try:
        with translated(paths, "opening the database"):
            return connect(paths.database, key)
    except KeyDoesNotOpenError:
        return None


def _settled(key_file: KeyFile, pending_opened: bool) -> KeyFile:
    """``key_file`` without its pending slot: promoted if the pending key is the one in use."""
    pending = key_file.pending
    if pending is None:
        return key_file
    if pending_opened:
        logger.warning("finishing an interrupted key rotation")
        return replace(key_file, passphrase=pending.passphrase, recovery=pending.recovery,
                       pending=None)
    logger.warning("an interrupted key rotation never committed; key unchanged")
    return replace(key_file, pending=None)


def open_resolving_rotation(
    paths: VaultPaths,
    key_file: KeyFile,
    current_key: bytearray | None,
    pending_key: bytearray | None,
) -> tuple[bytearray, Connection, KeyFile]:
    """Open the database with whichever unwrapped key decrypts it.

    With a pending slot present a rotation was interrupted: if the current key still
    opens the database the rekey never committed (a hot journal is rolled back by this
    very open) and the pending slot is dropped; if only the pending key opens it the
    rekey committed and the pending slot is promoted. The caller writes the result.
    """
    if key_file.pending is None and pending_key is not None:
        keyslots.zero(pending_key)  # a pending key without a pending slot is no candidate
        pending_key = None
    for key, other, is_pending in ((current_key, pending_key, False),
                                   (pending_key, current_key, True)):
        conn = None if key is None else _connect_if_it_opens(paths, key)
        if key is not None and conn is not None:
            if other is not None:
                keyslots.zero(other)
            return key, conn, _settled(key_file, is_pending)
    for key in (current_key, pending_key):
        if key is not None:
            keyslots.zero(key)
    raise VaultDamaged(
        paths.database,
        ["page 1 does not decrypt with the vault's key: the file header is damaged"],
    )


def _unwrap_with_passphrase(
    key_file: KeyFile, passphrase: str
) -> tuple[bytearray | None, bytearray | None]:
    """The current and pending data keys ``passphrase`` opens (``None`` where it does not)."""
    slot = key_file.passphrase
    kek = keyslots.derive_kek(passphrase, slot.salt, slot.kdf)
    current_key = keyslots.unwrap_with_kek(slot, kek, key_file.vault_id)
    if key_file.pending is None:
        return current_key, None
    pending = key_file.pending.passphrase
    pending_kek = (
        kek
        if (pending.salt, pending.kdf) == (slot.salt, slot.kdf)
        else keyslots.derive_kek(passphrase, pending.salt, pending.kdf)
    )
    return current_key, keyslots.unwrap_with_kek(pending, pending_kek, key_file.vault_id)


def _refuse_passphrase(paths: VaultPaths, key_file: KeyFile, failed_unlock_limit: int) -> None:
    """Count a wrong passphrase in the key file, then raise what the worker is told."""
    throttle = keyslots.record_failure(key_file.throttle, failed_unlock_limit, keyslots.utcnow())
    key_file_format.write(paths.key_file, replace(key_file, throttle=throttle))
    logger.warning("vault unlock failed: wrong passphrase (%d in a row)", throttle.failed_attempts)
    if throttle.passphrase_disabled:
        logger.warning("passphrase slot disabled after %d failures", throttle.failed_attempts)
        raise PassphraseDisabled()
    raise WrongPassphrase(failed_unlock_limit - throttle.failed_attempts)


def unlock_with_passphrase(paths: VaultPaths, passphrase: str, failed_unlock_limit: int) -> Opened:
    """Throttle, unwrap, open; record the outcome in the key file. Holds the key-file lock."""
    if failed_unlock_limit < 1:
        raise ValueError("failed_unlock_limit must be at least 1")
    with key_file_format.locked(paths.lock_file):
        key_file = key_file_format.read(paths.key_file)
        keyslots.check_throttle(key_file.throttle, failed_unlock_limit, keyslots.utcnow())
        current_key, pending_key = _unwrap_with_passphrase(key_file, passphrase)
        if current_key is None and pending_key is None:
            _refuse_passphrase(paths, key_file, failed_unlock_limit)
        key, conn, resolved = open_resolving_rotation(paths, key_file, current_key, pending_key)
        resolved = replace(resolved, throttle=Throttle())
        if resolved != key_file:
            _write_or_let_go(paths, resolved, key, conn)
        return Opened(key, key_file.vault_id, conn, key_file.throttle.failed_attempts)


def _unwrap_with_recovery(
    key_file: KeyFile, private_key: bytes
) -> tuple[bytearray | None, bytearray | None]:
    """The current and pending data keys IT's private key opens (``None`` where it does not)."""
    pending_slot = key_file.pending.recovery if key_file.pending else None
    if key_file.recovery is None and pending_slot is None:
        raise NoRecoverySlot()
    current_key, pending_key = (
        None if slot is None
        else keyslots.unwrap_with_recovery_key(slot, private_key, key_file.vault_id)
        for slot in (key_file.recovery, pending_slot)
    )
    return current_key, pending_key


def unlock_with_recovery(
    paths: VaultPaths, recovery_private_key: bytes, new_passphrase: str, kdf: KdfParams | None
) -> Opened:
    """Open with IT's recovery key and wrap the data key to ``new_passphrase``, clearing the
    throttle. With no ``kdf`` the previous passphrase slot's parameters are kept."""
    with key_file_format.locked(paths.lock_file):
        key_file = key_file_format.read(paths.key_file)
        current_key, pending_key = _unwrap_with_recovery(key_file, recovery_private_key)
        if current_key is None and pending_key is None:
            logger.warning("vault recovery failed: wrong recovery key")
            raise WrongRecoveryKey()
        key, conn, resolved = open_resolving_rotation(paths, key_file, current_key, pending_key)
        try:
            slot = keyslots.wrap_with_passphrase(
                key, new_passphrase, key_file.vault_id, kdf or resolved.passphrase.kdf
            )
        except BaseException:
            _let_go(key, conn)
            raise
        resolved = replace(resolved, passphrase=slot, throttle=Throttle())
        _write_or_let_go(paths, resolved, key, conn)
        return Opened(key, key_file.vault_id, conn, key_file.throttle.failed_attempts)


def _let_go(key: bytearray, conn: Connection) -> None:
    close_quietly(conn)
    keyslots.zero(key)


def _write_or_let_go(paths: VaultPaths, resolved: KeyFile, key: bytearray,
                     conn: Connection) -> None:
    """Write the key file an open just resolved; if that fails, close and zero, then raise:
    no open vault is left behind a key file that does not say so."""
    try:
        key_file_format.write(paths.key_file, resolved)
    except BaseException:
        _let_go(key, conn)
        raise


def read_for_change(paths: VaultPaths, vault_id: uuid.UUID) -> KeyFile:
    """The key file of this vault, refused while a rotation is pending. Hold the lock."""
    key_file = key_file_format.read(paths.key_file)
    if key_file.vault_id != vault_id:
        raise KeyFileDamaged(paths.key_file, "the key file belongs to another vault")
    if key_file.pending is not None:
        raise VaultBusy("a data-key rotation is in progress")
    return key_file


def verify_passphrase(key_file: KeyFile, passphrase: str, key: bytearray) -> bytes:
    """The passphrase slot's KEK if ``passphrase`` opens it to ``key`` (the key in use)."""
    slot = key_file.passphrase
    kek = keyslots.derive_kek(passphrase, slot.salt, slot.kdf)
    unwrapped = keyslots.unwrap_with_kek(slot, kek, key_file.vault_id)
    matches = unwrapped is not None and hmac.compare_digest(unwrapped, key)
    if unwrapped is not None:
        keyslots.zero(unwrapped)
    if not matches:
        raise WrongPassphrase(None)
    return kek


def rekey_database(conn: Connection, new_key: bytearray) -> None:
    """Re-encrypt every page with ``new_key`` in one rollback-journal transaction."""
    conn.execute(f"PRAGMA rekey = {sql_key(new_key)}")


def _leave_wal(conn: Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    if str(mode).lower() != "delete":
        raise VaultBusy("another connection to the vault is open")


Adopt = Callable[[bytearray | None, Connection | None], None]
"""Told ``(None, None)`` when a failed rekey has closed the vault's connection, then the key
that opens the database and its new connection once reopened."""


def rotate_data_key(
    paths: VaultPaths,
    conn: Connection,
    key: bytearray,
    vault_id: uuid.UUID,
    passphrase: str,
    adopt: Adopt,
) -> bytearray:
    """Re-encrypt ``vault.db`` under a new random data key; the new key.

    Crash-safe in three steps, each of which leaves a state ``unlock`` can finish: (1) the
    new key is written to the pending slots of ``vault.keys`` (wrapped to the passphrase
    and, if set, to the recovery key); (2) ``PRAGMA rekey`` re-encrypts every page in one
    rollback-journal transaction (WAL is left for the duration, because a rekey in WAL mode
    is not safe with other readers and ``journal_mode = DELETE`` can only be set when no
    other connection is open); (3) the pending slots replace the current ones.

    If the rekey fails, ``conn`` is closed and the database reopened with whichever key
    decrypts it; ``adopt`` is told so before the error is re-raised.
    """
    with key_file_format.locked(paths.lock_file):
        key_file = read_for_change(paths, vault_id)
        kek = verify_passphrase(key_file, passphrase, key)
        new_key = bytearray(os.urandom(keyslots.DATA_KEY_BYTES))
        slot = key_file.passphrase
        pending = PendingKey(
            passphrase=keyslots.wrap_with_kek(new_key, kek, slot.salt, vault_id, slot.kdf),
            recovery=None
            if key_file.recovery is None
            else keyslots.wrap_for_recovery(
                new_key, key_file.recovery.recipient_public_key, vault_id
            ),
        )
        _leave_wal(conn)
        in_use: Connection | None = conn
        try:
            key_file_format.write(paths.key_file, replace(key_file, pending=pending))
            try:
                rekey_database(conn, new_key)
            except BaseException:
                in_use = None
                in_use = _settle_failed_rotation(
                    paths, conn, replace(key_file, pending=pending), key, new_key, adopt)
                raise
            promoted = replace(
                key_file, passphrase=pending.passphrase, recovery=pending.recovery, pending=None
            )
            key_file_format.write(paths.key_file, promoted)
        finally:
            if in_use is not None:
                in_use.execute("PRAGMA journal_mode = WAL")
        return new_key


def _settle_failed_rotation(
    paths: VaultPaths,
    conn: Connection,
    with_pending: KeyFile,
    old_key: bytearray,
    new_key: bytearray,
    adopt: Adopt,
) -> Connection:
    """After a failed rekey, reopen with whichever key decrypts the file and record it."""
    close_quietly(conn)
    adopt(None, None)
    key, reopened, resolved = open_resolving_rotation(
        paths, with_pending, bytearray(old_key), bytearray(new_key)
    )
    keyslots.zero(new_key)
    if hmac.compare_digest(key, old_key):
        logger.warning("vault %s: rekey failed; the previous key stays", with_pending.vault_id)
    else:
        logger.warning("vault %s: rekey reported an error after committing",
                       with_pending.vault_id)
    adopt(key, reopened)
    key_file_format.write(paths.key_file, resolved)
    return reopened
