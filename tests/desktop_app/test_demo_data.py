"""The demo's invented families are believable: no two children of a household share a name
(nor, with names to go round, two of the caseload), nothing is recorded after now, one visit
a day to a family at most, on a weekday, and every bruise is drawn where its words say."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.demo_data import CENTRAL_DEMO_NAMES, demo_caseload_csv, make_demo_data
from records.body_regions import injury_mark_agrees, region_at
from records.contracts import VisitStatus
from tests.vaults import FixedClock, open_workspace

EARLY = datetime(2026, 11, 16, 8, 5, tzinfo=UTC)
"""Before the working day: a draft 'started today' in working hours would be in the future."""


def test_the_demo_caseload_is_believable_and_nothing_is_after_now(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "vault", FixedClock(EARLY)) as workspace:
        summary = make_demo_data(workspace, children=40, visits=160, now=EARLY)
        assert summary.children == 40 and summary.submitted == 160 and summary.drafts == 3
        names: list[tuple[str, str]] = []
        for case in workspace.cases.cases():
            household = [c.given_name for c in workspace.cases.children(case.id)]
            assert len(household) == len(set(household)), (case.family_name, household)
            names += [(given, case.family_name) for given in household]
        assert len(names) == 40 and Counter(names).most_common(1)[0][1] == 1

        visits = [workspace.visits.get(s.id)
                  for s in workspace.visits.summaries(limit=1000)]
        days: Counter[tuple[object, object]] = Counter()
        injuries = 0
        for stored in visits:
            assert stored is not None
            visit = stored.visit
            assert visit.started_at is not None and visit.started_at <= EARLY, visit.started_at
            assert visit.ended_at is not None and visit.ended_at <= EARLY, visit.ended_at
            if stored.status is VisitStatus.SUBMITTED:
                days[(visit.case_id, visit.started_at.date())] += 1
                assert visit.started_at.weekday() < 5  # statutory visits on working days
            for child in visit.children:
                for injury in child.injuries:
                    injuries += 1
                    assert injury.view is not None and injury.x is not None
                    assert injury.y is not None
                    assert injury_mark_agrees(injury)
                    assert region_at(injury.view, injury.x, injury.y) == (injury.region,
                                                                          injury.side)
        assert days.most_common(1)[0][1] == 1
        assert injuries >= 5


def test_the_caseload_central_imports_names_no_child_twice_beside_centrals_own() -> None:
    from central.services.admin import DEMO_CHILDREN

    centrals = {(given, family) for _, family, _, given, _, _ in DEMO_CHILDREN}
    assert centrals == set(CENTRAL_DEMO_NAMES)
    rows = list(csv.DictReader(io.StringIO(demo_caseload_csv(children=40, worker="jokafor",
                                                              team="North"))))
    names = [(r["given_name"], r["child_family_name"]) for r in rows]
    assert len(names) == 40 and len(set(names)) == 40 and not set(names) & centrals
    prefixes = {"child_protection": "CP-", "child_in_need": "CIN-", "looked_after": "LAC-"}
    assert all(r["case_reference"].startswith(prefixes[r["plan_type"]]) for r in rows)
