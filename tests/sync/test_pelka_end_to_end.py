"""A Pelka-like household through real laptops and a real central, on SQLite and PostgreSQL.

The worker records a visit where Ana's bruise was explained by her brother and the police
had been called, then a no-access visit. After both laptops sync, the worker's caseload says
Ana is overdue counted from when she was last seen (not from the door nobody answered), the
team lead's queue heads with the injury, and Yusuf — on a plan, never visited — is red by
name on the team lead's dashboard.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from records.flag_types import local_day
from records.schedule import VisitStandards, WorkingCalendar
from records.visit import AdultsAndRisk, Consistency, ExplanationSource, VisitOutcome
from storage.caseload import Caseload
from storage.review_queries import ReviewQueries
from tests.factories import make_injury, make_observation, make_visit
from tests.sync.harness import CentralProcess, Laptop
from tests.vaults import FixedClock


def enrolled(central: CentralProcess, root: Path, username: str) -> Laptop:
    laptop = Laptop.create(root, username)
    result = laptop.enroll(central.url, central.admin.invite(username))
    assert result.returncode == 0, result.stderr
    return laptop


def test_the_pelka_pattern_lights_up_for_worker_and_team_lead(central: CentralProcess,
                                                              tmp_path: Path) -> None:
    central.admin.world()
    now = datetime.now(UTC)
    worker = enrolled(central, tmp_path, "north1")
    assert worker.sync().returncode == 0
    seen_at = now - timedelta(days=20)
    with worker.workspace(FixedClock(now)) as workspace:
        case = workspace.cases.cases()[0]
        (ana,) = workspace.cases.children(case.id)
        bruised = make_visit(
            case, [ana], started_at=seen_at, ended_at=seen_at + timedelta(hours=1),
            children=(make_observation(
                ana, seen_alone=False, reason_not_seen_alone="Mother stayed in the room.",
                injuries_seen=True,
                injuries=(make_injury(seen_at=seen_at + timedelta(minutes=20),
                                      explanation_given_by=ExplanationSource.SIBLING,
                                      explanation_words="Her brother said she fell.",
                                      consistent_with_explanation=Consistency.UNSURE),)),),
            adults_and_risk=AdultsAndRisk(domestic_abuse_since_last_visit=True,
                                          domestic_abuse_details="Police called on Saturday.",
                                          household_changes=False))
        door = now - timedelta(days=1)
        no_access = make_visit(
            case, [ana], started_at=door, ended_at=door + timedelta(minutes=15),
            outcome=VisitOutcome.NO_ACCESS, no_access_reasons="No answer at the door.",
            no_access_steps_taken="Card through the door; called mother.",
            children=(make_observation(ana, seen=False, seen_alone=None, spoken_to_alone=None,
                                       bedroom_seen=None, reason_not_seen="No access."),))
        for visit in (bruised, no_access):
            workspace.visits.submit(visit)
    assert worker.sync().returncode == 0

    with worker.workspace(FixedClock(now)) as workspace:
        conn = workspace.outbox._conn
        (row,) = Caseload(conn, VisitStandards(), WorkingCalendar()).rows()
    assert row.last_seen == bruised.visit_date
    assert row.seen_alone_when_last_seen is False
    assert row.next_visit_due is not None and row.next_visit_due < local_day(now)  # overdue

    lead = enrolled(central, tmp_path, "northlead")
    pulled = lead.sync()
    assert pulled.returncode == 0, pulled.stderr
    with lead.workspace(FixedClock(now)) as workspace:
        queries = ReviewQueries(workspace.outbox._conn)
        top = queries.queue_page(0, 1)[0]
        red = {c.name: c for c in queries.dashboard(local_day(now)).red_children}
    assert top.visit_id == bruised.id and top.rank == 0
    assert "explained by a sibling" in top.headline
    assert "Ana Nowak" in red and red["Ana Nowak"].last_seen == bruised.visit_date
    assert "Yusuf Begum" in red and red["Yusuf Begum"].last_seen is None
