"""Central's list of every allocated child (`homevisit-central children`), against simply
reading the same rows.

Workload: a temporary SQLite central holding CHILDREN allocated children (two a case, 25
workers in 5 teams) and VISITS_PER_CHILD visits each over the last year (one in ten no
access, one in twenty with an injury; a review decision on every other visit), a police
notification for one child in fifty. Rows are inserted directly (signatures are not checked
here), so building takes a minute or so for the default 5,000 children and 100,000 visits.

Measured, best of ROUNDS each, alternating so both share the machine's noise:

* bare: the same five streamed queries `every_child` runs, every row read and dropped;
* parse: the same, with each visit, addendum, decision and note parsed into its model;
* every child: `central.services.oversight.every_child`, all flags and states;

printed per child, with the ratio to bare, the CPU time of the full run, its SQL statement
count and the process's peak memory (streaming keeps one case's visits parsed at a time).

Run: .venv/bin/python bench/oversight.py [CHILDREN] [VISITS_PER_CHILD] [--rounds N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, insert, select

from central.core.config import Settings
from central.db.engine import make_engine, snapshot_sessionmaker
from central.db.migrate import upgrade
from central.db.models import Base
from central.services import oversight
from records.canonical import canonical_json, hash_bytes
from records.case import Case, Child, PlanType
from records.case_notes import CaseNote
from records.corrections import ReviewDecision, ReviewOutcome
from records.visit import Visit, VisitOutcome
from tests.factories import (
    make_injury,
    make_notification,
    make_observation,
    make_visit,
)

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
TEAMS, WORKERS_PER_TEAM = 5, 5
CHUNK = 2_000
T = oversight  # the tables, as the service names them


def _insert(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        with engine.begin() as connection:
            connection.execute(insert(table), rows[start:start + CHUNK])


def seed(engine: Engine, children: int, per_child: int) -> int:
    """The world; returns how many visits it holds."""
    _insert(engine, Base.metadata.tables["organisations"], [{"id": 1, "name": "Council"}])
    _insert(engine, T._TEAMS, [{"id": t + 1, "organisation_id": 1, "name": f"Team {t + 1}"}
                               for t in range(TEAMS)])
    users = [{"id": u + 1, "username": f"worker{u + 1}", "display_name": f"Worker {u + 1}",
              "role": "worker", "team_id": u // WORKERS_PER_TEAM + 1, "disabled": False,
              "created_at": NOW} for u in range(TEAMS * WORKERS_PER_TEAM)]
    _insert(engine, T._USERS, users)
    _insert(engine, T._DEVICES, [{"id": uuid.uuid4(), "user_id": u["id"],
                                  "public_key": uuid.uuid4().bytes * 2, "label": "",
                                  "status": "active", "enrolled_at": NOW,
                                  "last_contact_at": NOW - timedelta(hours=u["id"] * 3)}
                                 for u in users])
    cases, kids, allocations = [], [], []
    records: list[Child] = []
    plans = (PlanType.CHILD_PROTECTION, PlanType.CHILD_IN_NEED, PlanType.LOOKED_AFTER)
    for n in range(children):
        if n % 2 == 0:
            case_id = uuid.uuid4()
            cases.append({"id": case_id, "reference": f"C-{n}", "family_name": f"F{n}",
                          "address": "", "team_id": (n // 2) % TEAMS + 1, "updated_at": NOW})
        plan = plans[n % 3]
        child = Child(id=uuid.uuid4(), case_id=case_id, given_name=f"Child{n}",
                      family_name=f"F{n}", date_of_birth=date(2018, 1, 1) + timedelta(days=n),
                      plan_type=plan, plan_start_date=date(2025, 9, 1),
                      placement_start_date=(date(2025, 9, 1)
                                            if plan is PlanType.LOOKED_AFTER else None))
        records.append(child)
        kids.append({**child.model_dump(include={
            "id", "case_id", "given_name", "family_name", "date_of_birth", "plan_start_date",
            "placement_start_date", "long_term_placement", "first_language"}),
            "plan_type": plan.value, "council_reference": f"R-{n}"})
        worker = users[(n // 2) % len(users)]
        allocations.append({"child_id": child.id, "user_id": worker["id"],
                            "allocated_at": NOW, "ended_at": None})
    _insert(engine, T._CASES, cases)
    _insert(engine, T._CHILDREN, kids)
    _insert(engine, T._ALLOCATIONS, allocations)
    visits, reviews, notes, note_children = [], [], [], []
    for n, child in enumerate(records):
        case = Case(id=child.case_id, reference=f"C-{n}")
        worker = allocations[n]["user_id"]
        for k in range(per_child):
            day = NOW - timedelta(days=5 + k * 365 // per_child, hours=3)
            visit = _visit(case, child, day, n + k)
            data = canonical_json(visit)
            visits.append({"id": visit.id, "case_id": case.id, "device_id": uuid.uuid4(),
                           "user_id": worker, "team_id": None, "canonical_json": data.decode(),
                           "record_hash": hash_bytes(data), "signature": b"\0" * 64,
                           "received_at": day + timedelta(hours=20), "flags": [],
                           "submitted_at": day + timedelta(hours=19)})
            if k % 2:
                review = ReviewDecision(id=uuid.uuid4(), visit_id=visit.id,
                                        visit_hash=hash_bytes(data), reviewer="Lead",
                                        decided_at=day + timedelta(days=2),
                                        outcome=ReviewOutcome.SIGNED_OFF)
                text = canonical_json(review)
                reviews.append({"id": review.id, "visit_id": visit.id, "outcome": "signed_off",
                                "device_id": uuid.uuid4(), "user_id": worker, "team_id": None,
                                "canonical_json": text.decode(), "record_hash": hash_bytes(text),
                                "signature": b"\0" * 64, "received_at": day, "flags": []})
        if n % 50 == 0:
            note: CaseNote = make_notification(case, [child], received_on=date(2026, 11, 1))
            text = canonical_json(note)
            notes.append({"id": note.id, "note": "agency_notification", "case_id": case.id,
                          "device_id": None, "user_id": None, "team_id": None,
                          "entered_at_central": True, "canonical_json": text.decode(),
                          "record_hash": hash_bytes(text), "signature": b"\0" * 64,
                          "received_at": NOW, "flags": []})
            note_children.append({"note_id": note.id, "child_id": child.id})
        if len(visits) >= CHUNK:
            _insert(engine, T._VISITS, visits)
            _insert(engine, T._REVIEWS, reviews)
            visits, reviews = [], []
    _insert(engine, T._VISITS, visits)
    _insert(engine, T._REVIEWS, reviews)
    _insert(engine, T._NOTES, notes)
    _insert(engine, T._NOTE_CHILDREN, note_children)
    return len(records) * per_child


def _visit(case: Case, child: Child, start: datetime, n: int) -> Visit:
    if n % 10 == 3:
        observed = make_observation(child, seen=False, seen_alone=None,
                                    reason_not_seen="No access.")
        return make_visit(case, [child], started_at=start, ended_at=start + timedelta(minutes=20),
                          outcome=VisitOutcome.NO_ACCESS, no_access_reasons="No answer.",
                          children=(observed,))
    injured = n % 20 == 7
    observed = make_observation(child, injuries_seen=injured,
                                injuries=(make_injury(seen_at=start),) if injured else ())
    return make_visit(case, [child], started_at=start, ended_at=start + timedelta(hours=1),
                      children=(observed,))


def bare(session: Any, *, parse: bool) -> int:
    """The service's five streamed queries, every row read; parsed into models if asked."""
    allocated = oversight._allocated(session, None)
    cases = select(T._CHILDREN.c.case_id).where(T._CHILDREN.c.id.in_(allocated))
    read = 0
    for _row in oversight._stream(session, oversight._children_query(allocated)):
        read += 1
    for row in oversight._stream(session, select(
            T._VISITS.c.case_id, T._VISITS.c.id, T._VISITS.c.canonical_json,
            T._VISITS.c.received_at, T._VISITS.c.submitted_at)
            .where(T._VISITS.c.case_id.in_(cases)).order_by(T._VISITS.c.case_id)):
        read += 1
        if parse:
            Visit.model_validate_json(row.canonical_json)
    for table, model in ((T._ADDENDA, None), (T._REVIEWS, ReviewDecision)):
        for row in oversight._stream(session, oversight._on_visits(table, cases)):
            read += 1
            if parse and model is not None:
                model.model_validate_json(row.canonical_json)
    for row in oversight._stream(session, select(T._NOTES.c.canonical_json)):
        read += 1
        if parse:
            oversight._NOTE.validate_json(row.canonical_json)
    return read


def timed(engine: Engine, work: Callable[[Any], object]) -> tuple[float, float]:
    sessions = snapshot_sessionmaker(engine)
    wall, cpu = time.perf_counter(), time.process_time()
    with sessions.begin() as session:
        work(session)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("children", nargs="?", type=int, default=5_000)
    parser.add_argument("visits_per_child", nargs="?", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rules = oversight.rules_from(Settings())
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'central.sqlite3'}")
        upgrade(engine)
        started = time.perf_counter()
        visits = seed(engine, args.children, args.visits_per_child)
        seeded_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"seeded {args.children} children, {visits} visits "
              f"in {time.perf_counter() - started:.0f} s (peak memory {seeded_peak:.0f} MiB)")
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _k, statement, *_: statements.append(statement))
        runs: dict[str, list[tuple[float, float]]] = {"bare": [], "parse": [], "every": []}
        listed: list[oversight.ChildSeen] = []

        def every(session: Any) -> None:
            listed[:] = oversight.every_child(session, now=NOW, rules=rules)

        for _ in range(args.rounds):
            runs["bare"].append(timed(engine, lambda s: bare(s, parse=False)))
            runs["parse"].append(timed(engine, lambda s: bare(s, parse=True)))
            before = len(statements)
            runs["every"].append(timed(engine, every))
            per_run = len(statements) - before
        engine.dispose()
    n = len(listed)
    best = {name: min(r[0] for r in rounds) for name, rounds in runs.items()}
    cpu = min(r[1] for r in runs["every"])
    red = sum(1 for c in listed if c.severity is not None and c.severity.rank == 0)
    print(f"{n} children listed ({red} red), {per_run} SQL statements per run")
    for name, label in (("bare", "bare read of every row"), ("parse", "read + parse models"),
                        ("every", "every child's state")):
        print(f"{label:24} best {best[name]:7.2f} s  {best[name] / n * 1000:6.2f} ms/child  "
              f"ratio {best[name] / best['bare']:5.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"every child's state, CPU {cpu:.2f} s ({cpu / n * 1000:.2f} ms/child); "
          f"peak memory {peak:.0f} MiB (after seeding: {seeded_peak:.0f} MiB)")


if __name__ == "__main__":
    main()
