"""A visit that reaches the team lead's laptop before its child does is named, flagged and
opens once the child's record arrives; a child's name corrected at central renames the queue.

Real vault; records arrive through `SyncLedger.apply_changes` as pull pages do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.policy import Policy
from desktop_app.review_services import VaultReviewServices
from desktop_app.session import Session
from records.case import Case, Child
from records.flags import FlagCode
from records.visit import ExplanationSource, Visit
from storage.errors import VaultError
from storage.review_index import NOT_ON_LAPTOP
from storage.workspace import Workspace
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit
from tests.review.team import WorkerDevice, child_changes, enroll_as_team_lead, pull
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[VaultReviewServices]:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        clock = FixedClock(NOW)
        workspace = Workspace.over(vault.connection, actor="northlead", clock=clock)
        enroll_as_team_lead(vault.connection)
        yield VaultReviewServices(Session(vault, workspace), Policy(), clock=clock)


def bruised_visit(case: Case, *children: Child) -> Visit:
    start = NOW - timedelta(days=2, hours=6)
    observations = tuple(
        make_observation(child, injuries_seen=True, injuries=(make_injury(
            explanation_given_by=ExplanationSource.SIBLING,
            explanation_words="Her brother said she fell."),))
        for child in children)
    return make_visit(case, list(children), children=observations, started_at=start,
                      ended_at=start + timedelta(hours=1))


def test_a_visit_pulled_before_its_child_is_named_and_flagged_when_the_child_arrives(
        lead: VaultReviewServices) -> None:
    conn = lead.workspace.outbox._conn
    case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
    ana = make_child(case)
    tomasz = make_child(case, given_name="Tomasz")
    visit = bruised_visit(case, ana, tomasz)
    worker = WorkerDevice.make("north1")
    pull(conn, [*child_changes([(case, [tomasz])], 1), worker.change(visit, 5)])
    lead.refresh_review()
    (row,) = lead.queue_page(0, 10)
    assert row.child_names == f"{NOT_ON_LAPTOP}, Tomasz Nowak"
    # Ana's record has not arrived, but Tomasz's has: the note opens on his history.
    assert lead.review_note(visit.id).opened.visit.id == visit.id

    pull(conn, child_changes([(case, [ana])], 9))
    lead.refresh_review()
    (row,) = lead.queue_page(0, 10)
    assert row.child_names == "Ana Nowak, Tomasz Nowak"
    assert row.rank == 0 and row.red_count >= 2 and row.headline
    note = lead.review_note(visit.id)
    assert {c.given_name for c in note.opened.children} == {"Ana", "Tomasz"}
    assert {f.child_id for f in note.flags if f.code is FlagCode.INJURY_RECORDED} == {
        ana.id, tomasz.id}


def test_a_visit_whose_only_child_is_not_on_the_laptop_says_so_and_opens_later(
        lead: VaultReviewServices) -> None:
    conn = lead.workspace.outbox._conn
    case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
    ana = make_child(case)
    visit = bruised_visit(case, ana)
    pull(conn, [WorkerDevice.make("north1").change(visit, 5)])
    lead.refresh_review()
    (row,) = lead.queue_page(0, 10)
    assert row.child_names == NOT_ON_LAPTOP and row.headline == ""
    with pytest.raises(VaultError) as refused:
        lead.review_note(visit.id)
    assert "has not sent" in refused.value.user_message
    assert "Nothing was changed" in refused.value.user_message

    pull(conn, child_changes([(case, [ana])], 9))
    lead.refresh_review()
    (row,) = lead.queue_page(0, 10)
    assert row.child_names == "Ana Nowak" and row.rank == 0 and row.headline
    assert lead.review_note(visit.id).flags


def test_a_name_corrected_at_central_renames_the_queue(lead: VaultReviewServices) -> None:
    conn = lead.workspace.outbox._conn
    case = make_case().model_copy(update={"allocated_worker": "north1", "team": "North"})
    ana = make_child(case, given_name="Anna")
    visit = bruised_visit(case, ana)
    pull(conn, [*child_changes([(case, [ana])], 1),
                WorkerDevice.make("north1").change(visit, 5)])
    lead.refresh_review()
    assert lead.queue_page(0, 10)[0].child_names == "Anna Nowak"
    pull(conn, child_changes([(case, [ana.model_copy(update={"given_name": "Ana"})])], 9))
    lead.refresh_review()
    assert lead.queue_page(0, 10)[0].child_names == "Ana Nowak"
