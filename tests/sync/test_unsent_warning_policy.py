"""The status bar's "waiting since …" warning follows policy `unsynced_warning_hours`, in the
real window over a real enrolled vault whose central has gone away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from tests.sync.conftest import ONE_UNSENT, unlocked_window
from tests.sync.harness import CentralProcess, _submit
from tests.sync.test_sync_thread import enrolled
from tests.vaults import FixedClock
from ui.shell.main_window import MainWindow


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
@pytest.mark.parametrize(("hours", "warned"), [(1, True), (2, False)])
def test_unsent_work_is_a_warning_past_the_policys_hours(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot, windows: list[MainWindow],
        hours: int, warned: bool) -> None:
    laptop = enrolled(central, tmp_path)
    central.stop()  # no signal: what is submitted now waits
    ninety_minutes_ago = FixedClock(datetime.now(UTC) - timedelta(minutes=90))
    with laptop.workspace(ninety_minutes_ago) as workspace:
        case = workspace.cases.cases()[0]
        _submit(workspace, case, workspace.cases.children(case.id))
    policy = Policy(sync_interval_minutes=60, unsynced_warning_hours=hours)
    window = unlocked_window(qtbot, laptop.directory, policy, windows)
    status = window.sync_status
    qtbot.waitUntil(lambda: status.text().startswith(ONE_UNSENT), timeout=30_000)
    assert status.warning is warned
    assert ("waiting since" in status.text()) is warned
    assert status.font().bold() is warned
