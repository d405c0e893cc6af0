"""The push's statements through psycopg (central.db.driver) fail the way SQLAlchemy's do, so
a push that clashes with another is run again, and no error quotes what was sent."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from central.db import driver
from central.db.engine import make_engine, make_sessionmaker
from central.services.ingest import _worth_another_go

SECRET = b"a record's bytes"


def test_a_clash_through_psycopg_is_sqlalchemys_integrity_error_and_is_retried(
        postgres_url: str) -> None:
    engine = make_engine(postgres_url, pool_size=1)
    insert = "INSERT INTO server_keys (purpose, private_key) VALUES (%(purpose)s, %(key)s)"
    try:
        with pytest.raises(IntegrityError) as raised, make_sessionmaker(engine).begin() as session:
            connection = driver.driver_connection(session)
            assert connection is not None
            driver.rows(connection, insert, {"purpose": "driver-test", "key": SECRET})
            driver.rows(connection, insert, {"purpose": "driver-test", "key": SECRET})
        assert _worth_another_go(raised.value)
        assert not raised.value.connection_invalidated
        assert "a record" not in str(raised.value)
        # The failed transaction was rolled back and its connection is good for the next one.
        assert _keys_for(engine, "driver-test") == 0
    finally:
        engine.dispose()


def _keys_for(engine: Engine, purpose: str) -> int:
    """How many server keys of this purpose a new transaction finds, through the driver."""
    with make_sessionmaker(engine).begin() as session:
        connection = driver.driver_connection(session)
        assert connection is not None
        found: int = driver.rows(connection, "SELECT count(*) AS n FROM server_keys WHERE "
                                 "purpose = %(purpose)s", {"purpose": purpose})[0].n
        return found


def test_sqlite_keeps_sqlalchemys_path(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/central.db")
    try:
        with make_sessionmaker(engine).begin() as session:
            assert driver.driver_connection(session) is None
    finally:
        engine.dispose()


def test_ids_are_sent_as_one_uuid_array_text() -> None:
    first, second = uuid.UUID(int=1), uuid.UUID(int=2)
    assert driver.uuid_array([first, second]) == (
        "{00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002}")


def test_a_connection_the_database_dropped_is_retried_on_a_fresh_one(postgres_url: str) -> None:
    engine = make_engine(postgres_url, pool_size=1)
    sessions = make_sessionmaker(engine)
    try:
        with pytest.raises(DBAPIError) as raised, sessions.begin() as session:
            connection = driver.driver_connection(session)
            assert connection is not None
            with psycopg.connect(postgres_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (connection.info.backend_pid,))
            driver.rows(connection, "SELECT 1 AS one", {})
        assert raised.value.connection_invalidated
        assert _worth_another_go(raised.value)
        with sessions.begin() as session:  # what the push's next go gets
            connection = driver.driver_connection(session)
            assert connection is not None
            assert driver.rows(connection, "SELECT 1 AS one", {})[0].one == 1
    finally:
        engine.dispose()


def test_several_statements_go_in_one_round_trip_each_with_its_own_values(
        postgres_url: str) -> None:
    engine = make_engine(postgres_url, pool_size=1)
    ask = driver.Compiled("SELECT %(word)s AS said, %(n)s::int AS n", {"n": 7})
    quiet = driver.Compiled("SELECT 1 AS one WHERE false", {})
    try:
        with make_sessionmaker(engine).begin() as session:
            connection = driver.driver_connection(session)
            assert connection is not None
            # Quotes and backslashes are bound by psycopg, not pasted into the text.
            tricky = "O'Brien \\ '); DROP TABLE devices; --"
            first, none, second = driver.several(connection, [
                (ask, {"word": "one"}), (quiet, {}), (ask, {"word": tricky, "n": 8})])
            assert [tuple(r) for r in first] == [("one", 7)]
            assert none == []
            assert [tuple(r) for r in second] == [(tricky, 8)]
            assert second[0].said == tricky
        insert = driver.Compiled("INSERT INTO server_keys (purpose, private_key) "
                                 "VALUES (%(purpose)s, %(key)s)", {})
        values = {"purpose": "driver-several", "key": SECRET}
        with pytest.raises(IntegrityError) as raised, make_sessionmaker(engine).begin() as session:
            connection = driver.driver_connection(session)
            assert connection is not None
            driver.several(connection, [(insert, values), (insert, values)])
        assert _worth_another_go(raised.value)
        assert "a record" not in str(raised.value)
        assert _keys_for(engine, "driver-several") == 0
    finally:
        engine.dispose()


def test_a_transaction_begun_with_its_first_statements_is_one_transaction(
        postgres_url: str) -> None:
    """`begin_with_first`: psycopg sends no BEGIN of its own; `several` begins the
    transaction with its statements, so they and what follows commit or roll back together
    (a failure within that first round trip included), nothing runs before them, and the
    pooled connection goes back with autocommit off."""
    engine = make_engine(postgres_url, pool_size=1)
    insert = driver.Compiled("INSERT INTO server_keys (purpose, private_key, created_at) "
                             "VALUES (%(purpose)s, %(key)s, now())", {})
    broken = driver.Compiled("SELECT 1 / 0 AS never", {})
    sessions = make_sessionmaker(engine)
    run = uuid.uuid4().hex[:8]  # server keys outlive the test: names of this run only

    def begun_then_written(purpose: str, *, fail: bool = False,
                           fail_first: bool = False) -> None:
        with sessions.begin() as session:
            connection = driver.driver_connection(session, begin_with_first=True)
            assert connection is not None and connection.autocommit
            with pytest.raises(RuntimeError):
                driver.in_transaction(connection)  # nothing begun yet
            with pytest.raises(RuntimeError):
                driver.rows(connection, "SELECT 1 AS one", {})  # would commit on its own
            first = [(insert, {"purpose": f"{purpose}-1", "key": SECRET})]
            driver.several(connection, first + ([(broken, {})] if fail_first else []))
            driver.in_transaction(connection)
            driver.rows(connection, insert.sql, {"purpose": f"{purpose}-2", "key": SECRET})
            if fail:
                raise KeyError("something after the writes failed")

    try:
        with pytest.raises(KeyError):
            begun_then_written(f"{run}-later", fail=True)
        with pytest.raises(DBAPIError):
            begun_then_written(f"{run}-first", fail_first=True)
        begun_then_written(f"{run}-kept")
        assert [_keys_for(engine, f"{run}-{name}") for name in (
            "later-1", "later-2", "first-1", "first-2", "kept-1", "kept-2")] == [0, 0, 0, 0, 1, 1]
        with sessions.begin() as session:  # the one pooled connection, as every caller gets it
            connection = driver.driver_connection(session)
            assert connection is not None and not connection.autocommit
            driver.rows(connection, "SELECT 1 AS one", {})
            driver.in_transaction(connection)
    finally:
        with make_sessionmaker(engine).begin() as session:
            connection = driver.driver_connection(session)
            assert connection is not None
            driver.rows(connection, "DELETE FROM server_keys WHERE purpose LIKE %(run)s",
                        {"run": f"{run}-%"})
        engine.dispose()
