"""Sync tests run a real central on SQLite and on PostgreSQL.

The databases come from central's own fixtures (tests/central/conftest.py): under CI=true
an unreachable PostgreSQL fails the run instead of skipping. `central` is the real app
served by uvicorn on a thread of the test process (`CentralThread`), started once per
pytest worker and database; each test gets empty tables, and a test that kills it leaves
it to be restarted for the next. `central_process` is `homevisit-central serve` in its own
process (one per test module and database; starting one costs seconds): for the tests
where SIGKILL, signals and exit codes are the point.

The window tests open the real window on a laptop's vault (`open_window`, `unlock_window`),
lock every window they opened at the end (`windows`), and record visits in it with the
keyboard (tests/ui/driving.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from pytestqt.qtbot import QtBot

import desktop_app.sync_thread as sync_thread
from desktop_app.app import build_window
from desktop_app.policy import Policy
from desktop_app.sync_wiring import finish_sync
from sync.backoff import Backoff
from tests.central.conftest import empty_tables, postgres_url, sqlite_template
from tests.sync.harness import CentralProcess, CentralThread
from tests.ui.driving import submit_a_visit
from tests.vaults import PASSPHRASE
from ui.shell.main_window import MainWindow
from ui.widgets.background import wait_for_background_work

SYNCED = "Everything is synced — safe to close"
ONE_UNSENT = "1 record not yet sent"

__all__ = ["postgres_url", "sqlite_template"]


def _database_for(request: pytest.FixtureRequest, database: str, workdir: Path) -> str:
    if database == "sqlite":
        path = workdir / "central.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def _central_thread(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                    database: str) -> Iterator[CentralProcess]:
    workdir = tmp_path_factory.mktemp("central")
    server = CentralThread(_database_for(request, database, workdir), workdir)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def central_on_sqlite(request: pytest.FixtureRequest,
                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralProcess]:
    yield from _central_thread(request, tmp_path_factory, "sqlite")


@pytest.fixture(scope="session")
def central_on_postgresql(request: pytest.FixtureRequest,
                          tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralProcess]:
    yield from _central_thread(request, tmp_path_factory, "postgresql")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def central_server(request: pytest.FixtureRequest) -> CentralProcess:
    """The worker's central on the database the test is parametrized with (both unless it
    names one): one for the whole session per database, whichever modules use it."""
    server: CentralProcess = request.getfixturevalue(f"central_on_{request.param}")
    return server


@pytest.fixture
def central(central_server: CentralProcess) -> CentralProcess:
    empty_tables(central_server.database_url)
    if not central_server.running:
        central_server.start()
    return central_server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def central_process_server(request: pytest.FixtureRequest,
                           tmp_path_factory: pytest.TempPathFactory
                           ) -> Iterator[CentralProcess]:
    workdir = tmp_path_factory.mktemp("central-process")
    process = CentralProcess(_database_for(request, request.param, workdir), workdir)
    try:
        yield process
    finally:
        process.close()


@pytest.fixture
def central_process(central_process_server: CentralProcess) -> CentralProcess:
    """`homevisit-central serve` in its own process, for tests that SIGKILL it."""
    empty_tables(central_process_server.database_url)
    if not central_process_server.running:
        central_process_server.start()
    return central_process_server


@pytest.fixture(autouse=True)
def _window_sync_retries_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's sync thread retries a failed request within a run as many times as it
    ships to, a few milliseconds apart instead of 1 s doubling: a test of central being
    away waits on what it tests, not on the backoff (its own tests: test_loop_and_backoff).
    """
    monkeypatch.setattr(sync_thread, "engine_backoff",
                        lambda: Backoff(base_seconds=0.01, cap_seconds=0.05))


def close_window(window: MainWindow) -> None:
    """Lock the window and let its sync thread end, so none outlives its test."""
    window.lock("test over")
    wait_for_background_work()
    finish_sync(30_000)


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    """The windows a test opened (`open_window`), locked at its end whatever happened."""
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        window.lock("test over")
    wait_for_background_work()
    finish_sync(30_000)


def open_window(qtbot: QtBot, directory: Path, policy: Policy | None,
                windows: list[MainWindow]) -> MainWindow:
    """The real window over the vault in `directory`, as the app builds it, on screen."""
    _app, window = build_window(directory, policy, listen_to_desktop=False)
    qtbot.addWidget(window)
    windows.append(window)
    window.show()
    return window


def try_to_unlock(window: MainWindow) -> None:
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    window.unlock_screen.try_unlock()


def unlock_window(qtbot: QtBot, window: MainWindow, timeout: int = 60_000) -> None:
    with qtbot.waitSignal(window.unlocked, timeout=timeout):
        try_to_unlock(window)


def unlocked_window(qtbot: QtBot, directory: Path, policy: Policy | None,
                    windows: list[MainWindow]) -> MainWindow:
    """`open_window`, unlocked with the passphrase."""
    window = open_window(qtbot, directory, policy, windows)
    unlock_window(qtbot, window)
    return window


def wait_until_synced(qtbot: QtBot, window: MainWindow, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: window.sync_status.text() == SYNCED, timeout=timeout)


def submit_offline(qtbot: QtBot, window: MainWindow) -> UUID:
    """Record and submit a visit while central is away; its id once the status bar counts it
    as not yet sent."""
    editor = submit_a_visit(qtbot, window)
    qtbot.waitUntil(lambda: window.sync_status.text().startswith(ONE_UNSENT), timeout=30_000)
    return editor.visit.id
