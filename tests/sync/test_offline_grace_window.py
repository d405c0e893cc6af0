"""The offline grace period in the real window: past it, with central down, the unlock screen
says what happened and what to do and no record is shown; with central back the same
passphrase opens the caseload; a laptop reported lost returns to first run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.policy import Policy
from storage.vault import Vault
from tests.sync.conftest import open_window, try_to_unlock, unlock_window
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_offline_grace import laptop_with_unsent_work, last_contact_was
from ui.shell.main_window import MainWindow

POLICY = Policy(offline_grace_days=7, sync_interval_minutes=60)

pytestmark = pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)


@pytest.fixture
def lapsed(central: CentralProcess, tmp_path: Path) -> Laptop:
    laptop = laptop_with_unsent_work(central, tmp_path)
    last_contact_was(laptop, datetime.now(UTC) - timedelta(days=8))
    return laptop


@pytest.fixture
def window(lapsed: Laptop, qtbot: QtBot, windows: list[MainWindow]) -> MainWindow:
    return open_window(qtbot, lapsed.directory, POLICY, windows)


def test_central_down_past_the_grace_period_the_window_stays_locked_and_says_why(
        central: CentralProcess, window: MainWindow, qtbot: QtBot) -> None:
    central.stop()
    try_to_unlock(window)
    message = window.unlock_screen.message
    qtbot.waitUntil(lambda: "could not be reached" in message.text(), timeout=30_000)
    assert "Nothing was lost" in message.text() and "call IT" in message.text()
    assert window.stack.currentWidget() is window.unlock_screen
    assert window.services is None and window._caseload_screen is None  # no record shown
    assert window.unlock_screen.button.isEnabled()

    central.start()
    unlock_window(qtbot, window)
    assert window.stack.currentWidget() is window.caseload_screen
    assert window.caseload_screen.model.rowCount() > 0


def test_a_laptop_reported_lost_goes_back_to_first_run(
        central: CentralProcess, lapsed: Laptop, window: MainWindow, qtbot: QtBot) -> None:
    central.set_device_status(lapsed.device_id, "wipe")
    try_to_unlock(window)
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=30_000)
    assert window.stack.currentWidget() is window.first_run
    assert not Vault.paths(lapsed.directory).key_file.exists()
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert any("reported lost" in box.text() for box in boxes)
    for box in boxes:
        box.close()
