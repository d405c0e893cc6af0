"""One way to write to the vault: a short IMMEDIATE transaction that commits or leaves nothing.

Vault connections run in autocommit mode, so every write goes through `transaction()`.
A transaction opened inside another joins it, so a repository method can call another's
write helpers and still commit once.

On a vault connection (``storage.vault``) a transaction that changed any row also raises the
vault's commit counter before it commits and seals the new count in ``vault.commits`` right
after (``storage.commit_seal``), so an open can tell when acknowledged changes went missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from storage import commit_seal
from storage.errors import VaultNotWritable

Connection = Any
"""A `sqlcipher3.Connection` (the package ships no type information)."""

_FULL_OR_READ_ONLY = ("disk is full", "readonly", "read-only", "unable to open", "disk i/o")


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """Commit everything in the block, or on any error roll it all back and re-raise."""
    if conn.in_transaction:
        yield conn
        return
    seal: commit_seal.CommitSeal | None = getattr(conn, "commit_sealer", None)
    changes_before = conn.total_changes
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher3.OperationalError as error:
        _raise_if_not_writable(conn, error)
        raise
    counter: int | None = None
    try:
        yield conn
        if seal is not None and conn.total_changes != changes_before:
            counter = commit_seal.advance(conn)
        conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(error, sqlcipher3.OperationalError):
            _raise_if_not_writable(conn, error)
        raise
    if seal is not None and counter is not None:
        seal.record(counter)


def _raise_if_not_writable(conn: Connection, error: Exception) -> None:
    if any(sign in str(error).lower() for sign in _FULL_OR_READ_ONLY):
        raise VaultNotWritable(_database_path(conn), str(error)) from error


def _database_path(conn: Connection) -> Path:
    try:
        return Path(conn.execute("PRAGMA database_list").fetchone()[2])
    except sqlcipher3.Error:
        return Path("the vault")
