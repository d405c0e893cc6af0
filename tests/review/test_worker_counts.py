"""The queue's total and each worker's "awaiting sign-off" are kept by triggers (schema 10) and
always agree with a count over the visits themselves: after pulls, sign-offs and returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from records.case import PlanType
from storage.review_queries import ReviewQueries
from storage.transactions import Connection
from tests.factories import make_case, make_child, make_observation, make_visit
from tests.review.team import (
    WorkerDevice,
    child_changes,
    pull,
    team_lead_services,
)
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def counted(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT worker, sum(decision IN ('awaiting', 'returned', 'answered'))"
        " FROM review_visits GROUP BY worker"))


def test_counts_follow_pulls_and_decisions(tmp_path: Path) -> None:
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        _, services = team_lead_services(vault, clock)
        queries = ReviewQueries(conn)
        position, visits = 100, []
        for worker, children in (("north1", 3), ("north2", 2)):
            device = WorkerDevice.make(worker)
            for n in range(children):
                case = make_case().model_copy(update={"allocated_worker": worker,
                                                      "reference": f"{worker}-{n}"})
                child = make_child(case)
                changes = child_changes([(case, [child])], position)
                for days in (3, 10):
                    start = NOW - timedelta(days=days, hours=5)
                    visit = make_visit(case, [child], children=(make_observation(child),),
                                       started_at=start, ended_at=start + timedelta(hours=1))
                    changes.append(device.change(visit, position + len(changes)))
                    visits.append(visit.id)
                position += len(changes)
                pull(conn, changes)
        services.refresh_review()
        assert counted(conn) == {"north1": 6, "north2": 4}
        assert queries.queue_count() == 10
        assert {w.worker: w.awaiting_sign_off for w in services.dashboard().workers} == \
            {"north1": 6, "north2": 4}

        services.sign_off(visits[0], "Seen; fine.")
        services.return_with_question(visits[7], "Was she seen alone?")
        assert counted(conn) == {"north1": 5, "north2": 4}  # a returned visit stays open
        assert queries.queue_count() == 9
        assert {w.worker: w.awaiting_sign_off for w in services.dashboard().workers} == \
            {"north1": 5, "north2": 4}


def test_a_child_never_seen_with_no_start_date_counts_as_overdue_on_the_dashboard(
        tmp_path: Path) -> None:
    """Nothing says when Nia must be seen (no plan start, no visit): the team lead's
    dashboard counts her in her worker's "overdue", as central's pages and the worker's
    caseload do (rules 17); Ana, overdue from her plan's start, counts as before, and Sam,
    seen three days ago, does not."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        _, services = team_lead_services(vault, clock)
        device = WorkerDevice.make("north1")
        case = make_case().model_copy(update={"allocated_worker": "north1"})
        ana = make_child(case)  # child protection from 1 Sep: overdue by 16 Nov
        nia = make_child(case, given_name="Nia", plan=PlanType.CHILD_IN_NEED).model_copy(
            update={"plan_start_date": None})
        sam = make_child(case, given_name="Sam")
        changes = child_changes([(case, [ana, nia, sam])], 100)
        start = NOW - timedelta(days=3, hours=5)
        changes.append(device.change(make_visit(
            case, [sam], children=(make_observation(sam),), started_at=start,
            ended_at=start + timedelta(hours=1)), 100 + len(changes)))
        pull(conn, changes)
        services.refresh_review()
        assert {w.worker: w.overdue for w in services.dashboard().workers} == {"north1": 2}
