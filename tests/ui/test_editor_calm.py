"""The editor stays still while the worker writes: flags and problems have fixed places, no
flag speaks of a question not yet answered, and a warning goes as its question is answered."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Household, unlock
from tests.ui.driving import answer, start_visit_for_selected, write
from ui.visit.visit_editor import FLAGS_AFTER_TYPING_MS, VisitEditor
from ui.widgets.theme import colours


def tabs_top(editor: VisitEditor) -> QPoint:
    return editor.tabs.mapTo(editor, QPoint(0, 0))


def test_no_flag_about_an_unanswered_question_and_the_form_never_moves(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    panel = editor.flags_panel
    before = tabs_top(editor)
    ana = editor.child_pages[0].essentials.form
    answer(qtbot, ana, "seen", True)
    answer(qtbot, ana, "seen_alone", False)  # Tomasz: nothing answered yet
    alone = "Amber: Ana was not seen alone at this visit."
    qtbot.waitUntil(lambda: alone in panel.sentences(), timeout=10_000)
    # Besides it, only that Ana's visit is late (she has not been seen since her plan began).
    assert all(s == alone or "after Ana's visit was due" in s for s in panel.sentences())
    assert not any("Tomasz" in sentence for sentence in panel.sentences())
    assert tabs_top(editor) == before  # the flag came into its own place: nothing moved
    assert FLAGS_AFTER_TYPING_MS <= 300


def test_a_warning_is_red_and_goes_as_soon_as_its_question_is_answered(
    qtbot: QtBot, household: Household, make_window: object
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    before = tabs_top(editor)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)  # submit: much is missing
    purpose = editor.details.form.rows["purpose"]
    qtbot.waitUntil(purpose.problem.isVisible, timeout=10_000)
    assert tabs_top(editor) == before  # the list of problems has a place of its own
    assert purpose.problem.text().startswith("⚠")
    assert purpose.problem.palette().color(purpose.problem.foregroundRole()) == colours().alert

    below = editor.essentials.form.rows["outcome"]
    where = below.mapTo(editor, QPoint(0, 0))
    write(qtbot, editor.details.form, "purpose", "Statutory visit.")
    assert not purpose.problem.isVisible()  # answered: the warning goes at once
    assert below.mapTo(editor, QPoint(0, 0)) == where  # and nothing under it jumps
    editor.details.form.rows["purpose"].field.set_value("")  # blank again: stays gone
    assert not purpose.problem.isVisible()
