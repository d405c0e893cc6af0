"""Every screen a worker or team lead meets: each input is named for a screen reader and
reachable by Tab. The screens are reached as a user reaches them, over a real vault."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.app import creator, unlocker
from desktop_app.policy import Policy
from records.schedule import WorkingCalendar
from records.visit import BodyView, VisitOutcome
from tests.ui.a11y import assert_accessible, headings, inputs_of
from tests.ui.conftest import Household, unlock
from tests.ui.driving import (
    answer,
    fill_child,
    fill_visit_except_children,
    start_visit_for_selected,
    when_dialog_opens,
)
from tests.ui.test_review_screen import Team, team  # noqa: F401
from ui.shell.main_window import MainWindow, WindowOptions
from ui.widgets.fields import Choice, labelled
from ui.widgets.form import Form, reveal
from ui.widgets.labels import label


def test_first_run_and_unlock_screens(qtbot: QtBot, tmp_path: Path) -> None:
    policy, directory = Policy(), tmp_path / "new"
    window = MainWindow(unlocker(directory, policy, WorkingCalendar()), date.today,
                        create=creator(directory, policy, WorkingCalendar()))
    qtbot.addWidget(window)
    window.show()
    assert window.first_run is not None
    assert_accessible(window.first_run, "first run")
    assert_accessible(window.unlock_screen, "unlock")


def test_caseload_editor_body_map_submitted_visit_and_addendum(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory,  # type: ignore[operator]
                         WindowOptions(autosave_ms=200, photos_allowed=True, pdf_allowed=True))
    unlock(qtbot, window)
    assert_accessible(window.caseload_screen, "caseload")

    editor = start_visit_for_selected(qtbot, window)
    fill_visit_except_children(qtbot, editor)
    ana, tomasz = editor.child_pages
    fill_child(qtbot, ana)
    fill_child(qtbot, tomasz)
    answer(qtbot, ana.essentials.form, "injuries_seen", True)
    reveal(ana.injuries.map)
    front = ana.injuries.map.view_rect(BodyView.FRONT)
    spot = front.topLeft() + QPoint(int(front.width() * 0.8), int(front.height() * 0.48))
    qtbot.mouseClick(ana.injuries.map, Qt.MouseButton.LeftButton, pos=spot.toPoint())
    assert len(ana.injuries.forms) == 1
    for section in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(section)
        assert_accessible(editor.tabs.widget(section), f"editor tab {section}")
    for page in editor.child_pages:
        for tab in range(page.count()):
            page.setCurrentIndex(tab)
            assert_accessible(page.widget(tab), f"child page tab {tab}")
    assert_accessible(ana.injuries.forms[0], "injury form")
    assert_accessible(editor, "whole editor")
    assert "Before you can submit" in headings(editor)  # a title, listed as a heading
    assert len(inputs_of(editor)) > 80  # the walk found the editor's questions, not a few

    ana.injuries.forms[0].setParent(None)  # not needed for the submitted visit's checks
    ana.injuries.forms.clear()
    answer(qtbot, ana.essentials.form, "injuries_seen", False)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.read_only or editor.problem_list.count() > 0,
                    timeout=10_000)
    assert editor.read_only
    assert editor.focusWidget() is editor.status  # focus lands on what happened: "Submitted …"
    assert_accessible(editor, "submitted visit")
    assert "Addenda" in headings(editor)

    checked: list[QDialog] = []

    def check_dialog(dialog: QDialog) -> None:
        checked.append(dialog)
        try:
            assert_accessible(dialog, "addendum dialog")
        finally:
            dialog.findChild(QDialogButtonBox).button(
                QDialogButtonBox.StandardButton.Cancel).click()

    when_dialog_opens(check_dialog)
    editor.addenda.ask()
    assert len(checked) == 1


@pytest.mark.usefixtures("team")
def test_review_screen(request: pytest.FixtureRequest) -> None:
    found: Team = request.getfixturevalue("team")
    assert_accessible(found.screen, "review screen")



def test_a_drop_down_is_read_by_its_question_with_its_choice_as_value(qtbot: QtBot) -> None:
    form = Form()
    row = form.row("outcome", "&Outcome of the visit", Choice(labelled(
        list(VisitOutcome), label)))
    qtbot.addWidget(row)
    row.show()
    combo = row.field.focusProxy()
    assert isinstance(combo, QComboBox)
    read = QAccessible.queryAccessibleInterface(combo)
    assert read is not None and read.role() == QAccessible.Role.ComboBox
    assert read.text(QAccessible.Text.Name) == "Outcome of the visit"
    assert read.text(QAccessible.Text.Value) == "— choose —"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert read.text(QAccessible.Text.Name) == "Outcome of the visit"  # not the answer
    assert read.text(QAccessible.Text.Value) == label(next(iter(VisitOutcome)))


def test_enrolment_form(qtbot: QtBot) -> None:
    from ui.shell.enroll import EnrollmentForm

    form = EnrollmentForm(None, False)
    qtbot.addWidget(form)
    form.show()
    assert_accessible(form, "enrolment")


def test_the_timeline_is_a_list_of_events_the_keyboard_steps_through(qtbot: QtBot) -> None:
    from tests.ui.test_pdf_output import long_chronology
    from ui.review.chronology import ChronologyView
    from ui.widgets.accessibility import listen

    chronology = long_chronology()
    view = ChronologyView()
    qtbot.addWidget(view)
    view.show()
    view.show_chronology(chronology)
    read = QAccessible.queryAccessibleInterface(view)
    assert read is not None and read.childCount() == len(chronology.events)
    first, newest = read.child(0), read.child(read.childCount() - 1)
    assert first.text(QAccessible.Text.Name) == "6 Jan 2025, Visit: Visit 1: seen alone"
    assert newest.text(QAccessible.Text.Name).endswith(
        "Flag: Not seen alone at the last visit (red)")
    assert first.role() == QAccessible.Role.ListItem
    heard: list[str] = []
    stop = listen(lambda _source, said: heard.append(said))
    try:
        view.setFocus()
        qtbot.waitUntil(view.hasFocus)
        qtbot.keyClick(view, Qt.Key.Key_Right)
        qtbot.keyClick(view, Qt.Key.Key_End)
    finally:
        stop()
    count = len(chronology.events)
    assert heard[0].startswith("27 Jan 2025, Visit: Visit 2") and f"(2 of {count})" in heard[0]
    assert "Not seen alone at the last visit" in heard[1] and f"({count} of {count})" in heard[1]
    assert read.text(QAccessible.Text.Value) == heard[1]
