"""The window as a worker meets it: unlock with the keyboard, see the caseload, lock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QEventLoop, Qt
from pytestqt.qtbot import QtBot

from desktop_app.app import unlocker
from desktop_app.demo_data import make_demo_data
from desktop_app.policy import Policy
from records.schedule import WorkingCalendar
from storage.workspace import Workspace
from tests.vaults import new_vault
from ui.shell.main_window import MainWindow
from ui.widgets.background import wait_for_background_work

TODAY = date(2026, 11, 23)  # a week after the demo data's visits

PASSPHRASE = "a long enough passphrase"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    directory = tmp_path / "vault"
    with new_vault(directory, PASSPHRASE) as vault:
        make_demo_data(Workspace.over(vault.connection, actor="test"), children=8, visits=20,
                       today=date(2026, 11, 16))
    policy = Policy()

    shown = MainWindow(unlocker(directory, policy, WorkingCalendar(), clock=lambda: TODAY),
                       lambda: TODAY)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_wrong_then_right_passphrase_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.unlock_screen
    qtbot.keyClicks(screen.passphrase, "not my passphrase")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in screen.message.text(), timeout=10_000)
    assert window.stack.currentWidget() is screen
    screen.passphrase.clear()
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.caseload_screen
    assert window.caseload_screen.model.rowCount() == 8
    assert window.windowTitle() == "Homevisit"


def test_lock_now_hides_the_caseload(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.unlock_screen
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is screen
    assert window.caseload_screen.model.rowCount() == 0
    assert window.services is None
    assert screen.passphrase.text() == ""


def test_filtering_the_caseload(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.unlock_screen
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    caseload_screen = window.caseload_screen
    first = caseload_screen.model.row_at(0).child_name
    qtbot.keyClicks(caseload_screen.filter, first)
    shown = caseload_screen.model.rowCount()
    assert 1 <= shown <= 8
    for row in range(shown):
        assert first in caseload_screen.model.index(row, 0).data()


def test_overdue_moves_on_with_the_day_while_the_window_stays_open(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Left unlocked overnight (or locked and unlocked days later), the caseload judges
    "overdue" by the day it is, not the day the app was started."""
    directory = tmp_path / "vault"
    with new_vault(directory, PASSPHRASE) as vault:
        make_demo_data(Workspace.over(vault.connection, actor="test"), children=8, visits=20,
                       today=date(2026, 11, 16))
    days = [TODAY]
    window = MainWindow(unlocker(directory, Policy(), WorkingCalendar(),
                                 clock=lambda: days[-1]), lambda: days[-1])
    qtbot.addWidget(window)
    window.show()
    screen = window.unlock_screen
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    caseload = window.caseload_screen
    dues = [caseload.model.row_at(r).next_visit_due for r in range(caseload.model.rowCount())]
    later = max(d for d in dues if d is not None) + timedelta(days=1)
    before = sum(1 for line in caseload.model.prepared.lines if line.overdue)
    assert before < len(dues) and caseload.today == TODAY
    days.append(later)  # midnight passes: every visit due is now past
    with qtbot.waitSignal(caseload.model.modelReset, timeout=10_000):
        caseload.day_changed.emit()
    assert caseload.today == later
    overdue = sum(1 for line in caseload.model.prepared.lines if line.overdue)
    assert overdue == sum(1 for d in dues if d is not None) > before
    assert f"{overdue} overdue a visit" in caseload.summary.text()
    # Back from a suspend that slept through midnight: activation reads it again.
    days.append(later + timedelta(days=1))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(caseload.model.modelReset, timeout=10_000):
        window.changeEvent(QEvent(QEvent.Type.ActivationChange))
    assert caseload.today == later + timedelta(days=1)


def test_a_caseload_read_that_ends_after_a_lock_leaves_no_name_behind(
        qtbot: QtBot, window: MainWindow) -> None:
    """Midnight queues a read; the laptop locks before it ends: the locked window must not
    be handed the children's names when it does."""
    screen = window.unlock_screen
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    caseload = window.caseload_screen
    assert caseload.model.rowCount() == 8
    caseload.day_changed.emit()
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    wait_for_background_work()
    QEventLoop().processEvents()
    assert caseload.model.rowCount() == 0 and caseload.model.prepared.rows == []
