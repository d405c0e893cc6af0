"""The status bar's "waiting since …" warning follows policy `unsynced_warning_hours`, in the
real window over a real enrolled vault whose central has gone away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.app import build_window
from desktop_app.policy import Policy
from desktop_app.sync_wiring import finish_sync
from tests.sync.harness import CentralProcess, _submit
from tests.sync.test_sync_thread import enrolled
from tests.vaults import PASSPHRASE, FixedClock
from ui.background import wait_for_background_work


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
@pytest.mark.parametrize(("hours", "warned"), [(1, True), (2, False)])
def test_unsent_work_is_a_warning_past_the_policys_hours(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot, hours: int,
        warned: bool) -> None:
    laptop = enrolled(central, tmp_path)
    central.stop()  # no signal: what is submitted now waits
    ninety_minutes_ago = FixedClock(datetime.now(UTC) - timedelta(minutes=90))
    with laptop.workspace(ninety_minutes_ago) as workspace:
        case = workspace.cases.cases()[0]
        _submit(workspace, case, workspace.cases.children(case.id))
    policy = Policy(sync_interval_minutes=60, unsynced_warning_hours=hours)
    _app, window = build_window(laptop.directory, policy, listen_to_desktop=False)
    qtbot.addWidget(window)
    window.show()
    status = window.sync_status
    try:
        window.unlock_screen.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(window.unlocked, timeout=30_000):
            window.unlock_screen.try_unlock()
        qtbot.waitUntil(lambda: status.text().startswith("1 record not yet sent"),
                        timeout=30_000)
        assert status.warning is warned
        assert ("waiting since" in status.text()) is warned
        assert status.font().bold() is warned
    finally:
        window.lock("test over")
        wait_for_background_work()
        finish_sync(30_000)
