"""Schema migrations: numbered SQL files applied in order, one transaction each.

Files are ``storage/migrations/NNNN_short_name.sql`` (package data, read with
``importlib.resources``), numbered from 0001 without gaps. The schema version lives in
``PRAGMA user_version``. Each pending file runs inside its own ``BEGIN IMMEDIATE`` …
``COMMIT`` together with the ``user_version`` bump, so a migration that fails leaves the
vault exactly at the previous version.

``executescript`` cannot be used for this: it commits any open transaction first. The
runner therefore splits a file into statements with SQLite's own tokenizer
(``sqlite3.complete_statement``, which understands strings, comments and trigger
bodies) and executes them one by one. Files must not manage transactions themselves.

Migrations run with foreign keys off (so a table can be rebuilt the way the SQLite
manual describes) and ``PRAGMA foreign_key_check`` must be clean before the commit.
"""

from __future__ import annotations

import importlib.resources
import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import sqlcipher3

from storage.errors import MigrationFailed, SchemaTooNew

logger = logging.getLogger(__name__)

MIGRATION_FILE = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")
_FORBIDDEN_STATEMENT = re.compile(
    r"^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ATTACH|DETACH)\b"
    r"|^PRAGMA\s+(\w+\s*\.\s*)?(user_version|journal_mode|foreign_keys|key|rekey|"
    r"cipher\w*|synchronous|locking_mode)\b",
    re.IGNORECASE,
)
_DATABASE_ERRORS = (sqlite3.Error, sqlcipher3.Error)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def default_migrations() -> Traversable:
    """The ``storage/migrations`` directory shipped as package data."""
    return importlib.resources.files("storage").joinpath("migrations")


def load_migrations(source: Traversable | None = None) -> list[Migration]:
    """All migrations in ``source``, in order; ``ValueError`` for a misnamed or missing one."""
    directory = default_migrations() if source is None else source
    if not directory.is_dir():
        return []
    migrations: list[Migration] = []
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = MIGRATION_FILE.match(entry.name)
        if match is None:
            raise ValueError(f"migration file {entry.name!r} is not named NNNN_short_name.sql")
        migrations.append(
            Migration(
                version=int(match["version"]),
                name=match["name"],
                sql=entry.read_text(encoding="utf-8"),
            )
        )
    migrations.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(migrations) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3 … without gaps; found {versions}")
    return migrations


def latest_version(source: Traversable | None = None) -> int:
    return len(load_migrations(source))


def _strip_leading_comments(sql: str) -> str:
    text = sql.lstrip()
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            end = text.find("\n")
            text = "" if end < 0 else text[end + 1 :]
        else:
            end = text.find("*/")
            text = "" if end < 0 else text[end + 2 :]
        text = text.lstrip()
    return text


def split_statements(sql: str) -> list[str]:
    """Split a script into single statements; ``ValueError`` if one is unterminated."""
    statements: list[str] = []
    pieces = sql.split(";")
    buffer = ""
    for piece in pieces[:-1]:
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if _strip_leading_comments(buffer).rstrip(";").strip():
                statements.append(buffer.strip())
            buffer = ""
    if _strip_leading_comments(buffer + pieces[-1]).strip():
        raise ValueError("the script ends with a statement that has no closing semicolon")
    return statements


def _check_statement(statement: str) -> None:
    if _FORBIDDEN_STATEMENT.match(_strip_leading_comments(statement)):
        first_line = _strip_leading_comments(statement).splitlines()[0]
        raise ValueError(f"migrations may not manage transactions or settings: {first_line!r}")


def schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    try:
        statements = split_statements(migration.sql)
        for statement in statements:
            _check_statement(statement)
    except ValueError as exc:
        raise MigrationFailed(migration.version, str(exc)) from exc
    foreign_keys = int(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
            violations = conn.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise MigrationFailed(
                    migration.version, f"{len(violations)} foreign key violations"
                )
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except _DATABASE_ERRORS as exc:
        raise MigrationFailed(migration.version, str(exc)) from exc
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    logger.info("vault schema migrated to version %d (%s)", migration.version, migration.name)


def migrate(
    conn: sqlite3.Connection, target: int | None = None, source: Traversable | None = None
) -> int:
    """Apply pending migrations up to ``target`` (default: the latest); return the version.

    Raises ``SchemaTooNew`` if the database is newer than any migration known here and
    ``MigrationFailed`` (with the database left at the last good version) if one fails.
    Must be called outside a transaction, on a connection in autocommit mode.
    """
    migrations = load_migrations(source)
    latest = len(migrations)
    current = schema_version(conn)
    if current > latest:
        raise SchemaTooNew(current, latest)
    goal = latest if target is None else target
    if not 0 <= goal <= latest:
        raise ValueError(f"target version {goal} is outside 0..{latest}")
    if goal < current:
        raise ValueError(f"cannot migrate down from version {current} to {goal}")
    if conn.in_transaction:
        raise RuntimeError("migrate() must be called outside a transaction")
    for migration in migrations[current:goal]:
        _apply(conn, migration)
    return schema_version(conn)
