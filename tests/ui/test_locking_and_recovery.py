"""Locking hides everything; a draft outlives a killed app and is offered back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Household, unlock
from tests.ui.crash_writer import WORDS
from tests.ui.driving import start_visit_for_selected, write
from ui.shell.main_window import WindowOptions
from ui.widgets.background import wait_for_background_work

ROOT = Path(__file__).resolve().parents[2]


def test_idle_lock_saves_the_draft_and_hides_the_data(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(idle_lock_ms=600, autosave_ms=60_000))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    write(qtbot, editor.details.form, "purpose", "Written just before walking away")
    with qtbot.waitSignal(window.locked, timeout=5_000):
        pass  # nobody touches anything
    assert window.stack.currentWidget() is window.unlock_screen
    assert window.editor is None and window.services is None
    assert window.caseload_screen.model.rowCount() == 0
    shown = [w.text() for w in window.findChildren(type(window.unlock_screen.message))]
    assert not any("Ana" in text or "Nowak" in text for text in shown)

    unlock(qtbot, window)  # the draft written before the lock is in the vault
    wait_for_background_work()
    visits = window.services.visits(drafts=True)  # type: ignore[union-attr]
    assert len(visits) == 1
    opened = window.services.open_visit(visits[0].visit_id)  # type: ignore[union-attr]
    assert opened.visit.purpose == "Written just before walking away"


def test_activity_keeps_the_vault_open(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(idle_lock_ms=700))
    unlock(qtbot, window)
    for _ in range(8):
        qtbot.wait(150)
        qtbot.keyClick(window.caseload_screen.filter, Qt.Key.Key_A)
    assert window.services is not None


def test_a_draft_survives_the_app_being_killed_and_is_offered_back(
    qtbot: QtBot, household: Household, make_window: object, tmp_path: Path
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.crash_writer", str(household.directory)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert writer.stdout is not None
        line = writer.stdout.readline()
        assert line.strip() == "SAVED", line + writer.stderr.read() if writer.stderr else ""
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=10)
    assert writer.returncode == -signal.SIGKILL

    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    offer = window.caseload_screen.recovery
    assert offer.isVisible()
    assert offer.text().startswith("Recover the visit you were writing (started ")
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        qtbot.keyClick(offer, Qt.Key.Key_Space)
    editor = opened.args[0]
    assert editor.details.form.value("purpose") == WORDS
    assert not editor.read_only

    window.lock("done")  # locking properly means nothing is offered next time
    unlock(qtbot, window)
    assert not window.caseload_screen.recovery.isVisible()


def test_idle_lock_closes_the_children_chooser_listing_names(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog

    from tests.ui.driving import when_dialog_opens
    from ui.visit.caseload_screen import ChildrenChooser

    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(idle_lock_ms=1_500))
    unlock(qtbot, window)
    opened: list[QDialog] = []
    when_dialog_opens(opened.append)  # the worker walks away with the chooser open
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window.caseload_screen.table, Qt.Key.Key_N,
                       Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1 and isinstance(opened[0], ChildrenChooser)
    assert not [w for w in QApplication.topLevelWidgets()
                if w is not window and w.isVisible()]
    assert window.editor is None


def test_lock_now_closes_a_dialog_opened_over_the_visit_editor(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog

    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(autosave_ms=60_000))
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    question = QDialog(editor)
    question.open()
    qtbot.waitUntil(question.isVisible)
    window.lock("asked")
    assert not [w for w in QApplication.topLevelWidgets()
                if w is not window and w.isVisible()]


def test_lock_now_drops_the_selection_the_app_offered() -> None:
    """Under a real X server, text selected in Homevisit is PRIMARY until the lock."""
    display = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert display.stdout is not None
        number = display.stdout.readline().strip()
        env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
        done = subprocess.run([sys.executable, "-m", "tests.ui.selection_holder"], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["before lock: Ana said she is hungry",
                                            "after lock: "]
    finally:
        display.terminate()
        display.communicate(timeout=10)
