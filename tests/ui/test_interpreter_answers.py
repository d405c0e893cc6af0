"""Who interpreted never stops a visit: a family member interpreting is recorded as it was
and submitted (the team lead sees it flagged red); no interpreter to be had needs only why."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app import session as sessions
from desktop_app.policy import Policy
from records.contracts import VisitStatus
from records.visit import Interpreter, InterpreterKind
from tests.ui.conftest import PASSPHRASE, Household, unlock
from tests.ui.driving import (
    choose,
    field,
    fill_whole_visit,
    start_visit_for_selected,
    submit,
    write,
)
from ui.shell.main_window import MainWindow
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import wait_for_background_work


def polish_family_visit(qtbot: QtBot, editor: VisitEditor, kind: InterpreterKind) -> None:
    fill_whole_visit(qtbot, editor)
    people = editor.people.form
    field(people, "language_of_parents").set_value("Polish")
    choose(people, "interpreter.kind", kind)


def submitted_interpreter(window: MainWindow, household: Household,
                          editor: VisitEditor) -> Interpreter | None:
    """Who interpreted, as signed into the vault."""
    visit_id = editor.visit.id
    window.lock("test")
    wait_for_background_work()
    with sessions.unlock(household.directory, PASSPHRASE, Policy()) as opened:
        stored = opened.workspace.visits.get(visit_id)
        assert stored is not None and stored.status is VisitStatus.SUBMITTED
        return stored.visit.interpreter


def test_a_family_member_interpreting_is_submitted(
    qtbot: QtBot, household: Household, make_window: object,
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    polish_family_visit(qtbot, editor, InterpreterKind.FAMILY_MEMBER)
    kind = editor.people.form.rows["interpreter.kind"]
    assert not kind.problem.isVisible()
    assert editor.people.form.rows["interpreter.reason_none_available"].isHidden()
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    interpreter = submitted_interpreter(window, household, editor)
    assert interpreter is not None and interpreter.kind is InterpreterKind.FAMILY_MEMBER


def test_no_interpreter_available_asks_why_beside_the_question_then_submits(
    qtbot: QtBot, household: Household, make_window: object,
) -> None:
    window = make_window(household.directory)  # type: ignore[operator]
    unlock(qtbot, window)
    editor = start_visit_for_selected(qtbot, window)
    polish_family_visit(qtbot, editor, InterpreterKind.NONE_AVAILABLE)
    reason = editor.people.form.rows["interpreter.reason_none_available"]
    assert not reason.isHidden()
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: reason.problem.isVisible(), timeout=10_000)
    assert reason.problem.text() == "⚠ Say why no interpreter was available."
    assert not editor.read_only
    write(qtbot, editor.people.form, "interpreter.reason_none_available",
          "Unannounced visit; LanguageLine had nobody for Polish.")
    submit(qtbot, editor)
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    interpreter = submitted_interpreter(window, household, editor)
    assert interpreter is not None and interpreter.kind is InterpreterKind.NONE_AVAILABLE
    assert interpreter.reason_none_available == (
        "Unannounced visit; LanguageLine had nobody for Polish.")
