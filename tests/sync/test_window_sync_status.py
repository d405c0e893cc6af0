"""The real window syncing with a real central: the status bar says what has not reached
central, a submit wakes the sync thread, and "Sync now" (Ctrl+Shift+S) sends it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from tests.sync.conftest import (
    SYNCED,
    close_window,
    submit_offline,
    unlocked_window,
    wait_until_synced,
)
from tests.sync.harness import CentralProcess
from tests.sync.test_sync_thread import enrolled
from ui.services import SyncState
from ui.shell.main_window import MainWindow
from ui.shell.sync_status import UNSENT_WARNING, SyncStatus

# A long interval: every sync in the test comes from the unlock, a submit or "Sync now".
POLICY = Policy(sync_interval_minutes=60)


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_a_submitted_visit_shows_as_unsent_until_sync_now_sends_it(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow]) -> None:
    laptop = enrolled(central, tmp_path)
    window = unlocked_window(qtbot, laptop.directory, POLICY, windows)
    status = window.sync_status
    wait_until_synced(qtbot, window)
    assert window.sync_now_action.isEnabled()

    central.stop()  # the visit is recorded where there is no signal
    visit_id = submit_offline(qtbot, window)
    qtbot.waitUntil(lambda: status.text().startswith("1 record not yet sent · last synced"),
                    timeout=30_000)
    assert not status.warning

    central.start()  # back in signal: the worker presses "Sync now"
    qtbot.keyClick(window, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_until_synced(qtbot, window)
    assert visit_id in central.visit_ids()
    close_window(window)
    assert status.isHidden() and not window.sync_now_action.isEnabled()


def test_unsent_work_older_than_a_day_is_a_warning(qtbot: QtBot) -> None:
    status = SyncStatus()
    qtbot.addWidget(status)
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    status.show_state(SyncState(unsent=3, quarantined=0,
                                oldest_unsent_at=now - UNSENT_WARNING - timedelta(minutes=1),
                                last_synced_at=now - timedelta(days=2)), now)
    assert status.warning and status.text().startswith("3 records not yet sent")
    status.show_state(SyncState(0, 0, None, now), now)
    assert not status.warning and status.text() == SYNCED
