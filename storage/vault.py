"""The encrypted vault on the laptop: create, unlock, recover, rotate, check, close.

A vault is a directory holding ``vault.db`` (SQLCipher 4, opened with a random 256-bit
raw data key, never with a passphrase), ``vault.keys`` (the data key wrapped in key
slots, see ``storage.keyslots``), ``vault.commits`` (the sealed count of changes the vault
has acknowledged, see ``storage.commit_seal``) and ``vault.lock`` (an empty file used only
to serialise changes to ``vault.keys``).

Every error that leaves ``create``/``unlock``/``recover`` is a ``storage.errors.VaultError``
with a message a worker can act on; a wrong passphrase never deletes anything.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TypeAlias, cast

import sqlcipher3

from storage import commit_seal, key_file_format, keyslots, migrations
from storage.audit import AuditAction, AuditLog
from storage.errors import (
    ChangesMissing,
    KeyFileDamaged,
    KeyFileMissing,
    MigrationFailed,
    NoRecoverySlot,
    PassphraseDisabled,
    VaultAlreadyExists,
    VaultBusy,
    VaultDamaged,
    VaultErasureUnfinished,
    VaultError,
    VaultMissing,
    VaultNotWritable,
    WrongPassphrase,
    WrongRecoveryKey,
)
from storage.keyslots import KdfParams, KeyFile, PendingKey, Throttle

logger = logging.getLogger(__name__)

# sqlcipher3 mirrors the stdlib sqlite3 API but ships no type stubs.
Connection: TypeAlias = sqlite3.Connection

DATABASE_NAME = "vault.db"
KEY_FILE_NAME = "vault.keys"
LOCK_FILE_NAME = "vault.lock"
# Written before an ordered erase destroys the key slots, removed when the erase is done:
# while it exists the vault is half-erased and nobody can open it (`sync.wipe`).
ERASE_ORDERED_NAME = "vault.erase-ordered"
BUSY_TIMEOUT_MS = 5000
# SQLCipher's memory security (wipe and mlock every allocation it makes) stays off, as in
# SQLCipher's own default since 4.5.0: an mlock/munlock pair per allocation made an encrypted
# submit about 3x the CPU of a plain one and search 15x (docs/benchmarks.md). Decrypted
# pages are kept out of reach instead by the controls in docs/security.md ("Memory"): no
# core dumps, the data key in a bytearray zeroed on lock, encrypted swap or none (IT's
# deployment guide). Only bench/vault.py turns it on, to show what it would cost.
MEMORY_SECURITY = False


class _VaultConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """A vault connection: `storage.transactions` seals each counted commit with
    ``commit_sealer`` (``None`` until the vault has checked its seal at open)."""

    commit_sealer: commit_seal.CommitSeal | None = None

# PRAGMA application_id marks vault.db as ours and forces page 1 to be written at creation.
APPLICATION_ID = 0x48564C54
MAX_REPORTED_PROBLEMS = 100

_DISK_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")
_DAMAGE_ERRORS = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
_BUSY_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED")


@dataclass(frozen=True)
class VaultPaths:
    directory: Path
    database: Path
    key_file: Path
    lock_file: Path
    erase_ordered: Path

    @property
    def commit_seal(self) -> Path:
        return self.directory / commit_seal.SEAL_FILE_NAME

    @property
    def database_companions(self) -> tuple[Path, ...]:
        """Files kept beside the database: SQLite's (WAL, shared memory, rollback journal)
        and the seal of its acknowledged changes (``vault.commits``)."""
        return (
            *(self.database.with_name(self.database.name + suffix)
              for suffix in ("-wal", "-shm", "-journal")),
            self.commit_seal,
        )


class _KeyDoesNotOpenError(Exception):
    """SQLCipher could not decrypt page 1 with the key tried."""


@dataclass
class _Opened:
    key: bytearray
    vault_id: uuid.UUID
    connection: Connection | None
    failed_attempts_before_unlock: int


def _error_name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlcipher3.Error | sqlite3.Error)


def _vault_error(exc: BaseException, paths: VaultPaths, action: str) -> VaultError:
    """Translate an OSError or SQLite error into the user-facing error it means."""
    if isinstance(exc, VaultError):
        if isinstance(exc, MigrationFailed) and exc.__cause__ is not None:
            cause = exc.__cause__
            if _error_name(cause).startswith(_DISK_ERRORS):
                return VaultNotWritable(paths.directory, f"{action}: {cause}")
        return exc
    if isinstance(exc, OSError):
        where = Path(exc.filename) if exc.filename else paths.directory
        return VaultNotWritable(where, f"{action}: {exc.strerror or exc}")
    name = _error_name(exc)
    if name.startswith(_DISK_ERRORS):
        return VaultNotWritable(paths.directory, f"{action}: {exc}")
    if name.startswith(_DAMAGE_ERRORS):
        return VaultDamaged(paths.database, [f"{action}: {exc}"])
    if name.startswith(_BUSY_ERRORS):
        return VaultBusy(f"{action}: {exc}")
    return VaultError(f"{action}: {type(exc).__name__}: {exc}")


@contextlib.contextmanager
def _translated(paths: VaultPaths, action: str) -> Iterator[None]:
    try:
        yield
    except VaultError as exc:
        raise _vault_error(exc, paths, action) from exc.__cause__
    except OSError as exc:
        raise _vault_error(exc, paths, action) from exc
    except Exception as exc:
        if _is_database_error(exc):
            raise _vault_error(exc, paths, action) from exc
        raise


def _sql_key(key: bytearray) -> str:
    if len(key) != keyslots.DATA_KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    return f"\"x'{key.hex()}'\""


def _connect(database: Path, key: bytearray) -> Connection:
    """Open ``database`` with the raw data key and the vault's connection settings.

    Raises ``_KeyDoesNotOpenError`` when page 1 does not decrypt with ``key``. Never creates
    the file (``mode=rw``).
    """
    uri = database.absolute().as_uri() + "?mode=rw"
    conn = cast(
        Connection,
        # check_same_thread=False: the app unlocks on a worker thread (the KDF must not block
        # the window) and hands the connection to the UI thread; one thread at a time uses it.
        sqlcipher3.connect(
            uri,
            uri=True,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            factory=_VaultConnection,
        ),
    )
    try:
        conn.execute(f"PRAGMA key = {_sql_key(key)}")
        # SQLCipher would print HMAC failures to stderr; they reach us as exceptions anyway.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA cipher_memory_security = {'ON' if MEMORY_SECURITY else 'OFF'}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlcipher3.DatabaseError as exc:
            if _error_name(exc) == "SQLITE_NOTADB":
                raise _KeyDoesNotOpenError() from exc
            raise
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise VaultError(f"could not switch the vault to WAL (got {mode!r})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    except BaseException:
        conn.close()
        raise
    return conn


def close_connection(conn: Connection) -> None:
    """Close a vault connection without holding up other threads.

    With memory security on, SQLCipher wipes every buffer it frees; `close()` does that for
    the whole page cache while holding Python's GIL (30-40 ms after a pull: a visible stall
    of the UI thread), whereas a statement releases the GIL, so the cache is freed first.
    """
    with contextlib.suppress(sqlcipher3.Error):
        conn.execute("PRAGMA shrink_memory")
    conn.close()


def _close_quietly(conn: Connection | None) -> None:
    if conn is None:
        return
    try:
        close_connection(conn)
    except Exception:
        logger.warning("closing a vault connection failed", exc_info=True)


def _close_keeping_wal(conn: Connection, database: Path, key: bytearray) -> None:
    """Close ``conn`` without the checkpoint SQLite runs when a vault's last connection
    closes, which would fold what it can read of ``vault.db-wal`` into ``vault.db`` and
    delete the WAL. A vault refused for missing changes keeps its files exactly as found,
    for IT: a read-only connection stays open meanwhile (it holds the database's shared
    lock, so the close cannot checkpoint), and being read-only it cannot checkpoint either.
    """
    wal = database.with_name(database.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        _close_quietly(conn)  # nothing to fold in: the close removes what the open made
        return
    guard: Connection | None = None
    try:
        guard = cast(Connection, sqlcipher3.connect(
            database.absolute().as_uri() + "?mode=ro", uri=True, isolation_level=None,
            check_same_thread=False))
        guard.execute(f"PRAGMA key = {_sql_key(key)}")
        guard.execute("PRAGMA cipher_log_level = NONE")
        guard.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher3.Error:
        logger.warning("could not hold the vault's files while closing it", exc_info=True)
    _close_quietly(conn)
    _close_quietly(guard)


def _cipher_problems(conn: Connection) -> list[str]:
    try:
        rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        return [f"cipher_integrity_check could not run: {exc}"]
    return [str(row[0]) for row in rows[:MAX_REPORTED_PROBLEMS]]


def database_problems(conn: Connection) -> list[str]:
    """Every problem SQLCipher and SQLite can find; an empty list means healthy."""
    problems = _cipher_problems(conn)
    try:
        rows = conn.execute(f"PRAGMA integrity_check({MAX_REPORTED_PROBLEMS:d})").fetchall()
        lines = [line for row in rows for line in str(row[0]).splitlines()]
        if lines != ["ok"]:
            problems.extend(lines)
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"integrity_check could not run: {exc}")
    try:
        violations = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems.extend(
            f"foreign key violation: {row[0]} row {row[1]} refers to missing {row[2]}"
            for row in violations
        )
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"foreign_key_check could not run: {exc}")
    return problems[:MAX_REPORTED_PROBLEMS]


def _rekey_database(conn: Connection, new_key: bytearray) -> None:
    """Re-encrypt every page with ``new_key`` in one rollback-journal transaction."""
    conn.execute(f"PRAGMA rekey = {_sql_key(new_key)}")


def _require_vault(paths: VaultPaths) -> None:
    database_exists = paths.database.exists()
    key_file_exists = paths.key_file.exists()
    if os.path.lexists(paths.erase_ordered) and not key_file_exists:
        raise VaultErasureUnfinished(paths.directory)
    if not database_exists and not key_file_exists:
        raise VaultMissing(paths.directory)
    if not key_file_exists:
        raise KeyFileMissing(paths.key_file)
    if not database_exists:
        raise VaultDamaged(paths.database, ["the database file is missing"])


def _open_resolving_rotation(
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
    if current_key is not None:
        try:
            conn = _connect(paths.database, current_key)
        except _KeyDoesNotOpenError:
            pass
        else:
            if pending_key is not None:
                keyslots.zero(pending_key)
            if key_file.pending is not None:
                logger.warning("an interrupted key rotation never committed; key unchanged")
                key_file = replace(key_file, pending=None)
            return current_key, conn, key_file
    if pending_key is not None and key_file.pending is not None:
        try:
            conn = _connect(paths.database, pending_key)
        except _KeyDoesNotOpenError:
            pass
        else:
            if current_key is not None:
                keyslots.zero(current_key)
            logger.warning("finishing an interrupted key rotation")
            promoted = replace(
                key_file,
                passphrase=key_file.pending.passphrase,
                recovery=key_file.pending.recovery,
                pending=None,
            )
            return pending_key, conn, promoted
    for key in (current_key, pending_key):
        if key is not None:
            keyslots.zero(key)
    raise VaultDamaged(
        paths.database,
        ["page 1 does not decrypt with the vault's key: the file header is damaged"],
    )


def _unlock_key_file(paths: VaultPaths, passphrase: str, failed_unlock_limit: int) -> _Opened:
    """Throttle, unwrap, open; record the outcome in the key file. Holds the key-file lock."""
    if failed_unlock_limit < 1:
        raise ValueError("failed_unlock_limit must be at least 1")
    with key_file_format.locked(paths.lock_file):
        key_file = key_file_format.read(paths.key_file)
        keyslots.check_throttle(key_file.throttle, failed_unlock_limit, keyslots.utcnow())
        slot = key_file.passphrase
        kek = keyslots.derive_kek(passphrase, slot.salt, slot.kdf)
        current_key = keyslots.unwrap_with_kek(slot, kek, key_file.vault_id)
        pending_key: bytearray | None = None
        if key_file.pending is not None:
            pending = key_file.pending.passphrase
            pending_kek = (
                kek
                if (pending.salt, pending.kdf) == (slot.salt, slot.kdf)
                else keyslots.derive_kek(passphrase, pending.salt, pending.kdf)
            )
            pending_key = keyslots.unwrap_with_kek(pending, pending_kek, key_file.vault_id)
        if current_key is None and pending_key is None:
            throttle = keyslots.record_failure(
                key_file.throttle, failed_unlock_limit, keyslots.utcnow()
            )
            key_file_format.write(paths.key_file, replace(key_file, throttle=throttle))
            logger.warning(
                "vault unlock failed: wrong passphrase (%d in a row)", throttle.failed_attempts
            )
            if throttle.passphrase_disabled:
                logger.warning(
                    "passphrase slot disabled after %d failures", throttle.failed_attempts
                )
                raise PassphraseDisabled()
            raise WrongPassphrase(failed_unlock_limit - throttle.failed_attempts)
        key, conn, resolved = _open_resolving_rotation(paths, key_file, current_key, pending_key)
        try:
            resolved = replace(resolved, throttle=Throttle())
            if resolved != key_file:
                key_file_format.write(paths.key_file, resolved)
        except BaseException:
            _close_quietly(conn)
            keyslots.zero(key)
            raise
        return _Opened(key, key_file.vault_id, conn, key_file.throttle.failed_attempts)


def check_vault(
    directory: Path,
    passphrase: str,
    *,
    failed_unlock_limit: int = keyslots.DEFAULT_FAILED_UNLOCK_LIMIT,
) -> list[str]:
    """Unlock ``directory`` read-only-in-spirit and list its problems (empty = healthy).

    For ``homevisit vault check``. Does not migrate. A wrong passphrase still counts
    towards the throttle, as it does for ``Vault.unlock``.
    """
    paths = Vault.paths(directory)
    with _translated(paths, "check"):
        _require_vault(paths)
        try:
            opened = _unlock_key_file(paths, passphrase, failed_unlock_limit)
        except VaultDamaged as exc:
            return exc.problems
        conn = opened.connection
        assert conn is not None
        try:
            problems = database_problems(conn)
            found = migrations.schema_version(conn)
            known = migrations.latest_version()
            if found > known:
                problems.append(f"schema version {found} is newer than this Homevisit ({known})")
            missing = commit_seal.missing_changes(
                conn, paths.commit_seal, paths.database, opened.vault_id)
            if missing is not None:
                problems.append(missing.problem)
            return problems
        finally:
            # A check changes nothing: not even the checkpoint a last close would run.
            _close_keeping_wal(conn, paths.database, opened.key)
            keyslots.zero(opened.key)


class Vault:
    """An unlocked vault. Use ``create``, ``unlock`` or ``recover``; close when done.

    Connections are in autocommit mode (``isolation_level=None``): the sqlite module
    never begins a transaction on its own, so repositories write with an explicit
    ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error). ``connection`` belongs to
    the thread that unlocked the vault (the UI thread); a background thread calls
    ``open_connection()`` and closes that connection itself.

    The KDF makes ``create``, ``unlock``, ``recover``, ``change_passphrase`` and
    ``rotate_data_key`` take about half a second or more: never call them on the UI thread.

    The data key is held in a ``bytearray`` that ``close()`` overwrites. Python cannot
    promise there are no other copies (the hex string handed to ``PRAGMA key``, buffers
    inside ``cryptography``), so this narrows exposure rather than guaranteeing it.
    """

    def __init__(self, paths: VaultPaths, opened: _Opened,
                 sealer: commit_seal.CommitSeal | None) -> None:
        self._paths = paths
        self._key = opened.key
        keyslots.pin(self._key)
        self._vault_id = opened.vault_id
        self._connection: Connection | None = opened.connection
        self._sealer = sealer
        self._seal(self._connection)
        self.failed_attempts_before_unlock: int = opened.failed_attempts_before_unlock

    # --- layout and lifecycle -----------------------------------------------------------

    @staticmethod
    def paths(directory: Path) -> VaultPaths:
        directory = Path(directory)
        return VaultPaths(
            directory=directory,
            database=directory / DATABASE_NAME,
            key_file=directory / KEY_FILE_NAME,
            lock_file=directory / LOCK_FILE_NAME,
            erase_ordered=directory / ERASE_ORDERED_NAME,
        )

    @staticmethod
    def exists(directory: Path) -> bool:
        """Whether any part of a vault is in ``directory`` (so ``create`` would refuse)."""
        paths = Vault.paths(directory)
        candidates = (paths.database, paths.key_file, *paths.database_companions,
                      paths.erase_ordered)
        return any(path.exists() for path in candidates)

    @classmethod
    def create(
        cls,
        directory: Path,
        passphrase: str,
        *,
        recovery_public_key: bytes | None = None,
        kdf: KdfParams | None = None,
        minimum_passphrase_length: int = 12,
    ) -> Vault:
        """Make a new vault; on any failure remove everything this call created."""
        keyslots.check_passphrase_length(passphrase, minimum_passphrase_length)
        if recovery_public_key is not None:
            keyslots.validate_recovery_public_key(recovery_public_key)
        paths = cls.paths(directory)
        if cls.exists(directory):
            raise VaultAlreadyExists(paths.directory)
        created_files: list[Path] = []
        created_directories: list[Path] = []
        key = bytearray(os.urandom(keyslots.DATA_KEY_BYTES))
        try:
            with _translated(paths, "create"):
                created_directories.extend(_make_private_directory(paths.directory))
                if not paths.lock_file.exists():
                    created_files.append(paths.lock_file)
                with key_file_format.locked(paths.lock_file):
                    if cls.exists(directory):
                        raise VaultAlreadyExists(paths.directory)
                    vault_id = uuid.uuid4()
                    key_file = KeyFile(
                        vault_id=vault_id,
                        passphrase=keyslots.wrap_with_passphrase(
                            key, passphrase, vault_id, kdf or keyslots.calibrate_kdf()
                        ),
                        recovery=None
                        if recovery_public_key is None
                        else keyslots.wrap_for_recovery(key, recovery_public_key, vault_id),
                    )
                    # Key file first: a database must never exist without a way to open it.
                    created_files.append(paths.key_file)
                    key_file_format.write(paths.key_file, key_file)
                    descriptor = os.open(
                        paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
                    )
                    os.close(descriptor)
                    created_files.extend((paths.database, *paths.database_companions))
                    vault = cls._finish_creating(paths, _Opened(key, vault_id, None, 0))
        except BaseException:
            keyslots.zero(key)
            _remove_created(created_files, created_directories)
            raise
        logger.info("created vault %s", vault_id)
        return vault

    @classmethod
    def _finish_creating(cls, paths: VaultPaths, opened: _Opened) -> Vault:
        conn = _connect(paths.database, opened.key)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            migrations.migrate(conn)
            sealer = commit_seal.start(conn, paths.commit_seal, opened.vault_id)
        except BaseException:
            _close_quietly(conn)
            raise
        return cls(paths, replace(opened, connection=conn), sealer)

    @classmethod
    def unlock(
        cls,
        directory: Path,
        passphrase: str,
        *,
        failed_unlock_limit: int = keyslots.DEFAULT_FAILED_UNLOCK_LIMIT,
    ) -> Vault:
        """Open with the passphrase; verify every page; bring the schema up to date."""
        paths = cls.paths(directory)
        with _translated(paths, "unlock"):
            _require_vault(paths)
            opened = _unlock_key_file(paths, passphrase, failed_unlock_limit)
            vault = cls._finish_opening(paths, opened)
        if vault.failed_attempts_before_unlock:
            logger.warning(
                "vault unlocked after %d failed attempts", vault.failed_attempts_before_unlock
            )
        logger.info("unlocked vault %s", vault.vault_id)
        return vault

    @classmethod
    def recover(
        cls,
        directory: Path,
        recovery_private_key: bytes,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
        minimum_passphrase_length: int = 12,
    ) -> Vault:
        """Open with IT's recovery key and set a new passphrase; the data is untouched.

        Also clears the failed-unlock count and re-enables the passphrase slot. With no
        ``kdf`` the previous passphrase slot's parameters are kept.
        """
        keyslots.check_passphrase_length(new_passphrase, minimum_passphrase_length)
        paths = cls.paths(directory)
        with _translated(paths, "recover"):
            _require_vault(paths)
            with key_file_format.locked(paths.lock_file):
                key_file = key_file_format.read(paths.key_file)
                pending_slot = key_file.pending.recovery if key_file.pending else None
                if key_file.recovery is None and pending_slot is None:
                    raise NoRecoverySlot()
                current_key = (
                    None
                    if key_file.recovery is None
                    else keyslots.unwrap_with_recovery_key(
                        key_file.recovery, recovery_private_key, key_file.vault_id
                    )
                )
                pending_key = (
                    None
                    if pending_slot is None
                    else keyslots.unwrap_with_recovery_key(
                        pending_slot, recovery_private_key, key_file.vault_id
                    )
                )
                if current_key is None and pending_key is None:
                    logger.warning("vault recovery failed: wrong recovery key")
                    raise WrongRecoveryKey()
                key, conn, resolved = _open_resolving_rotation(
                    paths, key_file, current_key, pending_key
                )
                try:
                    slot = keyslots.wrap_with_passphrase(
                        key,
                        new_passphrase,
                        key_file.vault_id,
                        kdf or resolved.passphrase.kdf,
                    )
                    resolved = replace(resolved, passphrase=slot, throttle=Throttle())
                    key_file_format.write(paths.key_file, resolved)
                except BaseException:
                    _close_quietly(conn)
                    keyslots.zero(key)
                    raise
            opened = _Opened(key, key_file.vault_id, conn, key_file.throttle.failed_attempts)
            vault = cls._finish_opening(paths, opened)
        logger.warning("vault %s opened with the recovery key; passphrase replaced", vault.vault_id)
        return vault

    @classmethod
    def _finish_opening(
        cls,
        paths: VaultPaths,
        opened: _Opened,
        accept_missing: Callable[[ChangesMissing], bool] | None = None,
        actor: str = "",
    ) -> Vault:
        """Verify every page and the commit seal, then migrate and seal.

        Changes missing (``storage.commit_seal``) are refused before anything is written,
        unless ``accept_missing`` is given and says yes: then the loss is written to the
        audit log first, and the seal is made to match the database as it is.
        """
        conn = opened.connection
        assert conn is not None
        try:
            problems = _cipher_problems(conn)
            if problems:
                logger.error("vault failed cipher_integrity_check: %d problems", len(problems))
                raise VaultDamaged(paths.database, problems)
            missing = commit_seal.missing_changes(
                conn, paths.commit_seal, paths.database, opened.vault_id)
            if missing is not None:
                logger.error("vault refused: %s", missing.problem)
                if accept_missing is None or not accept_missing(missing):
                    raise missing
            try:
                migrations.migrate(conn)
            except ValueError as exc:  # a misnamed or missing migration file in this build
                raise MigrationFailed(migrations.schema_version(conn), str(exc)) from exc
            if missing is not None:
                AuditLog(conn, actor).record(
                    AuditAction.LOSS_ACCEPTED, "vault",
                    "unknown" if missing.missing is None else str(missing.missing))
                logger.warning("vault %s: loss of saved changes accepted (%s)",
                               opened.vault_id, missing.problem)
            sealer = commit_seal.start(conn, paths.commit_seal, opened.vault_id)
        except BaseException as exc:
            if isinstance(exc, ChangesMissing):
                _close_keeping_wal(conn, paths.database, opened.key)
            else:
                _close_quietly(conn)
            keyslots.zero(opened.key)
            raise
        return cls(paths, opened, sealer)

    @classmethod
    def accept_missing_changes(
        cls,
        directory: Path,
        passphrase: str,
        confirm: Callable[[ChangesMissing], bool],
        *,
        actor: str,
        failed_unlock_limit: int = keyslots.DEFAULT_FAILED_UNLOCK_LIMIT,
    ) -> Vault:
        """Open a vault that ``unlock`` refuses for missing changes, if ``confirm`` agrees.

        For ``homevisit vault accept-rollback``: ``confirm`` is shown what is missing and
        returns whether IT accepts the loss; if not, ``ChangesMissing`` is raised as by
        ``unlock`` and nothing is changed. If so, the audit log records how many changes
        were accepted as lost before ``vault.commits`` is rewritten to match. ``confirm``
        is not called when nothing is missing.
        """
        paths = cls.paths(directory)
        with _translated(paths, "accept missing changes"):
            _require_vault(paths)
            opened = _unlock_key_file(paths, passphrase, failed_unlock_limit)
            return cls._finish_opening(paths, opened, confirm, actor)

    def close(self) -> None:
        """Close the UI connection and overwrite the in-memory data key. Idempotent."""
        _close_quietly(self._connection)
        self._connection = None
        keyslots.zero(self._key)

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- connections ----------------------------------------------------------------------

    @property
    def directory(self) -> Path:
        return self._paths.directory

    @property
    def vault_id(self) -> uuid.UUID:
        return self._vault_id

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    @property
    def connection(self) -> Connection:
        """The connection of the thread that opened the vault (autocommit)."""
        if self._connection is None:
            raise RuntimeError("the vault is closed")
        return self._connection

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.connection)

    def open_connection(self) -> Connection:
        """Another connection with the same key and settings, for a background thread.

        The caller closes it, from the thread that uses it.
        """
        self._require_open()
        with _translated(self._paths, "open connection"):
            try:
                conn = _connect(self._paths.database, self._key)
            except _KeyDoesNotOpenError:
                raise VaultDamaged(
                    self._paths.database, ["page 1 no longer decrypts with the vault's key"]
                ) from None
        self._seal(conn)
        return conn

    def _seal(self, conn: Connection | None) -> None:
        """Have ``conn``'s counted commits sealed in ``vault.commits``."""
        if conn is not None:
            cast(_VaultConnection, conn).commit_sealer = self._sealer

    def check(self) -> list[str]:
        """Run ``cipher_integrity_check`` and ``integrity_check``; empty list = healthy."""
        return database_problems(self.connection)

    # --- key slots --------------------------------------------------------------------------

    def _require_open(self) -> None:
        if self._connection is None:
            raise RuntimeError("the vault is closed")

    def _verify_passphrase(self, key_file: KeyFile, passphrase: str) -> bytes:
        """The passphrase slot's KEK if ``passphrase`` opens it to the key in use."""
        slot = key_file.passphrase
        kek = keyslots.derive_kek(passphrase, slot.salt, slot.kdf)
        unwrapped = keyslots.unwrap_with_kek(slot, kek, key_file.vault_id)
        matches = unwrapped is not None and hmac.compare_digest(unwrapped, self._key)
        if unwrapped is not None:
            keyslots.zero(unwrapped)
        if not matches:
            raise WrongPassphrase(None)
        return kek

    def _read_key_file_for_change(self) -> KeyFile:
        key_file = key_file_format.read(self._paths.key_file)
        if key_file.vault_id != self._vault_id:
            raise KeyFileDamaged(self._paths.key_file, "the key file belongs to another vault")
        if key_file.pending is not None:
            raise VaultBusy("a data-key rotation is in progress")
        return key_file

    def change_passphrase(
        self,
        old_passphrase: str,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
        minimum_passphrase_length: int = 12,
    ) -> None:
        """Rewrap the data key under a new passphrase; ``vault.db`` is not touched."""
        self._require_open()
        keyslots.check_passphrase_length(new_passphrase, minimum_passphrase_length)
        with (
            _translated(self._paths, "change passphrase"),
            key_file_format.locked(self._paths.lock_file),
        ):
            key_file = self._read_key_file_for_change()
            self._verify_passphrase(key_file, old_passphrase)
            slot = keyslots.wrap_with_passphrase(
                self._key, new_passphrase, self._vault_id, kdf or key_file.passphrase.kdf
            )
            key_file_format.write(
                self._paths.key_file, replace(key_file, passphrase=slot, throttle=Throttle())
            )
        logger.info("vault %s: passphrase changed", self._vault_id)

    def recovery_public_key(self) -> bytes | None:
        """The recovery public key this vault's recovery slot is wrapped to; None: no slot."""
        self._require_open()
        with _translated(self._paths, "read the key slots"):
            slot = key_file_format.read(self._paths.key_file).recovery
        return None if slot is None else slot.recipient_public_key

    def set_recovery_key(self, public_key: bytes | None) -> None:
        """Wrap the data key to IT's recovery public key, or remove the recovery slot."""
        self._require_open()
        if public_key is not None:
            keyslots.validate_recovery_public_key(public_key)
        with (
            _translated(self._paths, "set recovery key"),
            key_file_format.locked(self._paths.lock_file),
        ):
            key_file = self._read_key_file_for_change()
            recovery = (
                None
                if public_key is None
                else keyslots.wrap_for_recovery(self._key, public_key, self._vault_id)
            )
            key_file_format.write(self._paths.key_file, replace(key_file, recovery=recovery))
        logger.info(
            "vault %s: recovery slot %s", self._vault_id, "set" if public_key else "removed"
        )

    def rotate_data_key(self, passphrase: str) -> None:
        """Re-encrypt the whole database under a new random data key.

        Crash-safe in three steps, each of which leaves a state ``unlock`` can finish:
        (1) the new key is written to the pending slots of ``vault.keys`` (wrapped to the
        passphrase and, if set, to the recovery key); (2) ``PRAGMA rekey`` re-encrypts
        every page in one rollback-journal transaction (WAL is left for the duration,
        because a rekey in WAL mode is not safe with other readers and ``journal_mode =
        DELETE`` can only be set when no other connection is open); (3) the pending slots
        replace the current ones. ``unlock`` tries the current key and then the pending
        one and keeps whichever opens the database.

        Every other connection (``open_connection``) must be closed first, else
        ``VaultBusy``. Needs free disk space about the size of the database.
        """
        self._require_open()
        conn = self.connection
        with (
            _translated(self._paths, "rotate data key"),
            key_file_format.locked(self._paths.lock_file),
        ):
            key_file = self._read_key_file_for_change()
            kek = self._verify_passphrase(key_file, passphrase)
            new_key = bytearray(os.urandom(keyslots.DATA_KEY_BYTES))
            slot = key_file.passphrase
            pending = PendingKey(
                passphrase=keyslots.wrap_with_kek(
                    new_key, kek, slot.salt, self._vault_id, slot.kdf
                ),
                recovery=None
                if key_file.recovery is None
                else keyslots.wrap_for_recovery(
                    new_key, key_file.recovery.recipient_public_key, self._vault_id
                ),
            )
            _leave_wal(conn)
            try:
                key_file_format.write(self._paths.key_file, replace(key_file, pending=pending))
                try:
                    _rekey_database(conn, new_key)
                except BaseException:
                    self._settle_failed_rotation(replace(key_file, pending=pending), new_key)
                    raise
                promoted = replace(
                    key_file, passphrase=pending.passphrase, recovery=pending.recovery, pending=None
                )
                key_file_format.write(self._paths.key_file, promoted)
            finally:
                if self._connection is not None:
                    self._connection.execute("PRAGMA journal_mode = WAL")
            old_key, self._key = self._key, new_key
            keyslots.pin(self._key)
            keyslots.zero(old_key)
        logger.info("vault %s: data key rotated", self._vault_id)

    def _settle_failed_rotation(self, with_pending: KeyFile, new_key: bytearray) -> None:
        """After a failed rekey, reopen with whichever key decrypts the file and record it."""
        _close_quietly(self._connection)
        self._connection = None
        key, conn, resolved = _open_resolving_rotation(
            self._paths, with_pending, bytearray(self._key), bytearray(new_key)
        )
        keyslots.zero(new_key)
        self._connection = conn
        self._seal(conn)
        key_file_format.write(self._paths.key_file, resolved)
        if hmac.compare_digest(key, self._key):
            keyslots.zero(key)
            logger.warning("vault %s: rekey failed; the previous key stays", self._vault_id)
        else:
            old_key, self._key = self._key, key
            keyslots.pin(self._key)
            keyslots.zero(old_key)
            logger.warning("vault %s: rekey reported an error after committing", self._vault_id)


def _leave_wal(conn: Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    if str(mode).lower() != "delete":
        raise VaultBusy("another connection to the vault is open")


def _make_private_directory(directory: Path) -> list[Path]:
    """Create ``directory`` (0700) and missing parents; return what was created, outermost first."""
    missing: list[Path] = []
    candidate = directory
    while not candidate.exists() and candidate != candidate.parent:
        missing.append(candidate)
        candidate = candidate.parent
    created: list[Path] = []
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        created.append(path)
    os.chmod(directory, 0o700)
    return created


def _remove_created(files: list[Path], directories: list[Path]) -> None:
    for path in files:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove %s after a failed create", path.name)
    for directory in reversed(directories):
        try:
            directory.rmdir()
        except OSError:
            logger.warning("could not remove a directory after a failed create")
