"""Central's tests run on both databases: a real PostgreSQL and an SQLite file.

Each run creates its own PostgreSQL database and drops it at the end. Under CI=true an
unreachable PostgreSQL fails the run; elsewhere its half of the suite is skipped, loudly.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from starlette.exceptions import StarletteDeprecationWarning

from central.app import create_app
from central.core.config import Settings
from central.db.engine import make_engine, make_sessionmaker
from central.db.migrate import upgrade
from central.db.models import Base
from tests.central.harness import Central, Clock

with warnings.catch_warnings():
    # Starlette warns at import that it prefers `httpx2`; the project pins httpx 0.28.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`",
                            category=StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

POSTGRES_SERVER = os.environ.get("HOMEVISIT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
KEPT_TABLES = {"alembic_version", "server_keys"}


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    try:
        connection = _admin_connection()
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_SERVER} is unreachable: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the PostgreSQL half of the suite must run)")
        pytest.skip(message)
    name = f"homevisit_test_{uuid.uuid4().hex[:12]}"
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"{POSTGRES_SERVER}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("central-template") / "central.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "central.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    empty_tables(url)
    return url


def empty_tables(url: str) -> None:
    engine = make_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]
    with engine.begin() as connection:  # DELETE: far quicker than TRUNCATE on tiny tables
        for table in reversed(tables):
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def central(settings: Settings) -> Iterator[Central]:
    clock = Clock()
    engine = make_engine(settings.database_url, pool_size=5)
    app = create_app(settings, engine=engine, clock=clock)
    with TestClient(app) as client:
        yield Central(client, engine, make_sessionmaker(engine), clock, engine.dialect.name)
    engine.dispose()
