"""A team lead's own caseload reads the team's visits pulled from central beside the
laptop's own: when each child was last seen, and whether alone then, follow the one rule
(`records.last_seen`) over all of them, whichever visit's id sorts last and whichever kind
holds the last sighting; and a visit pulled later is taken in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from records.case import Case, Child
from records.schedule import VisitStandards, WorkingCalendar
from records.visit import Visit
from storage.caseload import Caseload
from tests.factories import make_observation, make_visit
from tests.review.team import (
    WorkerDevice,
    child_changes,
    one_child_case,
    pull,
    team_lead_services,
)
from tests.vaults import PASSPHRASE, FixedClock, new_vault

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def _visit(case: Case, child: Child, start: datetime, **seen: Any) -> Visit:
    if seen.get("seen_alone") is False:
        seen.setdefault("spoken_to_alone", False)
        seen.setdefault("reason_not_seen_alone", "Mother stayed.")
    return make_visit(case, [child], children=(make_observation(child, **seen),),
                      started_at=start, ended_at=start + timedelta(hours=1))


@pytest.mark.parametrize("morning_id_sorts_last", [True, False])
def test_the_later_of_two_pulled_visits_on_one_day_is_taken_by_time(
        tmp_path: Path, morning_id_sorts_last: bool) -> None:
    """Seen alone in the morning, seen but not alone in the afternoon: "seen alone then" is
    the afternoon's answer whichever visit's id sorts last (the review index keeps the day,
    not the time)."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        _, services = team_lead_services(vault, clock)
        device = WorkerDevice.make("north1")
        case, ana = one_child_case()
        morning = NOW.replace(hour=9) - timedelta(days=2)
        afternoon = morning.replace(hour=15)
        low, high = UUID(int=1), UUID(int=2**128 - 1)
        ids = (high, low) if morning_id_sorts_last else (low, high)
        visits = [_visit(case, ana, morning, seen_alone=True).model_copy(update={"id": ids[0]}),
                  _visit(case, ana, afternoon, seen_alone=False).model_copy(
                      update={"id": ids[1]})]
        changes = child_changes([(case, [ana])], 100)
        changes += [device.change(v, 100 + len(changes) + n) for n, v in enumerate(visits)]
        pull(conn, changes)
        services.refresh_review()
        (row,) = Caseload(conn, VisitStandards(), WorkingCalendar()).rows()
        assert row.last_seen == afternoon.date()
        assert row.seen_alone_when_last_seen is False


def test_an_own_visit_older_than_the_pulled_ones_is_not_taken_for_the_last_sighting(
        tmp_path: Path) -> None:
    """The lead saw Ana on the 1st; her worker saw her on the 3rd and found no one in on the
    5th. Last seen is the 3rd (it was the 1st: the lead's own visit stood for the latest,
    and the pulled visits before the 5th were never read). Then a visit pulled later, on
    the 5th, where she was seen: the caseload takes it in at the next read."""
    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        conn, clock = vault.connection, FixedClock(NOW)
        workspace, services = team_lead_services(vault, clock)
        device = WorkerDevice.make("north1")
        case, ana = one_child_case()
        day = datetime(2026, 11, 1, 10, tzinfo=UTC)
        changes = child_changes([(case, [ana])], 100)
        pull(conn, changes)
        workspace.visits.submit(_visit(case, ana, day, seen_alone=True))  # the lead's own
        pulled = [_visit(case, ana, day + timedelta(days=2), seen_alone=False),
                  _visit(case, ana, day + timedelta(days=4), seen=False, seen_alone=None,
                         spoken_to_alone=None, reason_not_seen="Nobody answered the door.")]
        pull(conn, [device.change(v, 200 + n) for n, v in enumerate(pulled)])
        services.refresh_review()
        caseload = Caseload(conn, VisitStandards(), WorkingCalendar())
        (row,) = caseload.rows()
        assert (row.last_seen, row.seen_alone_when_last_seen) == (
            (day + timedelta(days=2)).date(), False)

        # Seen later on the 5th: its id sorts first, so only the count says something came.
        late = _visit(case, ana, day + timedelta(days=4, hours=6), seen_alone=True
                      ).model_copy(update={"id": UUID(int=1)})
        pull(conn, [device.change(late, 300)])
        services.refresh_review()
        (row,) = caseload.rows()
        assert (row.last_seen, row.seen_alone_when_last_seen) == (
            (day + timedelta(days=4)).date(), True)


def test_the_caseload_reads_each_visit_by_its_id_not_by_walking_every_pulled_visit(
        tmp_path: Path) -> None:
    """The caseload reads its latest visits' records by id: each one looked up by its
    primary key, never found by walking the kind index over every visit pulled for the team
    (on a team lead's 100,000 visits that walk cost 11 s of opening the caseload;
    docs/benchmarks.md)."""
    from storage.caseload import _RECORDS

    with new_vault(tmp_path / "lead", PASSPHRASE) as vault:
        team_lead_services(vault, FixedClock(NOW))
        steps = [row[3] for row in vault.connection.execute(
            "EXPLAIN QUERY PLAN " + _RECORDS, ('["a"]', '["a"]'))]
    lookups = [step for step in steps if step.startswith("SEARCH")]
    assert len(lookups) == 2  # the laptop's own visits, and those pulled
    assert all("USING INDEX sqlite_autoindex_" in step for step in lookups), steps
    assert all("VIRTUAL TABLE" in step for step in steps if step.startswith("SCAN")), steps
