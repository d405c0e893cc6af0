"""Keyboard focus comes back where it was, Ctrl+Tab moves between the editor's sections, and
no window or dialog the app builds has two controls on one Alt+letter."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import creator, unlocker
from desktop_app.policy import Policy
from desktop_app.review_wiring import attach_review
from records.schedule import WorkingCalendar
from tests.ui.conftest import Household, unlock
from tests.ui.driving import (
    answer,
    press_enter,
    start_visit_for_selected,
    submit_a_visit,
    when_dialog_opens,
)
from tests.ui.mnemonics import duplicate_mnemonics
from tests.ui.test_review_screen import Team, team  # noqa: F401
from ui.review.review_screen import ReviewScreen
from ui.shell.main_window import MainWindow, WindowOptions
from ui.visit.addenda import AddendumDialog
from ui.widgets.form import reveal

Key = Qt.Key
ALT, CTRL, SHIFT = (Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier,
                    Qt.KeyboardModifier.ShiftModifier)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_focus_comes_back_to_the_caseload_after_closing_a_submitted_visit(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window: MainWindow = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    table = window.caseload_screen.table
    chosen = window.caseload_screen.selected_child()
    editor = submit_a_visit(qtbot, window)
    qtbot.keyClick(focused(), Key.Key_C, ALT)  # Close
    qtbot.waitUntil(lambda: window.editor is None)
    qtbot.waitUntil(lambda: focused() is table, timeout=10_000)
    assert window.caseload_screen.selected_child() == chosen
    assert editor.read_only
    # Again, the visit opened from "Visits for this child…" (a dialog) by keys alone.
    when_dialog_opens(press_enter(qtbot))
    with qtbot.waitSignal(window.editor_opened, timeout=10_000):
        qtbot.keyClick(focused(), Key.Key_V, ALT)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isAncestorOf(focused()),
                    timeout=10_000)
    qtbot.keyClick(focused(), Key.Key_C, ALT)
    qtbot.waitUntil(lambda: focused() is table, timeout=10_000)
    qtbot.keyClick(focused(), Key.Key_Tab)  # typing and Tab work with no click first
    assert focused() is not None and focused() is not table


def test_focus_comes_back_after_a_dialog_is_cancelled(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window: MainWindow = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    table = window.caseload_screen.table
    table.setFocus()
    when_dialog_opens(lambda dialog: qtbot.keyClick(dialog, Key.Key_Escape))
    qtbot.keyClick(table, Key.Key_N, CTRL)  # "which children?" then Escape
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    qtbot.waitUntil(lambda: focused() is table, timeout=10_000)
    shown: list[QDialog] = []
    when_dialog_opens(lambda dialog: (shown.append(dialog),
                                      qtbot.keyClick(dialog, Key.Key_Escape)))
    window.caseload_screen.drafts_button.click()  # "Your drafts…", then Escape
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: focused() is table, timeout=10_000)


def test_ctrl_tab_and_ctrl_shift_tab_move_between_the_editors_sections(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window: MainWindow = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    assert editor.tabs.currentIndex() == 0
    qtbot.keyClick(focused(), Key.Key_Tab, CTRL)
    assert editor.tabs.currentIndex() == 1
    qtbot.keyClick(focused(), Key.Key_Tab, CTRL)
    assert editor.tabs.currentIndex() == 2
    qtbot.keyClick(focused(), Key.Key_Tab, CTRL)
    assert editor.tabs.currentIndex() == 3
    qtbot.keyClick(focused(), Key.Key_Backtab, CTRL | SHIFT)
    assert editor.tabs.currentIndex() == 2
    assert editor.isAncestorOf(focused())


# --- mnemonics: every window and dialog -------------------------------------------------


def assert_unique(window: QWidget, what: str) -> None:
    assert duplicate_mnemonics(window) == [], f"{what}: two controls on one Alt+letter"


def test_alt_v_opens_visits_for_this_child_not_a_menu(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window: MainWindow = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    opened: list[object] = []
    window.caseload_screen.show_visits.connect(opened.append)
    when_dialog_opens(lambda dialog: dialog.reject())  # the list of the child's visits
    qtbot.keyClick(focused(), Key.Key_V, ALT)
    qtbot.waitUntil(lambda: opened == [window.caseload_screen.selected_child()])
    assert not window.menuBar().activeAction()  # no menu opened instead


def test_the_first_run_screen_has_unique_mnemonics(qtbot: QtBot, tmp_path: Path) -> None:
    policy = Policy()
    first = MainWindow(unlocker(tmp_path / "new", policy, WorkingCalendar()), date.today,
                       create=creator(tmp_path / "new", policy, WorkingCalendar()))
    qtbot.addWidget(first)
    first.show()
    assert first.first_run is not None
    assert_unique(first, "first run")


def test_every_screen_of_a_workers_window_has_unique_mnemonics(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window: MainWindow = make_window(  # type: ignore[operator]
        household.directory, WindowOptions(autosave_ms=200, photos_allowed=True,
                                           pdf_allowed=True))
    assert_unique(window, "unlock")
    unlock(qtbot, window)
    assert_unique(window, "caseload")
    checked: list[str] = []

    def check_dialog(name: str):  # type: ignore[no-untyped-def]
        def check(dialog: QDialog) -> None:
            checked.append(name)
            try:
                assert_unique(dialog, name)
            finally:
                dialog.reject()
        return check

    when_dialog_opens(check_dialog("which children"))
    window.caseload_screen.start_button.click()
    qtbot.waitUntil(lambda: checked == ["which children"], timeout=10_000)
    when_dialog_opens(check_dialog("visits for this child"))
    window.caseload_screen.visits_button.click()
    qtbot.waitUntil(lambda: len(checked) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: focused() is window.caseload_screen.table)  # back, for Ctrl+N

    editor = start_visit_for_selected(qtbot, window)
    for section in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(section)
        assert_unique(window, f"editor section {section}")
    ana = editor.child_pages[0]
    editor.tabs.setCurrentWidget(ana)
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    ana.setCurrentIndex(1)
    reveal(ana.injuries.add_button)
    ana.injuries.add_button.click()
    assert_unique(window, "body map with an injury")
    editor.close_editor()
    editor = submit_a_visit(qtbot, window)
    assert_unique(window, "submitted visit")
    when_dialog_opens(check_dialog("addendum"))
    editor.addenda.ask()
    assert checked[-1] == "addendum"
    assert_unique(AddendumDialog(window), "addendum, built directly")


class _UnlockedStandIn:
    """What the window asks of an unlocked vault while the review screen is shown."""

    def pull_position(self) -> None:
        return None

    def lock(self) -> None:
        return None


@pytest.mark.usefixtures("team")
def test_the_review_screen_has_unique_mnemonics_and_tab_reaches_the_comment(
    request: pytest.FixtureRequest, qtbot: QtBot
) -> None:
    found: Team = request.getfixturevalue("team")
    # In a team lead's window, as desktop_app wires it: the worker's menus and "Review".
    window = MainWindow(lambda _: None, date.today)  # type: ignore[arg-type, return-value]
    qtbot.addWidget(window)
    window.show()
    window.services = _UnlockedStandIn()  # type: ignore[assignment]
    attach_review(window, found.screen.services)
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=15_000)
    assert_unique(window, "review screen")
    with qtbot.waitSignal(screen.note_shown, timeout=15_000):
        screen.table.selectRow(0)
    returned: list[bool] = []
    screen.return_button.clicked.connect(lambda: returned.append(True))
    screen.comment.setFocus()
    qtbot.keyClick(screen.comment, Key.Key_M, ALT)
    qtbot.waitUntil(lambda: returned == [True])  # pressed, not only focused
    note, comment = screen.note, screen.comment
    note.setFocus()
    qtbot.keyClick(note, Key.Key_Tab)
    assert focused() is comment
    qtbot.keyClick(comment, Key.Key_Tab)
    assert focused() is not comment  # Tab leaves the comment too


@pytest.mark.usefixtures("team")
def test_the_review_screen_catches_up_with_the_day_when_the_window_is_activated(
    request: pytest.FixtureRequest, qtbot: QtBot
) -> None:
    """As desktop_app wires it: a laptop that slept through midnight (the midnight timer
    stopped with it) reads the queue again for the new day when its window is activated."""
    from PySide6.QtCore import QEvent

    found: Team = request.getfixturevalue("team")
    window = MainWindow(lambda _: None, date.today)  # type: ignore[arg-type, return-value]
    qtbot.addWidget(window)
    window.show()
    window.services = _UnlockedStandIn()  # type: ignore[assignment]
    screen, _ = attach_review(window, found.screen.services)
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=15_000)
    woke_on = screen.today + timedelta(days=1)
    screen.clock = lambda: woke_on
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(screen.model.loaded, timeout=15_000):
        window.changeEvent(QEvent(QEvent.Type.ActivationChange))
    assert screen.today == woke_on and screen.model.today == woke_on
