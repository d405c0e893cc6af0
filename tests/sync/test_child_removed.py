"""A child reallocated away at central leaves the worker's caseload at the next sync, and
nothing the worker recorded about them is lost: a visit not yet receipted still reaches
central; the child's record goes only when the last visit naming them has been purged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from central.services import admin
from records.schedule import VisitStandards, WorkingCalendar
from storage.caseload import caseload
from storage.purge import purge_receipted_visits
from storage.review_queries import ReviewQueries
from tests.factories import NOW, make_visit
from tests.sync.harness import CentralProcess, Laptop
from tests.sync.test_end_to_end import enrolled
from tests.vaults import FixedClock


def _north1_with_a_receipted_visit(central: CentralProcess,
                                   tmp_path: Path) -> tuple[UUID, Laptop, UUID]:
    """north1's laptop, enrolled and synced, with one visit that central has receipted:
    (the id of the child N1, the laptop, the visit's id)."""
    world = central.admin.world()
    child_id = world.children["N1"].id
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    [visit_id] = worker.submit_visits(1)
    assert worker.sync().returncode == 0
    return child_id, worker, visit_id


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_a_child_assigned_away_leaves_the_caseload_and_their_visits_still_reach_central(
        central: CentralProcess, tmp_path: Path) -> None:
    child_id, worker, receipted = _north1_with_a_receipted_visit(central, tmp_path)
    with worker.workspace() as workspace:  # a visit written up in the flat, not yet submitted
        case = workspace.cases.cases()[0]
        draft = make_visit(case, workspace.cases.children(case.id))
        workspace.visits.save_draft(draft)

    with central.admin.admin() as session:
        admin.assign(session, child_id, "north2", central.admin.clock())
    removed = worker.sync()
    assert removed.returncode == 0, removed.stderr

    with worker.workspace() as workspace:
        conn = workspace.outbox._conn
        assert caseload(conn, VisitStandards(), WorkingCalendar()) == []
        assert workspace.cases.children(on_caseload_only=True) == []
        # Kept while visits here name them: the draft can still be submitted, and is.
        assert workspace.cases.child(child_id) is not None
        workspace.visits.submit(draft)
    sent = worker.sync()
    assert sent.returncode == 0, sent.stderr
    assert "Everything is synced." in sent.stdout
    assert sorted(central.visit_ids()) == sorted([receipted, draft.id])

    with worker.workspace() as workspace:
        conn = workspace.outbox._conn
        purged = purge_receipted_visits(conn, workspace.audit, now=NOW + timedelta(days=400),
                                        days_on_device=90)
        assert sorted(purged) == sorted([receipted, draft.id])
        assert workspace.cases.child(child_id) is None
        assert workspace.cases.cases() == []

    with central.admin.admin() as session:  # allocated back: on the caseload again
        admin.assign(session, child_id, "north1", central.admin.clock())
    assert worker.sync().returncode == 0
    with worker.workspace() as workspace:
        assert [c.id for c in workspace.cases.children(on_caseload_only=True)] == [child_id]


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_a_child_moved_to_another_team_leaves_the_team_leads_review_queue(
        central: CentralProcess, tmp_path: Path) -> None:
    child_id, _worker, visit_id = _north1_with_a_receipted_visit(central, tmp_path)
    lead = enrolled(central, tmp_path, "northlead")
    assert lead.sync().returncode == 0
    clock = FixedClock(NOW)
    with lead.indexed(clock) as (workspace, _index):
        conn = workspace.outbox._conn
        assert [row.visit_id for row in ReviewQueries(conn).queue_page(0, 10)] == [visit_id]

    with central.admin.admin() as session:
        admin.assign(session, child_id, "south1", central.admin.clock())
    moved = lead.sync()
    assert moved.returncode == 0, moved.stderr
    with lead.indexed(clock) as (workspace, _index):
        conn = workspace.outbox._conn
        assert ReviewQueries(conn).queue_page(0, 10) == []
        assert workspace.cases.child(child_id) is None  # no visit on this laptop names them
        assert conn.execute("SELECT count(*) FROM review_children WHERE child_id = ?",
                            (str(child_id),)).fetchone()[0] == 0
        # The visit central sent stays as it was received: records are facts.
        assert conn.execute("SELECT count(*) FROM received_records WHERE id = ?",
                            (str(visit_id),)).fetchone()[0] == 1
