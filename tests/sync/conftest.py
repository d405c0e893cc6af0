"""Sync tests run a real central in its own process on both databases.

The database fixtures are central's own (tests/central/conftest.py): under CI=true an
unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.central.conftest import database_url, postgres_url, sqlite_template
from tests.sync.harness import CentralProcess

__all__ = ["database_url", "postgres_url", "sqlite_template"]


@pytest.fixture
def central(database_url: str, tmp_path: Path) -> Iterator[CentralProcess]:
    process = CentralProcess(database_url, tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.close()
