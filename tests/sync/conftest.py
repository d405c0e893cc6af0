"""Sync tests run a real central in its own process, on SQLite and on PostgreSQL.

The databases come from central's own fixtures (tests/central/conftest.py): under CI=true
an unreachable PostgreSQL fails the run instead of skipping. One central process serves a
whole test module on each database (starting one costs seconds); each test gets empty
tables, and a test that kills central leaves it to be restarted for the next.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.central.conftest import empty_tables, postgres_url, sqlite_template
from tests.sync.harness import CentralProcess

__all__ = ["postgres_url", "sqlite_template"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def central_server(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralProcess]:
    workdir = tmp_path_factory.mktemp("central")
    if request.param == "sqlite":
        path = workdir / "central.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    process = CentralProcess(url, workdir)
    try:
        yield process
    finally:
        process.close()


@pytest.fixture
def central(central_server: CentralProcess) -> CentralProcess:
    empty_tables(central_server.database_url)
    if not central_server.running:
        central_server.start()
    return central_server
