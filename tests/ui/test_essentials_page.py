"""The editor's first page asks the essentials for every child, and a child's injuries
lead from there to that child's body map."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Household, unlock
from tests.ui.driving import answer, start_visit_for_selected


def test_the_first_page_asks_each_childs_essentials_and_opens_their_body_map(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    assert editor.tabs.tabText(0) == "Essentials" and editor.tabs.currentIndex() == 0
    first = editor.tabs.widget(0)
    assert "outcome" in editor.essentials.form.rows
    assert "outcome" not in editor.details.form.rows  # asked in one place only
    for page in editor.child_pages:
        assert first.isAncestorOf(page.essentials)
        assert not page.built  # the child's own tab waits until it is shown
    ana = editor.child_pages[0]
    button = ana.essentials.body_map_button
    assert not button.isVisible()
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    assert button.isVisible() and "(0 marked)" in button.text()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert editor.tabs.currentWidget() is ana and ana.currentIndex() == 1
    assert QApplication.focusWidget() is ana.injuries.map
