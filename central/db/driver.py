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

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import psycopg
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


def uuid_array(ids: Iterable[uuid.UUID]) -> str:
    """Ids as PostgreSQL's text for a uuid[] (`{a,b}`): sent as one text value, a tenth of
    the CPU psycopg spends dumping a list of UUID objects as an array."""
    return "{" + ",".join(str(i) for i in ids) + "}"


def driver_connection(session: Session) -> psycopg.Connection[Any] | None:
    """The session's psycopg connection on PostgreSQL (its transaction begun), else None."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None
    driver: psycopg.Connection[Any] = connection.connection.driver_connection  # type: ignore[assignment]
    return driver


def rows(connection: psycopg.Connection[Any], statement: Compiled | str,
         parameters: dict[str, Any]) -> list[Any]:
    """Run one statement; its rows (named tuples, as SQLAlchemy's rows read), or [] for a
    statement that returns none."""
    sql = statement if isinstance(statement, str) else statement.sql
    if isinstance(statement, Compiled) and statement.constants:
        parameters = {**statement.constants, **parameters}
    try:
        with connection.cursor(row_factory=namedtuple_row) as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchall() if cursor.description is not None else []
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, None, error, psycopg.Error, hide_parameters=True,
                                  connection_invalidated=connection.broken,
                                  dialect=_DIALECT) from error
