"""Shared fixtures for the vault tests: cheapest legal KDF, IT's key pair, real processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
import sqlcipher3

from storage import keyslots
from storage.keyslots import KdfParams

REPOSITORY = Path(__file__).resolve().parents[2]
RAW_KEY = "x'" + "5a" * 32 + "'"  # a raw SQLCipher key for tests that open schemas directly


def open_raw_database(path: Path) -> sqlite3.Connection:
    """An SQLCipher database keyed with RAW_KEY, outside the vault (for schema-level tests)."""
    conn = cast(sqlite3.Connection, sqlcipher3.connect(str(path), isolation_level=None))
    conn.execute(f'PRAGMA key = "{RAW_KEY}"')
    conn.execute("PRAGMA foreign_keys = ON")
    return conn

RunPython = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def fast_kdf() -> KdfParams:
    """The minimum the vault accepts (64 MiB, t=3, p=4): about 0.2 s a derivation."""
    return KdfParams()


@pytest.fixture(scope="session")
def recovery_key_pair() -> tuple[bytes, bytes]:
    """(private, public) raw X25519 keys standing in for the organisation's."""
    return keyslots.generate_recovery_key_pair()


class FakeClock:
    """Replaces ``storage.keyslots.utcnow`` so throttle delays pass without sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(datetime.now(UTC))
    monkeypatch.setattr(keyslots, "utcnow", fake)
    return fake


@pytest.fixture
def run_python() -> RunPython:
    """Run a Python snippet in a fresh interpreter that imports this repository."""

    def run(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ, PYTHONPATH=str(REPOSITORY))
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            cwd=REPOSITORY,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
