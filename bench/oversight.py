"""The managers' pages at a council's size, on PostgreSQL, beside the bare SQL of the same
figures.

Workload (issue 14): a fresh PostgreSQL database with CHILDREN allocated children (two a
case) in 40 teams, 20 children a worker (one laptop each, some not synced for days), and
VISITS_PER_CHILD visits each over the last year (one in ten no access, one in twenty with an
injury; every visit but each child's last two signed off; one child in fifty never visited
and one in eight not visited for the last two months). Defaults: 50,000 children and 40
visits each, 2,000,000 visits. Rows are written with COPY from visit JSON made from three
real `Visit`s (ids and times substituted), so seeding takes minutes, not hours; signatures
are not checked here.

Measured, in this order:

* refresh: `figures_store.refresh(every_row=True)` (the nightly command): on a new database
  every child worked out from nothing, beside a bare read of every visit's JSON; on a kept
  one (--reuse, migrated first) the teams' and workers' sums added up from the kept rows, as
  after the upgrade to migration 0011;
* 1,000 children made stale by pushes (`figures_store.bump`, as ingest does) worked out
  again, their groups' sums with them: the cost a child;
* the Service page (every team, a manager of all teams) and a Team page, each ROUNDS times
  over HTTP through the real app (sign-in, session, audit, templates), alternated with the
  bare SQL that reads the same figures (`oversight_figures.counted` and `weekly_trend`'s
  statements, run raw): p50 / p95 and the ratio;
* the same pages right after a push made one child stale: the refresh of that child and of
  its team's and worker's sums is in the page's time;
* the first Service page of the next day with no nightly refresh (how many children it
  worked out: none, since the sums keep nothing that moves with the date);
* the inspectors' child-level CSV of every child (`/manage/children.csv`), beside a plain
  SELECT of the same rows (children, cases, workers, teams, kept figures).

--compare-commit REV then runs bench/oversight.py as it was at REV (unpacked with `git
archive`) on the same database (--reuse) and prints its pages beside these: before and
after in one run. --explain prints EXPLAIN ANALYZE of the Service page's statements.

Run: .venv/bin/python bench/oversight.py [CHILDREN] [VISITS_PER_CHILD] [--rounds N] [--keep]
(--keep leaves the database and prints its URL; --reuse URL measures a kept one again).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
import pyotp
from checkouts import unpacked
from sqlalchemy import Engine, text

from central.app import create_app
from central.core.config import Settings
from central.db.engine import make_engine, make_sessionmaker, snapshot_sessionmaker
from central.db.migrate import upgrade
from central.managers import add_manager
from central.services import figures_store, oversight, oversight_figures
from records.canonical import canonical_json
from records.case import Case, Child, PlanType
from records.corrections import ReviewDecision, ReviewOutcome
from records.visit import VisitOutcome
from tests.factories import make_injury, make_observation, make_visit

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SERVER = "postgresql://postgres@127.0.0.1:5432"
NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
TEAMS, PER_WORKER = 40, 20
PASSWORD = "a bench manager's passphrase"
PLANS = (PlanType.CHILD_PROTECTION, PlanType.CHILD_IN_NEED, PlanType.LOOKED_AFTER)
_CASE, _CHILD, _VISIT, _REVIEW = (uuid.UUID(int=n) for n in range(1, 5))
_START, _END = "2000-01-01T10:00:00.000000Z", "2000-01-01T11:00:00.000000Z"


def _templates() -> list[str]:
    """Canonical JSON of a seen, a no-access and an injured visit, ids and times to swap."""
    child = Child(id=_CHILD, case_id=_CASE, given_name="X", family_name="Y",
                  plan_type=PlanType.CHILD_PROTECTION, plan_start_date=date(2025, 9, 1))
    case = Case(id=_CASE, reference="C")
    start = datetime(2000, 1, 1, 10, tzinfo=UTC)
    common: dict[str, Any] = {"id": _VISIT, "started_at": start,
                              "ended_at": start + timedelta(hours=1)}
    seen = make_visit(case, [child], children=(make_observation(child),), **common)
    away = make_visit(case, [child], outcome=VisitOutcome.NO_ACCESS, no_access_reasons="No answer.",
                      children=(make_observation(child, seen=False, seen_alone=None,
                                                 reason_not_seen="No access."),), **common)
    hurt = make_visit(case, [child], children=(make_observation(
        child, injuries_seen=True, injuries=(make_injury(seen_at=start),)),), **common)
    review = ReviewDecision(id=_REVIEW, visit_id=_VISIT, visit_hash="0" * 64, reviewer="Lead",
                            decided_at=start, outcome=ReviewOutcome.SIGNED_OFF)
    return [canonical_json(v).decode() for v in (seen, away, hurt, review)]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def seed(url: str, children: int, per_child: int) -> int:
    """The world, written with COPY; returns how many visits."""
    templates = _templates()
    workers = max(children // PER_WORKER, TEAMS)
    with psycopg.connect(url) as db, db.cursor() as cur:
        cur.execute("INSERT INTO organisations (id, name) VALUES (1, 'Council')")
        with cur.copy("COPY teams (id, organisation_id, name) FROM STDIN") as copy:
            for t in range(TEAMS):
                copy.write_row((t + 1, 1, f"Team {t + 1:02d}"))
        devices = {}
        with cur.copy("COPY users (id, username, display_name, role, team_id, disabled, "
                      "created_at) FROM STDIN") as copy:
            for u in range(workers):
                copy.write_row((u + 1, f"worker{u + 1}", f"Worker {u + 1}", "worker",
                                u % TEAMS + 1, False, NOW))
        with cur.copy("COPY devices (id, user_id, public_key, label, status, enrolled_at, "
                      "last_contact_at) FROM STDIN") as copy:
            for u in range(workers):
                devices[u + 1] = uuid.uuid4()
                copy.write_row((devices[u + 1], u + 1, uuid.uuid4().bytes * 2, "", "active",
                                NOW, NOW - timedelta(hours=(u % 10) * 8)))
        people = []
        with cur.copy("COPY cases (id, reference, family_name, address, team_id, updated_at) "
                      "FROM STDIN") as copy:
            for n in range(0, children, 2):
                case_id = uuid.uuid4()
                people.append(case_id)
                copy.write_row((case_id, f"C-{n}", f"F{n}", "", (n // 2) % TEAMS + 1, NOW))
        kids = []
        with cur.copy("COPY children (id, case_id, council_reference, given_name, family_name, "
                      "date_of_birth, plan_type, plan_start_date, placement_start_date, "
                      "long_term_placement, first_language) FROM STDIN") as copy:
            for n in range(children):
                child_id, plan = uuid.uuid4(), PLANS[n % 3]
                kids.append((child_id, people[n // 2]))
                copy.write_row((child_id, people[n // 2], f"R-{n}", f"Child{n}", f"F{n}",
                                date(2015, 1, 1) + timedelta(days=n % 3000), plan.value,
                                date(2025, 9, 1), date(2025, 9, 1)
                                if plan is PlanType.LOOKED_AFTER else None, False, "English"))
        with cur.copy("COPY allocations (child_id, user_id, allocated_at) FROM STDIN") as copy:
            for n, (child_id, _) in enumerate(kids):
                copy.write_row((child_id, n // PER_WORKER % workers + 1, NOW))
        db.commit()
        made = 0
        for first in range(0, children, 2_000):
            decided: list[tuple[Any, ...]] = []
            named: list[tuple[uuid.UUID, uuid.UUID]] = []
            with cur.copy("COPY visits (id, case_id, device_id, user_id, team_id, "
                          "canonical_json, record_hash, signature, received_at, flags, "
                          "submitted_at) FROM STDIN") as visits:
                for n in range(first, min(first + 2_000, children)):
                    made += _visits(visits, decided, named, n, kids[n], per_child,
                                    n // PER_WORKER % workers + 1, devices, templates)
            # Which child each visit names, as ingest writes it beside the visit.
            with cur.copy("COPY visit_children (visit_id, child_id) FROM STDIN") as children_of:
                for row in named:
                    children_of.write_row(row)
            with cur.copy("COPY review_decisions (id, visit_id, outcome, device_id, user_id, "
                          "team_id, canonical_json, record_hash, signature, received_at, "
                          "flags) FROM STDIN") as reviews:
                for row in decided:
                    reviews.write_row(row)
            db.commit()
    return made


def _visits(visits: Any, reviews: list[tuple[Any, ...]], named: list[tuple[uuid.UUID, uuid.UUID]],
            n: int, child: tuple[uuid.UUID, uuid.UUID], per_child: int, worker: int,
            devices: dict[int, uuid.UUID], templates: list[str]) -> int:
    if n % 50 == 7:
        return 0  # never visited
    child_id, case_id = child
    quiet = 60 if n % 8 == 3 else 0  # not visited for two months
    span = 365 - quiet
    made = 0
    for k in range(per_child):
        start = NOW - timedelta(days=quiet + 2 + (per_child - 1 - k) * span / per_child,
                                hours=4 + n % 5)
        kind = 1 if (n + k) % 10 == 3 else 2 if (n + k) % 20 == 7 else 0
        visit_id = uuid.uuid4()
        data = (templates[kind].replace(str(_VISIT), str(visit_id))
                .replace(str(_CASE), str(case_id)).replace(str(_CHILD), str(child_id))
                .replace(_START, _iso(start)).replace(_END, _iso(start + timedelta(hours=1))))
        received = start + timedelta(hours=20)
        visits.write_row((visit_id, case_id, devices[worker], worker, None, data, "0" * 64,
                          b"\0" * 64, received, "[]", start + timedelta(hours=19)))
        named.append((visit_id, child_id))
        if k < per_child - 2:
            review_id = uuid.uuid4()
            review = (templates[3].replace(str(_REVIEW), str(review_id))
                      .replace(str(_VISIT), str(visit_id))
                      .replace(_START, _iso(received + timedelta(days=2))))
            reviews.append((review_id, visit_id, "signed_off", devices[worker], worker,
                               None, review, "0" * 64, b"\0" * 64, received, "[]"))
        made += 1
    return made


# --- measuring -------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bare_figures(engine: Engine, teams: list[str] | None) -> Callable[[], None]:
    """The statements a page adds its figures up with, compiled once, run raw."""
    captured: list[tuple[str, Any]] = []
    with snapshot_sessionmaker(engine).begin() as db:
        connection = db.connection()

        def keep(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
            captured.append((statement, parameters))

        from sqlalchemy import event
        event.listen(connection, "before_cursor_execute", keep)
        oversight_figures.counted(db, teams, "team" if teams is None else "worker", NOW.date())
        oversight_figures.counted(db, teams, "all", NOW.date())
        oversight_figures.weekly_trend(db, teams, NOW.date())
        event.remove(connection, "before_cursor_execute", keep)

    def run() -> None:
        with engine.connect() as raw:
            for statement, parameters in captured:
                raw.exec_driver_sql(statement, parameters).fetchall()
    run.captured = captured  # type: ignore[attr-defined]
    return run


def explain(engine: Engine, statements: list[tuple[str, Any]]) -> None:
    with engine.connect() as raw:
        for statement, parameters in statements:
            print("--- " + " ".join(statement.split())[:160])
            for (row,) in raw.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                              parameters):
                print("    " + row)


def refresh_statements(engine: Engine, sessions: Any, snapshots: Any,
                       rules: Any) -> list[tuple[str, Any]]:
    """The reads of a page's refresh after a push made one child of Team 01 stale."""
    from sqlalchemy import event

    with engine.connect() as raw:
        child = raw.execute(text("SELECT child_id FROM child_figures "
                                 "WHERE worker_team = 'Team 01' LIMIT 1")).scalar_one()
    with sessions.begin() as db:
        figures_store.bump(db, child_ids=[child])
    captured: list[tuple[str, Any]] = []

    def keep(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in statement:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        figures_store.refresh(sessions, snapshots, now=NOW, rules=rules, for_today=False)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return captured


def bare_rows(engine: Engine) -> Callable[[], None]:
    def run() -> None:
        with engine.connect() as raw:
            for _ in raw.execution_options(yield_per=2_000).execute(text(
                    "SELECT ch.given_name, ch.family_name, cs.reference, ch.plan_type, t.name, "
                    "u.display_name, f.last_seen, f.seen_alone_then, f.next_due, "
                    "f.days_overdue, f.payload FROM allocations a "
                    "JOIN users u ON u.id = a.user_id JOIN teams t ON t.id = u.team_id "
                    "JOIN children ch ON ch.id = a.child_id JOIN cases cs ON cs.id = ch.case_id "
                    "JOIN child_figures f ON f.child_id = a.child_id "
                    "WHERE a.ended_at IS NULL")):
                pass
    return run


def bare_visits(engine: Engine) -> Callable[[], None]:
    def run() -> None:
        with engine.connect() as raw:
            for _ in raw.execution_options(yield_per=2_000).execute(text(
                    "SELECT case_id, canonical_json FROM visits ORDER BY case_id")):
                pass
    return run


def signed_in(engine: Engine, url: str, now: datetime = NOW) -> TestClient:
    app = create_app(Settings(database_url=url), engine=engine, clock=lambda: now)
    client = TestClient(app, base_url="https://testserver")
    box = app.state.manage.box
    with make_sessionmaker(engine).begin() as db:
        secret = add_manager(db, box, f"bench{uuid.uuid4().hex[:6]}", PASSWORD,
                             teams=None).totp_secret
        username = db.execute(text("SELECT username FROM manager_accounts "
                                   "ORDER BY id DESC LIMIT 1")).scalar_one()
    form = client.get("/manage/login").text
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    answer = client.post("/manage/login", data={
        "username": username, "password": PASSWORD, "csrf": csrf,
        "code": pyotp.TOTP(secret).at(now)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def get(client: TestClient, path: str) -> Callable[[], None]:
    def run() -> None:
        answer = client.get(path, follow_redirects=False)  # never the sign-in page instead
        assert answer.status_code == 200, answer.text[:500]
    return run


PAGES: dict[str, tuple[float, float]] = {}


def line(label: str, page: list[float], bare: list[float]) -> None:
    PAGES[label] = (statistics.median(page), p95(page))
    print(f"{label:34} p50 {statistics.median(page) * 1000:8.1f} ms  p95 "
          f"{p95(page) * 1000:8.1f} ms | bare SQL p50 {statistics.median(bare) * 1000:7.1f} ms"
          f"  p95 {p95(bare) * 1000:7.1f} ms | ratio p95 {p95(page) / p95(bare):5.1f}")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# complexity: one run of measurements, printed in the order they are taken
def measure(url: str, rounds: int, *, show_plans: bool = False) -> None:
    engine = make_engine(url, pool_size=4)
    upgrade(engine)  # a database kept by an earlier commit gets the kept sums' tables
    rules = oversight.rules_from(Settings())
    sessions, snapshots = make_sessionmaker(engine), snapshot_sessionmaker(engine)
    with engine.connect() as raw:
        children = raw.execute(text("SELECT count(*) FROM allocations")).scalar_one()
        visits = raw.execute(text("SELECT count(*) FROM visits")).scalar_one()
        raw.execute(text("ANALYZE"))
        raw.commit()  # else ANALYZE's statistics are rolled back with its transaction
    print(f"{children} children, {visits} visits, {TEAMS} teams; load {load()}", flush=True)
    read = timed(bare_visits(engine))
    worked: list[int] = []
    took = timed(lambda: worked.append(figures_store.refresh(
        sessions, snapshots, now=NOW, rules=rules, every_row=True)))
    print(f"refresh of every row (the nightly command): {worked[0]} children worked out, "
          f"every team's and worker's sums added up, {took:7.1f} s | bare read of every "
          f"visit's JSON {read:5.1f} s | ratio {took / read:5.1f}", flush=True)
    with engine.connect() as raw:  # the kept tables were empty or changed when last analysed
        raw.execute(text("ANALYZE"))
        raw.commit()  # else ANALYZE's statistics are rolled back with its transaction
        spread = [row[0] for row in raw.execute(text(
            "SELECT child_id FROM allocations ORDER BY child_id LIMIT 1000"))]
    with sessions.begin() as db:
        figures_store.bump(db, child_ids=spread)
    took = timed(lambda: figures_store.refresh(sessions, snapshots, now=NOW, rules=rules,
                                               for_today=False))
    print(f"1,000 children a push made stale (every team), worked out with their sums: "
          f"{took:5.1f} s, {took:.2f} ms a child", flush=True)
    client = signed_in(engine, url)
    team = "Team 01"
    pages = {"service": get(client, "/manage/service"),
             "team": get(client, "/manage/teams/" + team.replace(" ", "%20"))}
    bare = {"service": bare_figures(engine, None), "team": bare_figures(engine, [team])}
    if show_plans:
        explain(engine, bare["service"].captured)  # type: ignore[attr-defined]
        explain(engine, refresh_statements(engine, sessions, snapshots, rules))
    with engine.connect() as raw:
        some = [row[0] for row in raw.execute(text(
            "SELECT a.child_id FROM allocations a JOIN users u ON u.id = a.user_id "
            f"JOIN teams t ON t.id = u.team_id WHERE t.name = '{team}' LIMIT {rounds}"))]
    for name in pages:
        pages[name]()  # warm: templates compiled, plans cached
        page_times, bare_times, after_push = [], [], []
        for n in range(rounds):
            page_times.append(timed(pages[name]))
            bare_times.append(timed(bare[name]))
            with sessions.begin() as db:  # a push lands: its child is stale
                figures_store.bump(db, child_ids=[some[n % len(some)]])
            after_push.append(timed(pages[name]))
        line(f"{name} page", page_times, bare_times)
        line(f"{name} page, just after a push", after_push, bare_times)
        sys.stdout.flush()
    csv_times, rows_times = [], []
    for _ in range(max(2, rounds // 10)):
        csv_times.append(timed(get(client, "/manage/children.csv")))
        rows_times.append(timed(bare_rows(engine)))
    print(f"{'children.csv, every child':34} best {min(csv_times):6.2f} s  worst "
          f"{max(csv_times):6.2f} s | plain SELECT of the same rows best "
          f"{min(rows_times):6.2f} s | ratio {min(csv_times) / min(rows_times):5.1f}")
    # Last: signing in on the next day ends the sessions idle since today's.
    tomorrow = NOW + timedelta(days=1)
    next_day = signed_in(engine, url, tomorrow)
    first = timed(get(next_day, "/manage/service"))
    again = figures_store.refresh(sessions, snapshots, now=tomorrow, rules=rules,
                                  for_today=False)
    print(f"{'first service page of the next day':34} {first * 1000:8.1f} ms, no nightly "
          f"refresh; children it left to work out: {again}", flush=True)
    print(f"load at the end: {load()}", flush=True)
    engine.dispose()


def compare(url: str, rounds: int, revision: str) -> None:
    """bench/oversight.py as it was at `revision`, on the same database, beside this one."""
    with unpacked(revision) as tree:
        folder, commit = str(tree), tree.name
        print(f"=== the same database measured by {commit}; load {load()}", flush=True)
        output = subprocess.run(
            [sys.executable, "bench/oversight.py", "--reuse", url, "--rounds", str(rounds)],
            cwd=folder, env={**os.environ, "PYTHONPATH": folder}, check=True,
            capture_output=True, text=True).stdout
    print("\n".join(f"  {commit}| {text_line}" for text_line in output.splitlines()))
    print(f"=== before ({commit}) and after (this tree), p50 / p95; load {load()}")
    for text_line in output.splitlines():
        found = re.match(r"(.{34}) p50 +([\d.]+) ms  p95 +([\d.]+) ms", text_line)
        if found and found.group(1).strip() in PAGES:
            before = float(found.group(2)), float(found.group(3))
            p50_after, p95_after = (1000 * v for v in PAGES[found.group(1).strip()])
            print(f"{found.group(1)} before {before[0]:8.1f} / {before[1]:8.1f} ms  after "
                  f"{p50_after:7.1f} / {p95_after:7.1f} ms  p95 before / after "
                  f"{before[1] / p95_after:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("children", nargs="?", type=int, default=50_000)
    parser.add_argument("visits_per_child", nargs="?", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", default=None, metavar="URL")
    parser.add_argument("--compare-commit", default=None, metavar="REV")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.reuse:
        measure(args.reuse, args.rounds, show_plans=args.explain)
        if args.compare_commit:
            compare(args.reuse, args.rounds, args.compare_commit)
        return
    name = f"homevisit_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{SERVER}/{name}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        started = time.perf_counter()
        made = seed(url, args.children, args.visits_per_child)
        print(f"seeded {args.children} children and {made} visits in "
              f"{time.perf_counter() - started:.0f} s")
        measure(url, args.rounds, show_plans=args.explain)
        if args.compare_commit:
            compare(url, args.rounds, args.compare_commit)
    finally:
        if args.keep:
            print(f"kept: --reuse {url}")
        else:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
