"""IT reports a laptop lost (`homevisit-central device wipe`): at its next contact the real
window's vault loses its key slots first, then its database, -wal and -shm, and the window
returns to first run, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app import sync_thread
from desktop_app.policy import Policy
from desktop_app.sync_wiring import WindowSync
from storage.vault import Vault
from tests.sync.conftest import unlocked_window, wait_until_synced
from tests.sync.harness import CentralProcess
from tests.sync.test_sync_thread import enrolled
from ui.shell.main_window import MainWindow

POLICY = Policy(sync_interval_minutes=60)


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_a_laptop_reported_lost_erases_its_vault_and_returns_to_first_run(
        central: CentralProcess, tmp_path: Path, qtbot: QtBot,
        windows: list[MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = enrolled(central, tmp_path)
    paths = Vault.paths(laptop.directory)
    window = unlocked_window(qtbot, laptop.directory, POLICY, windows)
    wait_until_synced(qtbot, window)
    assert paths.database.exists() and paths.key_file.exists()

    said = central.command("device", "wipe", str(laptop.device_id))
    assert "marked lost" in said
    sync = window.findChild(WindowSync)
    assert isinstance(sync, WindowSync)
    at_the_order: list[tuple[bool, bool]] = []
    # Seen as the window starts erasing the database on its lane (a slot connected here ran
    # after the lane had already erased it, on a loaded machine).
    erase = sync_thread.erase_after_wipe_order

    def erase_seen(directory: Path, vault: Vault) -> None:
        at_the_order.append((paths.key_file.exists(), paths.database.exists()))
        erase(directory, vault)

    monkeypatch.setattr(sync_thread, "erase_after_wipe_order", erase_seen)
    window.sync_now_action.trigger()  # its next contact
    qtbot.waitUntil(lambda: window.first_run is not None
                    and window.stack.currentWidget() is window.first_run, timeout=60_000)
    assert at_the_order == [(False, True)]  # key slots gone first; the database after
    qtbot.waitUntil(lambda: not any(p.exists() for p in (
        paths.database, paths.key_file, *paths.database_companions)), timeout=30_000)
    assert window.services is None and not window.sync_now_action.isEnabled()
    told = QApplication.activeModalWidget()
    assert isinstance(told, QMessageBox) and "reported lost" in told.text()
    assert window.first_run is not None and window.first_run.enroll_form is not None
