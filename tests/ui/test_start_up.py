"""Start-up as the app does it: the unlock screen first, policy and the vault behind it."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.app import build_window
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import start_visit_for_selected
from ui.shell.main_window import MainWindow
from ui.widgets.background import wait_for_background_work

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "holidays", "sqlcipher3", "cryptography", "records", "storage",
         "desktop_app.policy", "ui.visit.visit_editor", "ui.widgets.visit_pdf",
         "ui.visit.caseload_screen")

FIRST_FRAME = """
import json, sys
from pathlib import Path
from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop_app.app import build_window

app, window = build_window(Path(sys.argv[1]), listen_to_desktop=False)
window.show()
heavy = sys.argv[2].split(",")

def report():
    loaded = [m for m in heavy if m in sys.modules]
    print(json.dumps({"shown": window.stack.currentWidget() is window.unlock_screen,
                      "visible": window.unlock_screen.isVisible(), "loaded": loaded,
                      # PySide builds Qt's enum namespace (~40 ms) when it is first touched
                      "qt_namespace_built": "Qt" in vars(QtCore)}))
    app.quit()

QTimer.singleShot(0, report)
app.exec()
window.lock("done")
"""


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The worker's own settings file (no IT policy is installed on the test machine)."""
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("HOMEVISIT_SETTINGS_FILE", str(path))
    return path


@pytest.fixture
def windows() -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for window in made:
        window.lock("test over")
        window.close()
    wait_for_background_work()


def test_the_unlock_screen_is_shown_before_records_policy_or_vault_are_imported(
    household: Household, settings: Path
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    shown = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(household.directory), ",".join(HEAVY)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(shown.stdout.strip().splitlines()[-1])
    assert report == {"shown": True, "visible": True, "loaded": [],
                      "qt_namespace_built": False}


def test_policy_read_behind_the_unlock_screen_sets_the_idle_lock(
    qtbot: QtBot, household: Household, settings: Path, windows: list[MainWindow]
) -> None:
    settings.write_text("idle_lock_minutes = 2\n", encoding="utf-8")
    _app, window = build_window(household.directory, listen_to_desktop=False)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.unlock_screen
    qtbot.waitUntil(lambda: window.idle.timeout_ms == 2 * 60_000, timeout=30_000)
    unlock(qtbot, window)
    assert window.caseload_screen.model.rowCount() == 2


def test_an_unlock_typed_at_once_waits_for_the_policy_and_opens_the_vault(
    qtbot: QtBot, household: Household, settings: Path, windows: list[MainWindow]
) -> None:
    settings.write_text("idle_lock_minutes = 3\n", encoding="utf-8")
    _app, window = build_window(household.directory, listen_to_desktop=False)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=30_000):
        window.unlock_screen.try_unlock()  # queued before the policy is read
    assert window.idle.timeout_ms == 3 * 60_000
    assert window.stack.currentWidget() is window.caseload_screen


def test_a_folder_with_no_vault_in_it_turns_to_first_run(
    qtbot: QtBot, tmp_path: Path, settings: Path, windows: list[MainWindow]
) -> None:
    settings.write_text("minimum_passphrase_length = 20\n", encoding="utf-8")
    directory = tmp_path / "not-yet"
    directory.mkdir()
    (directory / "notes.txt").write_text("not a vault", encoding="utf-8")
    _app, window = build_window(directory, listen_to_desktop=False)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.unlock_screen  # a vault may be there
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=30_000)
    screen = window.first_run
    assert screen is not None and window.stack.currentWidget() is screen
    assert screen.minimum_length == 20


def test_an_empty_folder_opens_on_first_run_with_the_policy_minimum(
    qtbot: QtBot, tmp_path: Path, settings: Path, windows: list[MainWindow]
) -> None:
    settings.write_text("minimum_passphrase_length = 18\n", encoding="utf-8")
    _app, window = build_window(tmp_path / "new", listen_to_desktop=False)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    # The policy is read on the vault lane (not on the UI thread); first run follows it.
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=30_000)
    screen = window.first_run
    assert screen is not None and window.stack.currentWidget() is screen
    qtbot.keyClicks(screen.passphrase, "seventeen letters")
    assert "1 more characters needed" in screen.verdict.text()


def test_the_open_session_is_kept_out_of_full_collections_until_locked(
    qtbot: QtBot, household: Household, settings: Path, windows: list[MainWindow]
) -> None:
    _app, window = build_window(household.directory, listen_to_desktop=False)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    assert gc.get_freeze_count() > 0
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert gc.get_freeze_count() == 0


def test_closing_a_visit_keeps_the_worker_on_the_child_they_chose(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    table = window.caseload_screen.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    chosen = window.caseload_screen.selected_child()
    assert chosen is not None and table.currentIndex().row() == 1
    editor = start_visit_for_selected(qtbot, window)
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    wait_for_background_work()  # the caseload reload, which finds nothing changed
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.caseload_screen)
    assert window.caseload_screen.selected_child() == chosen
