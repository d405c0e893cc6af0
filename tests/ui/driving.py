"""How the tests work the real widgets: click the buttons, type in the boxes, pick choices."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from records.visit import FoodConcern, VisitOutcome, VisitType
from ui.shell.main_window import MainWindow
from ui.visit.child_page import ChildPage
from ui.visit.visit_editor import VisitEditor
from ui.widgets.fields import Choice, Field, YesNo
from ui.widgets.form import FieldRow, Form, reveal

_TEST = [0]
"""Which test the hooks below belong to: bumped at the start and end of every window test."""


def forget_dialog_hooks() -> None:
    """Hooks still waiting from an earlier test stop: a hook whose dialog never opened in
    its own test polled on and answered a later test's dialog (pressed Enter on another
    test's chooser, say), which made that test wait for an editor that never came."""
    _TEST[0] += 1


def when_dialog_opens(act: Callable[[QDialog], None]) -> None:
    """Answer the next modal dialog as a person would, once it is on screen (in this test
    only)."""
    mine = _TEST[0]

    def check() -> None:
        if _TEST[0] != mine:
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(20, check)
            return
        act(dialog)

    QTimer.singleShot(0, check)


@contextmanager
def every_dialog_cancelled() -> Iterator[list[QDialog]]:
    """Every modal dialog that comes up meanwhile is counted and cancelled, focused or not:
    for tests where a dialog should not come up at all, or only once, so that one more fails
    the count instead of waiting for an answer."""
    shown: list[QDialog] = []

    def cancel_any() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            shown.append(dialog)
            dialog.reject()

    watching = QTimer()
    watching.setInterval(20)
    watching.timeout.connect(cancel_any)
    watching.start()
    try:
        yield shown
    finally:
        watching.stop()


def press_enter(qtbot: QtBot) -> Callable[[QDialog], None]:
    return lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Return)


def start_visit_for_selected(qtbot: QtBot, window: MainWindow) -> VisitEditor:
    when_dialog_opens(press_enter(qtbot))
    with qtbot.waitSignal(window.editor_opened, timeout=10_000) as opened:
        qtbot.keyClick(window.caseload_screen.table, Qt.Key.Key_N,
                       Qt.KeyboardModifier.ControlModifier)
    editor = opened.args[0]
    assert isinstance(editor, VisitEditor)
    return editor


def field(form: Form, name: str) -> Field:
    return form.rows[name].field


def answer(qtbot: QtBot, form: Form, name: str, yes: bool) -> None:
    asked = field(form, name)
    reveal(asked)
    assert isinstance(asked, YesNo)
    qtbot.mouseClick(asked.yes if yes else asked.no, Qt.MouseButton.LeftButton)


def write(qtbot: QtBot, form: Form, name: str, text: str) -> None:
    target = field(form, name)
    editor: QWidget = target.focusProxy() or target
    editor.setFocus()
    qtbot.keyClicks(editor, text)


def choose(form: Form, name: str, member: StrEnum) -> None:
    chosen = field(form, name)
    assert isinstance(chosen, Choice)
    chosen.combo.setCurrentIndex(chosen.combo.findData(member.value))


def fill_visit_except_children(qtbot: QtBot, editor: VisitEditor) -> None:
    details = editor.details.form
    first = editor.essentials.form
    write(qtbot, details, "worker", "Jo Okafor")
    choose(details, "visit_type", VisitType.STATUTORY)
    answer(qtbot, details, "announced", False)
    write(qtbot, details, "purpose", "Statutory visit under the plan.")
    choose(first, "outcome", VisitOutcome.COMPLETED)
    ended = field(details, "ended_at")
    ended.set_value(field(first, "started_at").value())
    people = editor.people
    qtbot.mouseClick(people.people.add_button, Qt.MouseButton.LeftButton)
    write(qtbot, people.people._entries[0].form, "name", "Magda Nowak")
    write(qtbot, people.people._entries[0].form, "relationship", "mother")
    answer(qtbot, people.form, "absent_fathers_or_partners_asked_about", True)
    write(qtbot, people.form, "language_of_children", "English")
    write(qtbot, people.form, "language_of_parents", "English")
    home = editor.home.form
    write(qtbot, home, "home.description", "Warm, tidy, food in the fridge.")
    answer(qtbot, home, "adults_and_risk.domestic_abuse_since_last_visit", False)
    answer(qtbot, home, "adults_and_risk.household_changes", False)
    write(qtbot, editor.analysis.form, "analysis", "No new concerns; plan remains right.")


def fill_child(qtbot: QtBot, page: ChildPage, *, alone: bool = True, reason: str = "") -> None:
    """The child's essentials (on the first page) and what was seen (on their own tab)."""
    form = page.essentials.form
    reveal(form.rows["seen"])
    answer(qtbot, form, "seen", True)
    answer(qtbot, form, "seen_alone", alone)
    if reason:
        write(qtbot, form, "reason_not_seen_alone", reason)
    answer(qtbot, form, "spoken_to_alone", True)
    if "baby_seen_awake" in form.rows:
        answer(qtbot, form, "baby_seen_awake", True)
    answer(qtbot, form, "bedroom_seen", True)
    write(qtbot, form, "sleeping_arrangements", "Own bed, clean bedding.")
    answer(qtbot, form, "locks_on_outside_of_door", False)
    write(qtbot, form, "child_words", "I get breakfast at school.")
    checks = field(form, "communication_methods")
    box = checks.boxes[0][1]  # type: ignore[attr-defined]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    choose(form, "food_concern", FoodConcern.NONE)
    answer(qtbot, form, "injuries_seen", False)
    seen = page.seen.form
    write(qtbot, seen, "demeanour", "Chatty.")
    write(qtbot, seen, "clothing_and_hygiene", "Clean.")
    write(qtbot, seen, "interaction_with_carers", "Warm.")


def fill_whole_visit(qtbot: QtBot, editor: VisitEditor) -> None:
    """Answer everything a complete visit needs, every child seen (alone)."""
    fill_visit_except_children(qtbot, editor)
    for page in editor.child_pages:
        fill_child(qtbot, page)


def submit(qtbot: QtBot, editor: VisitEditor) -> None:
    """Ctrl+Return: the worker's way to submit the visit in the editor."""
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def submit_a_visit(qtbot: QtBot, window: MainWindow) -> VisitEditor:
    """Record a complete visit to the selected household, every child seen, and submit it
    with the keyboard; the editor, read-only now, is returned."""
    editor = start_visit_for_selected(qtbot, window)
    fill_whole_visit(qtbot, editor)
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    return editor


def submit_without_a_reason_not_seen_alone(
        qtbot: QtBot, editor: VisitEditor) -> tuple[ChildPage, FieldRow]:
    """Fill in the household's visit, Ana seen but not alone and no reason given, and try to
    submit it: (Ana's page, the reason's row) once the row shows its problem."""
    fill_visit_except_children(qtbot, editor)
    ana_page, tomasz_page = editor.child_pages
    fill_child(qtbot, ana_page, alone=False)  # no reason given
    fill_child(qtbot, tomasz_page)
    submit(qtbot, editor)
    reason = ana_page.essentials.form.rows["reason_not_seen_alone"]
    qtbot.waitUntil(lambda: reason.problem.isVisible(), timeout=10_000)
    return ana_page, reason
