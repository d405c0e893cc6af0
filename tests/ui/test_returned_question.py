"""A worker cannot miss a visit the team lead returned, and answering it clears the question.

The returned state is built as sync builds it: the worker submits a visit in a real vault,
then a team lead's signed return is applied through the ledger, as a pull page is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from records.contracts import OperationKind
from records.corrections import ReviewOutcome
from records.flag_types import weekday_text
from storage.review_decisions import open_questions
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import make_observation, make_visit
from tests.review.team import (
    WorkerDevice,
    child_changes,
    enroll_as_team_lead,
    enroll_as_worker,
    pull,
    returned_with_question,
)
from tests.ui.conftest import PASSPHRASE, Household, make_household_vault, unlock
from tests.ui.driving import when_dialog_opens, write
from ui.review.review_screen import ReviewScreen
from ui.shell.main_window import MainWindow
from ui.visit.addenda import AddendumDialog
from ui.visit.caseload_model import ANSWER_NEEDED, QUESTION_COLUMN
from ui.visit.caseload_screen import VisitPicker
from ui.visit.returned_question import ANSWER_REASON
from ui.visit.visit_editor import VisitEditor
from ui.widgets.background import wait_for_background_work

QUESTION = "Who else was at home when Ana got the bruise? Please see her alone next time."
ANSWER = "Only her mother and her brother were home. I will see Ana alone at school."
RETURNED_AT = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)


@dataclass
class Returned:
    visit_id: UUID
    review_id: UUID


def submit_ana_visit(workspace: Workspace, household: Household) -> tuple[UUID, str]:
    visit = make_visit(household.case, [household.ana],
                       children=(make_observation(household.ana),))
    workspace.visits.save_draft(visit)
    stored = workspace.visits.submit(visit)
    return visit.id, stored.record_hash


def return_with_question(household: Household, visit_id: UUID, visit_hash: str,
                         position: int) -> UUID:
    """The team lead's return reaches the worker's vault the way a pull brings it."""
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        decision, change = returned_with_question(
            WorkerDevice.make("northlead"), visit_id, visit_hash, QUESTION, RETURNED_AT,
            position)
        pull(vault.connection, [change])
    return decision.id


def returned_visit(household: Household) -> Returned:
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        enroll_as_worker(vault.connection)
        visit_id, visit_hash = submit_ana_visit(
            Workspace.over(vault.connection, actor="J. Okafor"), household)
    return Returned(visit_id, return_with_question(household, visit_id, visit_hash, 1))


def caseload_marker(window: MainWindow, child_name: str) -> str:
    model = window.caseload_screen.model
    for row in range(model.rowCount()):
        if model.row_at(row).child_name.startswith(child_name):
            return str(model.index(row, QUESTION_COLUMN).data())
    raise LookupError(child_name)


def unlock_and_wait_for_questions(qtbot: QtBot, window: MainWindow) -> list[Any]:
    with qtbot.waitSignal(window.questions_shown, timeout=15_000) as shown:
        unlock(qtbot, window)
    return list(shown.args[0])


def answer_in_dialog(qtbot: QtBot) -> None:
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, AddendumDialog)
        assert dialog.form.rows["reason"].field.value() == ANSWER_REASON
        write(qtbot, dialog.form, "text", ANSWER)
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    when_dialog_opens(answer)


def test_an_escalation_leaves_the_question_open_and_a_sign_off_closes_it(
        household: Household) -> None:
    """Escalating a returned visit does not answer the worker's question (nor withdraw it);
    signing it off does: the team lead has decided without the answer."""
    returned = returned_visit(household)
    lead = WorkerDevice.make("northlead")
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        conn = vault.connection
        (visit_hash,) = conn.execute("SELECT record_hash FROM visits WHERE id = ?",
                                     (str(returned.visit_id),)).fetchone()
        for position, (outcome, minutes) in enumerate(
                ((ReviewOutcome.ESCALATED, 10), (ReviewOutcome.SIGNED_OFF, 20)), start=2):
            _, change = returned_with_question(
                lead, returned.visit_id, visit_hash, "Strategy discussion.",
                RETURNED_AT + timedelta(minutes=minutes), position, outcome=outcome)
            pull(conn, [change])
            still = [q.review_id for q in open_questions(conn)]
            assert still == ([returned.review_id] if outcome is ReviewOutcome.ESCALATED
                             else [])


def test_the_worker_reads_on_the_visit_that_it_was_escalated_and_to_what(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    returned = returned_visit(household)
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        (visit_hash,) = vault.connection.execute(
            "SELECT record_hash FROM visits WHERE id = ?", (str(returned.visit_id),)).fetchone()
        _, change = returned_with_question(
            WorkerDevice.make("northlead"), returned.visit_id, visit_hash,
            "Strategy discussion with police, Thursday 10:00.",
            RETURNED_AT + timedelta(hours=2), 2, outcome=ReviewOutcome.ESCALATED)
        pull(vault.connection, [change])
    window = make_window(household.directory)
    questions = unlock_and_wait_for_questions(qtbot, window)
    assert [q.review_id for q in questions] == [returned.review_id]  # still to answer
    with qtbot.waitSignal(window.editor_opened, timeout=15_000) as opened:
        window.open_visit(returned.visit_id)
    editor = opened.args[0]
    assert isinstance(editor, VisitEditor)
    escalated = editor.escalated_banner
    assert escalated is not None and escalated.isVisible()
    assert "escalated this visit" in escalated.heading.text()
    assert escalated.text.text().startswith("Escalated by R. Team Lead on ")
    assert escalated.text.text().endswith(": Strategy discussion with police, Thursday 10:00.")
    assert editor.question_banner is not None and editor.question_banner.isVisible()


def test_a_returned_question_is_marked_shown_and_cleared_by_an_answer(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    returned = returned_visit(household)
    window = make_window(household.directory)
    questions = unlock_and_wait_for_questions(qtbot, window)
    assert [q.review_id for q in questions] == [returned.review_id]

    screen = window.caseload_screen
    assert screen.questions.isVisible()
    assert "returned 1 visit with a question" in screen.questions.text.text()
    assert caseload_marker(window, "Ana") == ANSWER_NEEDED
    assert caseload_marker(window, "Tomasz") == ""
    assert window.question_count.isVisible()
    listed = []

    def list_visits(dialog: QDialog) -> None:
        assert isinstance(dialog, VisitPicker)
        listed.extend(dialog.list.item(row).text() for row in range(dialog.list.count()))
        dialog.reject()

    when_dialog_opens(list_visits)
    screen.filter.setText("Ana")
    screen.table.selectRow(0)
    qtbot.mouseClick(screen.visits_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(listed), timeout=15_000)
    assert listed[0].startswith("ANSWER NEEDED: returned by your team lead")
    screen.filter.clear()
    assert window.question_count.text().startswith("1 visit returned")

    with qtbot.waitSignal(window.editor_opened, timeout=15_000) as opened:
        qtbot.mouseClick(screen.questions.open_button, Qt.MouseButton.LeftButton)
    editor = opened.args[0]
    assert isinstance(editor, VisitEditor) and editor.read_only
    banner = editor.question_banner
    assert banner is not None and banner.isVisible()
    assert banner.text.text() == QUESTION
    assert banner.asked.text().startswith("Asked by R. Team Lead on ")
    when = RETURNED_AT.astimezone()
    assert f"{weekday_text(when.date())} at {when:%H:%M}" in banner.asked.text()

    answer_in_dialog(qtbot)
    with qtbot.waitSignal(window.questions_shown, timeout=15_000) as cleared:
        qtbot.mouseClick(banner.answer_button, Qt.MouseButton.LeftButton)
    assert cleared.args[0] == []
    assert not banner.isVisible()
    assert ANSWER in editor.addenda.text.toPlainText()
    assert not window.question_count.isVisible()
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    QEventLoop().processEvents()
    assert not screen.questions.isVisible()
    assert caseload_marker(window, "Ana") == ""

    window.lock("test over")
    wait_for_background_work()
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="test")
        (addendum,) = workspace.visits.addenda(returned.visit_id)
        assert addendum.addendum.answers_review_id == returned.review_id
        assert addendum.addendum.text == ANSWER
        (op,) = [o for o in workspace.outbox.operations()
                 if o.kind is OperationKind.ADD_ADDENDUM]
        record = json.loads(op.payload["record"])
        assert record["answers_review_id"] == str(returned.review_id)


def test_a_cancelled_answer_leaves_the_question_in_place(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    returned = returned_visit(household)
    window = make_window(household.directory)
    unlock_and_wait_for_questions(qtbot, window)
    with qtbot.waitSignal(window.editor_opened, timeout=15_000) as opened:
        window.open_visit(returned.visit_id)
    editor = opened.args[0]
    assert isinstance(editor, VisitEditor) and editor.question_banner is not None
    seen: list[str] = []

    def cancel(dialog: QDialog) -> None:
        seen.append(dialog.windowTitle())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_dialog_opens(cancel)
    qtbot.mouseClick(editor.question_banner.answer_button, Qt.MouseButton.LeftButton)
    assert seen == ["Homevisit — answer your team lead"]
    wait_for_background_work()
    QEventLoop().processEvents()
    assert editor.question_banner.isVisible()
    assert editor.addenda.text.toPlainText() == "No addenda."
    assert caseload_marker(window, "Ana") == ANSWER_NEEDED


def test_a_question_pulled_while_unlocked_appears_without_relocking(
        qtbot: QtBot, household: Household, make_window: Any) -> None:
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        enroll_as_worker(vault.connection)
        visit_id, visit_hash = submit_ana_visit(
            Workspace.over(vault.connection, actor="J. Okafor"), household)
    window = make_window(household.directory)
    assert unlock_and_wait_for_questions(qtbot, window) == []
    assert not window.caseload_screen.questions.isVisible()
    assert caseload_marker(window, "Ana") == ""

    # Sync pulls on its own connection (as `homevisit sync` does) while the window is open.
    review_id = return_with_question(household, visit_id, visit_hash, 7)
    with qtbot.waitSignal(window.questions_shown, timeout=15_000) as shown:
        window.check_for_pulls()
    assert [q.review_id for q in shown.args[0]] == [review_id]
    assert window.caseload_screen.questions.isVisible()
    assert caseload_marker(window, "Ana") == ANSWER_NEEDED


def test_a_team_leads_queue_takes_in_a_pull_while_unlocked(
        qtbot: QtBot, tmp_path: Path, make_window: Any) -> None:

    household = make_household_vault(tmp_path / "lead")
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        enroll_as_team_lead(vault.connection)
    window = make_window(household.directory)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), ReviewScreen),
                    timeout=15_000)
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    qtbot.waitUntil(lambda: screen.workers.rowCount() == 1, timeout=15_000)
    assert screen.model.total == 0

    case = household.case.model_copy(update={"allocated_worker": "north1", "team": "North"})
    visit = make_visit(case, [household.ana], children=(make_observation(household.ana),))
    with Vault.unlock(household.directory, PASSPHRASE) as vault:
        pull(vault.connection, [*child_changes([(case, [household.ana])], 1),
                                WorkerDevice.make("north1").change(visit, 10)])
    with qtbot.waitSignal(screen.model.loaded, timeout=15_000):
        window.check_for_pulls()
    assert screen.model.total == 1
    assert [row.visit_id for row in screen.model.rows] == [visit.id]
