"""The engine for a database URL: PostgreSQL through psycopg 3, or an SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here, not the psycopg2 SQLAlchemy would assume."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               hide_parameters=True)
        _make_sqlite_transactions_immediate(engine)
        return engine
    # hide_parameters: a database error's text must never quote a record into a log.
    # No pool_pre_ping: it is a round trip on every checkout. A connection the database
    # dropped fails its first statement instead; SQLAlchemy then discards the whole pool, and
    # push and pull run their transaction again on a fresh connection.
    # Never `skip_autocommit_rollback`: a push's session runs in autocommit until its first
    # statements begin the transaction (central.db.driver, `begin_with_first`), and relies on
    # SQLAlchemy calling the driver's commit and rollback, which send COMMIT or ROLLBACK
    # whenever a transaction is open.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, hide_parameters=True)


def _make_sqlite_transactions_immediate(engine: Engine) -> None:
    # One writer at a time, taken at BEGIN: a deferred read-then-write would fail at once
    # with "database is locked" instead of waiting its turn.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A report only reads: a deferred BEGIN reads a snapshot (WAL) without taking the
        # write lock, so laptops keep pushing while it runs.
        reading = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


READ_ONLY = "homevisit_read_only"
"""Execution option of `snapshot_sessionmaker`'s connections (see `_on_begin`)."""


def snapshot_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions for a report that reads many tables in several statements: each transaction
    sees one snapshot of the database (PostgreSQL: REPEATABLE READ, read only; SQLite: a
    deferred read transaction in WAL) and holds no lock that would stop a push."""
    if engine.dialect.name == "sqlite":
        return sessionmaker(engine.execution_options(**{READ_ONLY: True}),
                            expire_on_commit=False)
    return sessionmaker(engine.execution_options(isolation_level="REPEATABLE READ",
                                                 postgresql_readonly=True),
                        expire_on_commit=False)
