"""SQLCipher connections to ``vault.db``: opening with the raw data key and the vault's
PRAGMAs, closing, integrity checks, and what SQLite's and the disk's errors mean to a worker.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias, cast

import sqlcipher3

from storage import commit_seal, keyslots
from storage.errors import (
    MigrationFailed,
    VaultBusy,
    VaultDamaged,
    VaultError,
    VaultNotWritable,
)
from storage.vault_folder import VaultPaths

logger = logging.getLogger(__name__)

# sqlcipher3 mirrors the stdlib sqlite3 API but ships no type stubs.
Connection: TypeAlias = sqlite3.Connection

BUSY_TIMEOUT_MS = 5000
# SQLCipher's memory security (wipe and mlock every allocation it makes) stays off, as in
# SQLCipher's own default since 4.5.0: an mlock/munlock pair per allocation made an encrypted
# submit about 3x the CPU of a plain one and search 15x (docs/benchmarks.md). Decrypted
# pages are kept out of reach instead by the controls in docs/security.md ("Memory"): no
# core dumps, the data key in a bytearray zeroed on lock, encrypted swap or none (IT's
# deployment guide). Only bench/vault.py turns it on, to show what it would cost.
MEMORY_SECURITY = False
PAGE_CACHE_KIB = 64 * 1024
"""Each connection's page cache, in KiB (SQLite's negative `cache_size`)."""
# PRAGMA application_id marks vault.db as ours and forces page 1 to be written at creation.
APPLICATION_ID = 0x48564C54
MAX_REPORTED_PROBLEMS = 100

_DISK_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")
_DAMAGE_ERRORS = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
_BUSY_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED")


class VaultConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """A vault connection: `storage.transactions` seals each counted commit with
    ``commit_sealer`` (``None`` until the vault has checked its seal at open)."""

    commit_sealer: commit_seal.CommitSeal | None = None


class KeyDoesNotOpenError(Exception):
    """SQLCipher could not decrypt page 1 with the key tried."""


def _error_name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlcipher3.Error | sqlite3.Error)


def _vault_error(exc: BaseException, paths: VaultPaths, action: str) -> VaultError:
    """Translate an OSError or SQLite error into the user-facing error it means.

    One branch a kind of failure, read top to bottom; splitting it would hide the order
    (a disk error inside a failed migration is the disk's, not the migration's).
    """
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
def translated(paths: VaultPaths, action: str) -> Iterator[None]:
    """Raise any disk or SQLite error inside the block as the ``VaultError`` it means."""
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


def sql_key(key: bytearray) -> str:
    if len(key) != keyslots.DATA_KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    return f"\"x'{key.hex()}'\""


def connect(database: Path, key: bytearray) -> Connection:
    """Open ``database`` with the raw data key and the vault's connection settings.

    Raises ``KeyDoesNotOpenError`` when page 1 does not decrypt with ``key``. Never creates
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
            factory=VaultConnection,
        ),
    )
    try:
        conn.execute(f"PRAGMA key = {sql_key(key)}")
        # SQLCipher would print HMAC failures to stderr; they reach us as exceptions anyway.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA cipher_memory_security = {'ON' if MEMORY_SECURITY else 'OFF'}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlcipher3.DatabaseError as exc:
            if _error_name(exc) == "SQLITE_NOTADB":
                raise KeyDoesNotOpenError() from exc
            raise
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise VaultError(f"could not switch the vault to WAL (got {mode!r})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        # Decrypted pages kept between statements: SQLite's default (2 MiB) is a sliver of
        # a team lead's vault, so an index that walks a team's visits decrypted the same
        # pages again and again (a first index of 100,000 visits read 4.65 GB, now 1.37).
        # Freed when the vault locks and the connection closes (docs/security.md).
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB:d}")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    except BaseException:
        conn.close()
        raise
    return conn


def attach_sealer(conn: Connection | None, sealer: commit_seal.CommitSeal | None) -> None:
    """Have ``conn``'s counted commits sealed in ``vault.commits`` by ``sealer``."""
    if conn is not None:
        cast(VaultConnection, conn).commit_sealer = sealer


def close_connection(conn: Connection) -> None:
    """Close a vault connection without holding up other threads.

    With memory security on, SQLCipher wipes every buffer it frees; `close()` does that for
    the whole page cache while holding Python's GIL (30-40 ms after a pull: a visible stall
    of the UI thread), whereas a statement releases the GIL, so the cache is freed first.
    """
    with contextlib.suppress(sqlcipher3.Error):
        conn.execute("PRAGMA shrink_memory")
    conn.close()


def close_quietly(conn: Connection | None) -> None:
    if conn is None:
        return
    try:
        close_connection(conn)
    except Exception:
        logger.warning("closing a vault connection failed", exc_info=True)


def close_keeping_wal(conn: Connection, database: Path, key: bytearray) -> None:
    """Close ``conn`` without the checkpoint SQLite runs when a vault's last connection
    closes, which would fold what it can read of ``vault.db-wal`` into ``vault.db`` and
    delete the WAL. A vault refused for missing changes keeps its files exactly as found,
    for IT: a read-only connection stays open meanwhile (it holds the database's shared
    lock, so the close cannot checkpoint), and being read-only it cannot checkpoint either.
    """
    wal = database.with_name(database.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        close_quietly(conn)  # nothing to fold in: the close removes what the open made
        return
    guard: Connection | None = None
    try:
        guard = cast(Connection, sqlcipher3.connect(
            database.absolute().as_uri() + "?mode=ro", uri=True, isolation_level=None,
            check_same_thread=False))
        guard.execute(f"PRAGMA key = {sql_key(key)}")
        guard.execute("PRAGMA cipher_log_level = NONE")
        guard.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher3.Error:
        logger.warning("could not hold the vault's files while closing it", exc_info=True)
    close_quietly(conn)
    close_quietly(guard)


def cipher_problems(conn: Connection) -> list[str]:
    """What ``PRAGMA cipher_integrity_check`` finds (every page's HMAC); empty = healthy."""
    try:
        rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        return [f"cipher_integrity_check could not run: {exc}"]
    return [str(row[0]) for row in rows[:MAX_REPORTED_PROBLEMS]]


def database_problems(conn: Connection) -> list[str]:
    """Every problem SQLCipher and SQLite can find; an empty list means healthy."""
    problems = cipher_problems(conn)
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
