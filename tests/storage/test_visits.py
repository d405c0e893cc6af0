"""Drafts, submission, addenda: what a worker does, on a real encrypted vault."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from records.canonical import canonical_json, record_hash
from records.contracts import OperationKind, VisitStatus
from records.visit import Visit
from storage.audit import AuditAction, verify_chain
from storage.outbox import OperationStatus
from storage.refusals import SubmissionRefused, VisitAlreadySubmitted, VisitNotFound
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_observation, make_visit
from tests.vaults import add_to_caseload, open_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "vault") as opened:
        yield opened


def test_a_draft_saves_and_resaves_without_an_outbox_operation(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    draft = Visit(id=make_visit(case, [ana]).id, case_id=case.id, purpose="Half-written")
    workspace.visits.save_draft(draft)
    workspace.visits.save_draft(draft.model_copy(update={"purpose": "Half-written, more"}))
    stored = workspace.visits.get(draft.id)
    assert stored is not None
    assert stored.status is VisitStatus.DRAFT
    assert stored.visit.purpose == "Half-written, more"
    assert workspace.outbox.operations() == []
    assert [e.action for e in workspace.audit.entries()].count(AuditAction.VISIT_CREATED) == 1


def test_submit_freezes_signs_and_queues_in_one_go(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    stored = workspace.visits.submit(visit)
    assert stored.status is VisitStatus.SUBMITTED
    assert stored.visit.next_visit_due == date(2026, 11, 30)  # 10 working days on
    assert stored.record_hash == record_hash(stored.visit)
    assert workspace.visits.is_intact(visit.id)
    [operation] = workspace.outbox.operations()
    assert operation.kind is OperationKind.SUBMIT_VISIT
    assert operation.status is OperationStatus.WAITING
    assert operation.payload["record"] == canonical_json(stored.visit).decode()
    assert operation.payload["record_hash"] == stored.record_hash


def test_an_incomplete_visit_is_refused_and_stays_a_draft(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana], children=(make_observation(ana, seen_alone=False),))
    workspace.visits.save_draft(visit)
    with pytest.raises(SubmissionRefused) as refused:
        workspace.visits.submit(visit)
    assert [p.message for p in refused.value.problems] == ["Say why Ana was not seen alone."]
    assert "Nothing was lost" in refused.value.user_message
    stored = workspace.visits.get(visit.id)
    assert stored is not None and stored.status is VisitStatus.DRAFT
    assert workspace.outbox.operations() == []


def test_no_repository_method_can_change_a_submitted_visit(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    workspace.visits.submit(visit)
    changed = visit.model_copy(update={"analysis": "Rewritten after the fact."})
    with pytest.raises(VisitAlreadySubmitted):
        workspace.visits.save_draft(changed)
    with pytest.raises(VisitAlreadySubmitted):
        workspace.visits.submit(changed)
    with pytest.raises(VisitNotFound):
        workspace.visits.discard_draft(visit.id)
    stored = workspace.visits.get(visit.id)
    assert stored is not None and stored.visit.analysis == visit.analysis
    assert workspace.visits.is_intact(visit.id)


def test_the_database_itself_refuses_to_change_a_submitted_visit(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    workspace.visits.submit(visit)
    conn = workspace.visits._conn  # what any other code holding the connection could try
    for statement in (
        "UPDATE visits SET record_json = '{}' WHERE id = ?",
        "DELETE FROM visits WHERE id = ?",
        "DELETE FROM visit_children WHERE visit_id = ?",
    ):
        with pytest.raises(sqlcipher3.IntegrityError, match="never"):
            conn.execute(statement, (str(visit.id),))
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    assert workspace.visits.is_intact(visit.id)


def test_addenda_chain_to_the_visit_and_need_a_reason(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    stored = workspace.visits.submit(visit)
    with pytest.raises(SubmissionRefused) as refused:
        workspace.visits.add_addendum(visit.id, reason=" ", text="x", author="J. Okafor")
    assert refused.value.problems[0].field == "reason"
    first = workspace.visits.add_addendum(
        visit.id, reason="School rang after the visit", text="Ana arrived hungry today.",
        author="J. Okafor")
    second = workspace.visits.add_addendum(
        visit.id, reason="Correction", text="It was Tuesday, not Monday.", author="J. Okafor")
    assert first.addendum.previous_hash == stored.record_hash
    assert second.addendum.previous_hash == first.record_hash
    assert [a.sequence for a in workspace.visits.addenda(visit.id)] == [1, 2]
    assert workspace.visits.is_intact(visit.id)
    kinds = [op.kind for op in workspace.outbox.operations()]
    assert kinds == [OperationKind.SUBMIT_VISIT, OperationKind.ADD_ADDENDUM,
                     OperationKind.ADD_ADDENDUM]
    sequences = [op.sequence for op in workspace.outbox.operations()]
    assert sequences == sorted(sequences)


def test_an_addendum_to_a_draft_is_refused(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    draft = make_visit(case, [ana])
    workspace.visits.save_draft(draft)
    with pytest.raises(VisitNotFound):
        workspace.visits.add_addendum(draft.id, reason="r", text="t", author="a")


def test_search_finds_by_child_name_reference_and_words(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana], analysis="Fridge nearly empty; mother tearful.")
    workspace.visits.submit(visit)
    other_case = make_case()
    tomasz = make_child(other_case, given_name="Tomasz")
    add_to_caseload(workspace, other_case, tomasz)
    workspace.visits.save_draft(make_visit(other_case, [tomasz]))
    assert [s.id for s in workspace.visits.search("ana fridge")] == [visit.id]
    assert [s.id for s in workspace.visits.search("Tomas")] != []
    assert len(workspace.visits.search("CP-104233")) == 2
    assert workspace.visits.search('"; DROP TABLE visits; --') == []
    assert workspace.visits.search("   ") == []


def test_a_draft_saved_many_times_has_one_search_row_and_none_once_discarded(
        workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    draft = make_visit(case, [ana], analysis="Mother tearful.")
    for words in ("Mother tearful.", "Mother tearful, no food.", "No food in the fridge."):
        workspace.visits.save_draft(draft.model_copy(update={"analysis": words}))
    conn = workspace.visits._conn
    assert conn.execute("SELECT count(*) FROM visit_search").fetchone()[0] == 1
    assert [s.id for s in workspace.visits.search("fridge")] == [draft.id]
    assert workspace.visits.search("tearful") == []
    workspace.visits.discard_draft(draft.id)
    assert conn.execute("SELECT count(*) FROM visit_search").fetchone()[0] == 0


def test_summaries_filter_by_status_and_child(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    tomasz = make_child(case, given_name="Tomasz")
    add_to_caseload(workspace, case, ana, tomasz)
    submitted = workspace.visits.submit(make_visit(case, [ana, tomasz]))
    draft = make_visit(case, [ana])
    workspace.visits.save_draft(draft)
    drafts = workspace.visits.summaries(status=VisitStatus.DRAFT)
    assert [s.id for s in drafts] == [draft.id]
    for_tomasz = workspace.visits.summaries(child_id=tomasz.id)
    assert [s.id for s in for_tomasz] == [submitted.visit.id]
    assert set(for_tomasz[0].child_ids) == {ana.id, tomasz.id}
    assert workspace.cases.last_visited(ana.id) == date(2026, 11, 16)


def test_viewing_is_audited_and_the_chain_holds(workspace: Workspace) -> None:
    case = make_case()
    ana = make_child(case)
    add_to_caseload(workspace, case, ana)
    visit = make_visit(case, [ana])
    workspace.visits.submit(visit)
    workspace.visits.open_for_viewing(visit.id)
    actions = [e.action for e in workspace.audit.entries()]
    assert AuditAction.VISIT_VIEWED in actions
    assert AuditAction.VISIT_SUBMITTED in actions
    assert verify_chain(workspace.visits._conn) == []


def test_plain_sqlite_cannot_read_a_vault(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "vault") as workspace:
        case = make_case()
        workspace.cases.save_case(case)
    plain = sqlite3.connect(tmp_path / "vault" / "vault.db")
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()
