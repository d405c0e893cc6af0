"""The push's statements on PostgreSQL, straight through psycopg on the session's connection.

A push of ten visits runs seven statements. Through SQLAlchemy's execution layer (compiled
cache lookup, parameter and result processing, result wrapping) each costs ~150 us of
central's CPU here, through psycopg alone ~40 us: a tenth of a millisecond a visit. So on
PostgreSQL these statements are compiled once, from the same Core statements as the
SQLAlchemy path (an expanding `IN` of ids becomes `= ANY(%(ids)s::UUID[])`, the ids sent as
one text value), and run on the session's own connection, inside its transaction. SQLite
keeps the SQLAlchemy path.

A database error is raised as SQLAlchemy would raise it (`DBAPIError.instance`: an
IntegrityError stays an IntegrityError, a lost connection says so), so the push's retry
rules see one kind of error whichever way a statement went; its text never quotes the
parameters (a child's record), as the engine's `hide_parameters` promises.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from psycopg import pq
from psycopg.rows import namedtuple_row
from sqlalchemy import ColumnElement, Uuid, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.schema import ScalarElementColumnDefault

_DIALECT = psycopg_dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Compiled:
    """A statement's PostgreSQL text and the values of its own constants (`literal(1)`)."""

    sql: str
    constants: dict[str, Any]


def compiled(statement: ClauseElement) -> Compiled:
    """Compiled once, at import: bound parameters by name, `%(name)s`, as psycopg takes.

    The constants include the columns' own defaults an INSERT names (SQLAlchemy fills them
    in when it runs the statement); only plain values are taken, never a function's."""
    result = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
    constants = {name: value for name, value in result.params.items() if value is not None}
    for column in result.insert_prefetch:
        default = column.default
        if not (isinstance(default, ScalarElementColumnDefault)
                and isinstance(default.arg, (bool, int, str))):
            raise ValueError(f"{column} has a default the driver cannot fill in: {default}")
        constants[column.key] = default.arg
    if result.update_prefetch:
        raise ValueError("an UPDATE with Python-side defaults: run it through SQLAlchemy")
    return Compiled(str(result), constants)


def ids_in(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column = ANY(%(name)s::UUID[])`: a list of ids as one parameter (`uuid_array`)."""
    return column == any_(bindparam(name, type_=ARRAY(Uuid)))


def expanding_in(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column IN (...)`, the list as one expanding parameter: `ids_in`'s form for a statement
    run through SQLAlchemy (SQLite, and anything not sent through this module)."""
    return column.in_(bindparam(name, expanding=True))


def uuid_array(ids: Iterable[uuid.UUID]) -> str:
    """Ids as PostgreSQL's text for a uuid[] (`{a,b}`): sent as one text value, a tenth of
    the CPU psycopg spends dumping a list of UUID objects as an array."""
    return "{" + ",".join(str(i) for i in ids) + "}"


def driver_connection(session: Session, *, begin_with_first: bool = False,
                      ) -> psycopg.Connection[Any] | None:
    """The session's psycopg connection on PostgreSQL, else None. psycopg begins the
    session's transaction with its first statement.

    With `begin_with_first`, on the session's first use: the transaction begins with the
    first statements `several` sends, in their round trip, instead of a BEGIN psycopg would
    send on its own and wait for (a push's first round trip of four). Until then the
    connection is in autocommit mode, and `rows` refuses to run on it; when the session
    ends SQLAlchemy hands the connection back to the pool in the database's default
    isolation level, autocommit off (every later BEGIN names READ COMMITTED, which is what
    the plain BEGIN meant). The caller checks with `in_transaction` that its first
    statements began the transaction before it writes."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    connection = session.connection(
        execution_options={"isolation_level": "AUTOCOMMIT"} if begin_with_first else None)
    driver: psycopg.Connection[Any] = connection.connection.driver_connection  # type: ignore[assignment]
    return driver


def in_transaction(connection: psycopg.Connection[Any]) -> None:
    """Raises unless the connection is inside a transaction that has not failed: what a
    caller of `driver_connection(..., begin_with_first=True)` checks before it writes."""
    status = connection.info.transaction_status
    if status != pq.TransactionStatus.INTRANS:
        raise RuntimeError(f"expected an open transaction, the connection is {status.name}")


def _waiting_to_begin(connection: psycopg.Connection[Any]) -> bool:
    """A connection from `driver_connection(..., begin_with_first=True)` whose transaction
    `several` has yet to begin."""
    return (connection.autocommit
            and connection.info.transaction_status == pq.TransactionStatus.IDLE)


def rows(connection: psycopg.Connection[Any], statement: Compiled | str,
         parameters: dict[str, Any]) -> list[Any]:
    """Run one statement; its rows (named tuples, as SQLAlchemy's rows read), or [] for a
    statement that returns none. Never on a connection waiting for `several` to begin its
    transaction (`driver_connection(..., begin_with_first=True)`): the statement would be
    committed on its own."""
    if _waiting_to_begin(connection):
        raise RuntimeError("a statement outside the transaction: send the first through "
                           "`several`, which begins it")
    sql = statement if isinstance(statement, str) else statement.sql
    if isinstance(statement, Compiled) and statement.constants:
        parameters = {**statement.constants, **parameters}
    with (_as_sqlalchemy_error(connection, sql),
          connection.cursor(row_factory=namedtuple_row) as cursor):
        cursor.execute(sql, parameters)
        return _fetched(cursor)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def several(connection: psycopg.Connection[Any],
            statements: Sequence[tuple[Compiled, dict[str, Any]]]) -> list[list[Any]]:
    """Run these statements in one round trip, in order; each one's rows, as `rows` gives.

    The values are bound by psycopg on this side (`ClientCursor`, psycopg's own quoting) and
    the statements sent as one simple query: each round trip costs ~0.1 ms of central's CPU
    in psycopg and the kernel, whatever it carries, and a push's reads are independent of
    each other. Each statement's parameters are its own (renamed `q<n>_<name>`), so two may
    use the same name for different values.

    Only for ids, instants and the like, never a record's content: values bound this side
    are part of the query's text, which PostgreSQL shows in pg_stat_activity and writes to
    its log with a failed statement (values bound on the server are logged only where
    PostgreSQL is told to log parameters; deployment.md, "PostgreSQL's own log")."""
    texts: list[str] = []
    parameters: dict[str, Any] = {}
    for n, (statement, given) in enumerate(statements):
        texts.append(_PLACEHOLDER.sub(lambda found, n=n: f"%(q{n}_{found[1]})s",  # type: ignore[misc]
                                      statement.sql))
        parameters.update((f"q{n}_{name}", value)
                          for name, value in {**statement.constants, **given}.items())
    begin = _waiting_to_begin(connection)
    sql = ";\n".join(["BEGIN", *texts] if begin else texts)
    with (_as_sqlalchemy_error(connection, sql),
          psycopg.ClientCursor(connection, row_factory=namedtuple_row) as cursor):
        cursor.execute(sql, parameters)
        found = [_fetched(cursor)]
        while cursor.nextset():
            found.append(_fetched(cursor))
    if begin:
        found.pop(0)  # BEGIN's own (empty) result
    if len(found) != len(statements):
        raise RuntimeError(f"{len(statements)} statements gave {len(found)} results")
    return found


def _fetched(cursor: psycopg.Cursor[Any]) -> list[Any]:
    """The current result's rows, or [] for a statement that returns none (asked of the
    result's status: `cursor.description` builds a column object a column, ~20 us)."""
    result = cursor.pgresult
    if result is None or result.status != pq.ExecStatus.TUPLES_OK:
        return []
    return cursor.fetchall()


@contextmanager
def _as_sqlalchemy_error(connection: psycopg.Connection[Any], sql: str) -> Iterator[None]:
    """psycopg's errors raised as SQLAlchemy's, never quoting the parameters."""
    try:
        yield
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, None, error, psycopg.Error, hide_parameters=True,
                                  connection_invalidated=connection.broken,
                                  dialect=_DIALECT) from error
