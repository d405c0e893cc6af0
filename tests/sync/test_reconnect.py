"""Sync starts again by itself when central can be reached again: the loop probes central's
/v1/health while it is away, and the window wakes the sync thread when Qt says the network
is back online. Nobody presses "Sync now"."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot

import desktop_app.sync_thread as sync_thread
from desktop_app.policy import Policy
from desktop_app.sync_wiring import network_information
from sync.backoff import Backoff
from sync.engine import SyncReport
from sync.errors import CentralUnreachable, SyncProblem
from sync.loop import SyncLoop
from tests.sync.conftest import submit_offline, unlocked_window, wait_until_synced
from tests.sync.harness import CentralProcess
from tests.sync.test_sync_thread import enrolled
from ui.shell.main_window import MainWindow

POLICY = Policy(sync_interval_minutes=60)


class _Ceiling(random.Random):
    """Jitter that always draws the longest wait: a retry is only ever sooner if woken."""

    def uniform(self, a: float, b: float) -> float:
        return b


def _an_hour(interval_seconds: float) -> Backoff:
    return Backoff(base_seconds=3600, cap_seconds=3600, rng=_Ceiling())


def test_the_loop_syncs_as_soon_as_a_probe_finds_central_back() -> None:
    central_up = threading.Event()
    reports: list[SyncReport] = []
    problems: list[SyncProblem] = []
    probes: list[bool] = []

    def run_once() -> SyncReport:
        if not central_up.is_set():
            raise CentralUnreachable("https://c", "no network")
        return SyncReport(pushed=1)

    def probe() -> bool:
        probes.append(central_up.is_set())
        return central_up.is_set()

    loop = SyncLoop(run_once, interval_seconds=3600, backoff=_an_hour(3600),
                    on_report=reports.append, on_problem=problems.append, probe=probe,
                    probe_backoff=Backoff(base_seconds=0.05, cap_seconds=0.2, rng=_Ceiling()))
    worker = threading.Thread(target=loop.run)
    worker.start()
    try:
        while len(probes) < 3:  # away: probed again and again, no sync tried
            threading.Event().wait(0.01)
        assert len(problems) == 1 and not reports
        central_up.set()
        while not reports:
            threading.Event().wait(0.01)
    finally:
        loop.stop()
        worker.join(10)
    assert not worker.is_alive()
    assert reports[0].pushed == 1 and probes[-1] is True and len(problems) == 1


def _a_visit_waiting_for_central(central: CentralProcess, tmp_path: Path, qtbot: QtBot,
                                 windows: list[MainWindow]) -> tuple[MainWindow, UUID]:
    """An enrolled laptop's window, synced; then central stops and a visit is submitted, and
    the status bar says central could not be reached."""
    laptop = enrolled(central, tmp_path)
    window = unlocked_window(qtbot, laptop.directory, POLICY, windows)
    wait_until_synced(qtbot, window)
    central.stop()
    visit_id = submit_offline(qtbot, window)
    qtbot.waitUntil(lambda: "could not be reached" in window.sync_status.toolTip(),
                    timeout=30_000)
    return window, visit_id


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_central_back_up_is_noticed_without_sync_now(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    # After a failed try the loop's own next try is an hour away (the policy interval too):
    # only the health probe can bring the visit to central within the wait below.
    monkeypatch.setattr(sync_thread, "retry_backoff", _an_hour)
    # Probes a tenth of a second apart, not the shipped 1 s doubling to 30 s: the probe is
    # still the only way back, without the test sleeping out its backoff.
    monkeypatch.setattr(sync_thread, "probe_backoff",
                        lambda: Backoff(base_seconds=0.1, cap_seconds=0.2, rng=_Ceiling()))
    window, visit_id = _a_visit_waiting_for_central(central, tmp_path, qtbot, windows)
    central.start()
    wait_until_synced(qtbot, window, timeout=90_000)
    assert visit_id in central.visit_ids()


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_the_network_coming_back_online_wakes_sync(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    information = network_information()
    if information is None:
        pytest.skip("no QNetworkInformation backend on this machine")
    # Probes an hour apart too: only Qt's "online" can bring the visit to central here.
    monkeypatch.setattr(sync_thread, "retry_backoff", _an_hour)
    monkeypatch.setattr(sync_thread, "probe_backoff", lambda: _an_hour(3600))
    window, visit_id = _a_visit_waiting_for_central(central, tmp_path, qtbot, windows)
    central.start()
    # What the platform's backend emits when a network connection comes up.
    information.reachabilityChanged.emit(QNetworkInformation.Reachability.Online)
    wait_until_synced(qtbot, window)
    assert visit_id in central.visit_ids()

