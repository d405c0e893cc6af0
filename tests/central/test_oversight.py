"""Central knows, for every allocated child, whether they have been seen — by the laptops'
rules (records.flags, records.last_seen) — on SQLite and PostgreSQL, through the service and
through `homevisit-central children`."""

from __future__ import annotations

import csv
import io
import json
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from central.cli import main
from central.core.config import Settings
from central.db.engine import snapshot_sessionmaker
from central.db.models import CaseNoteRow, ChildRow
from central.services import admin, oversight
from central.services.holdings import child_record
from central.services.oversight import ChildSeen, every_child, rules_from
from records.case import Case
from records.flag_types import FlagCode, Severity, local_day
from records.visit import Consistency, ExplanationSource, Visit, VisitOutcome
from tests.central.conftest import POSTGRES_SERVER, _admin_connection
from tests.central.harness import NOW, WORLD_CSV, Central, Laptop, World
from tests.central.test_case_notes import GOOD_ROW, HEADER, import_file
from tests.factories import make_injury, make_observation, make_visit


def on(day: date) -> datetime:
    """Half past ten in the morning of `day` (GMT in November: the same day in England)."""
    return datetime(day.year, day.month, day.day, 10, 30, tzinfo=UTC)


def visit(world: World, ref: str, day: date, **changes: Any) -> Visit:
    return make_visit(world.cases[ref], [world.children[ref]], started_at=on(day),
                      ended_at=on(day) + timedelta(hours=1), **changes)


def children(central: Central, team: str | None = None) -> dict[str, ChildSeen]:
    with snapshot_sessionmaker(central.engine).begin() as session:
        found = every_child(session, now=central.clock(), rules=rules_from(Settings()),
                            team=team)
    return {c.name: c for c in found}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, central: Central,
        *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("central.cli._now", central.clock)
    code = main(["children", *args, "--database-url", str(central.engine.url.render_as_string(
        hide_password=False))])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_child_allocated_and_never_visited_is_red_by_name_overdue_from_the_plan_start(
        central: Central, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    central.world()
    ana = children(central)["Ana Nowak"]
    # Child protection from 1 Sep 2026: due 10 working days later, 15 Sep; 16 Nov is 62 days on.
    assert ana.never_visited and ana.last_seen is None and ana.seen_alone_then is None
    assert (ana.next_due, ana.days_overdue) == (date(2026, 9, 15), 62)
    assert ana.severity is Severity.RED and ana.case_reference == "CP-1"
    overdue = next(f for f in ana.flags if f.code is FlagCode.VISIT_OVERDUE)
    assert overdue.severity is Severity.RED and "counted from 1 Sep 2026" in overdue.reason

    code, out, err = run(capsys, monkeypatch, central, "--red-only")
    assert code == 0 and err == ""
    line = next(line for line in out.splitlines() if "Ana Nowak" in line)
    assert line.startswith("RED") and "never seen" in line and "62 d" in line
    # Mia, looked after with no placement date, counts from her plan's start (1 Sep): due by
    # 8 Sep, red and overdue by name, with the missing placement date said.
    mia = next(line for line in out.splitlines() if "Mia Hughes" in line)
    assert mia.startswith("RED") and "8 Sep 2026" in mia and "69 d" in mia
    assert "no placement start date is recorded" in mia
    assert "3 allocated children in all teams whose most serious flag is red: 3 red" in out


def test_overdue_counts_from_the_last_visit_where_the_child_was_seen_not_a_no_access_day(
        central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    seen = visit(world, "N1", date(2026, 10, 26))
    no_access = visit(
        world, "N1", date(2026, 11, 10), outcome=VisitOutcome.NO_ACCESS,
        no_access_reasons="No answer at the door.",
        no_access_steps_taken="Card through the door; called mother.",
        children=(make_observation(world.children["N1"], seen=False, seen_alone=None,
                                   reason_not_seen="No access."),))
    laptop.push_ok(laptop.op(seen), laptop.op(no_access))

    ana = children(central)["Ana Nowak"]
    assert (ana.last_seen, ana.seen_alone_then, ana.never_visited) == (
        date(2026, 10, 26), True, False)
    # 10 working days from 26 Oct is 9 Nov; from the no-access day it would be 24 Nov.
    assert (ana.next_due, ana.days_overdue) == (date(2026, 11, 9), 7)
    assert ana.headline is not None and ana.headline.code is FlagCode.VISIT_OVERDUE
    assert "last seen 26 Oct 2026" in ana.headline.reason
    assert FlagCode.CHILD_NOT_SEEN in {f.code for f in ana.flags}
    # One visit where Ana was seen in the last three months, and it was late (due 15 Sep).
    assert (ana.seen_recently, ana.seen_on_time_recently) == (1, 0)


def test_the_headline_is_the_most_serious_flag_not_the_latest(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    ana = world.children["N1"]
    bruise = make_injury(explanation_given_by=ExplanationSource.SIBLING,
                         explanation_words="Her brother says she fell.",
                         consistent_with_explanation=Consistency.YES)
    no_bedroom = {"bedroom_seen": False, "reason_bedroom_not_seen": "Door was shut."}
    visits = [
        visit(world, "N1", date(2026, 11, 2), children=(make_observation(
            ana, injuries_seen=True, injuries=(bruise,)),)),
        visit(world, "N1", date(2026, 11, 9), children=(make_observation(ana, **no_bedroom),)),
        visit(world, "N1", date(2026, 11, 13), children=(make_observation(ana, **no_bedroom),)),
    ]
    laptop.push_ok(*(laptop.op(v) for v in visits))

    found = children(central)["Ana Nowak"]
    codes = {f.code for f in found.flags}
    assert {FlagCode.INJURY_RECORDED, FlagCode.BEDROOM_NOT_SEEN} <= codes
    # Both red; the bedroom streak is the more recent, the sibling's explanation the graver.
    assert found.headline is not None and found.headline.code is FlagCode.INJURY_RECORDED
    assert "sibling" in found.headline.reason
    assert found.red >= 2 and found.last_seen == date(2026, 11, 13)


def test_a_police_notification_imported_at_central_is_not_followed_up_until_a_visit_says_so(
        central: Central) -> None:
    world = central.world()
    import_file(central, HEADER + GOOD_ROW)
    ana = children(central)["Ana Nowak"]
    assert ana.headline is not None
    assert ana.headline.code is FlagCode.AGENCY_NOT_FOLLOWED_UP
    assert ana.headline.severity is Severity.RED and "West Midlands Police" in ana.headline.reason
    # Only Ana's: the notification does not name Yusuf.
    assert FlagCode.AGENCY_NOT_FOLLOWED_UP not in {
        f.code for f in children(central)["Yusuf Begum"].flags}

    with central.admin() as session:
        note_id = session.scalars(select(CaseNoteRow.id)).one()
    laptop = central.enroll("north1")
    followed = visit(world, "N1", date(2026, 11, 16), children=(make_observation(
        world.children["N1"], notifications_followed_up=(note_id,)),))
    laptop.push_ok(laptop.op(followed))
    assert FlagCode.AGENCY_NOT_FOLLOWED_UP not in {
        f.code for f in children(central)["Ana Nowak"].flags}


def test_the_csv_is_the_inspectors_child_level_list_written_for_its_owner_only(
        central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    world = central.world()
    laptop = central.enroll("north1")
    laptop.push_ok(laptop.op(visit(world, "N2", date(2026, 11, 12), children=(
        make_observation(world.children["N2"], seen_alone=False,
                         reason_not_seen_alone="Mother stayed."),))))
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "children.csv"
    target.write_text("an older list\n")
    code, out, err = run(capsys, monkeypatch, central, "--csv", str(target))
    assert code == 0 and err == "" and "Wrote 3 children" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["children.csv"]  # no temp file left
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0] == ["child", "case_reference", "plan_type", "team", "worker", "last_seen",
                       "seen_alone_then", "next_due", "days_overdue", "headline",
                       "headline_as_of", "overdue_now"]
    lines = {r[0]: r for r in rows[1:]}
    assert set(lines) == {"Ana Nowak", "Yusuf Begum", "Mia Hughes"}
    assert lines["Yusuf Begum"][1:9] == ["CP-2", "Child in need", "North", "north2",
                                         "2026-11-12", "no", "2026-12-10", "0"]
    assert lines["Mia Hughes"][3:5] == ["South", "south1"]
    assert lines["Ana Nowak"][5:9] == ["", "", "2026-09-15", "62"]
    assert (lines["Ana Nowak"][11], lines["Yusuf Begum"][11]) == ("yes", "no")
    assert all(r[9] for r in rows[1:])  # each child's headline sentence
    # The command works every child out now: every headline is today's.
    assert {r[10] for r in rows[1:]} == {local_day(central.clock()).isoformat()}

    code, _, err = run(capsys, monkeypatch, central, "--csv", str(tmp_path / "none" / "x.csv"))
    assert code == 1 and "does not exist: nothing was written" in err
    code, _, err = run(capsys, monkeypatch, central, "--csv", str(target.parent))
    assert code == 1 and "is a folder: nothing was written" in err
    assert "Traceback" not in err


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.sqlite3'}"
        return
    request.getfixturevalue("postgres_url")  # skips, loudly, when PostgreSQL is unreachable
    name = f"homevisit_empty_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_database_not_yet_migrated_is_one_sentence_not_a_traceback(
        empty_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["children", "--database-url", empty_database])
    _, err = capsys.readouterr()
    assert code == 1 and "run 'homevisit-central migrate'" in err and "Traceback" not in err


def test_a_team_lists_only_its_own_children_and_an_unknown_team_is_named(
        central: Central, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    central.world()
    code, out, err = run(capsys, monkeypatch, central, "--team", "North", "--json")
    assert code == 0 and err == ""
    listed = json.loads(out)
    assert sorted(c["name"] for c in listed) == ["Ana Nowak", "Yusuf Begum"]
    assert {c["team"] for c in listed} == {"North"}
    ana = next(c for c in listed if c["name"] == "Ana Nowak")
    assert ana["headline"]["severity"] == "red" and ana["days_overdue"] == 62
    assert ana["case_reference"] == "CP-1" and ana["never_visited"] is True

    code, out, err = run(capsys, monkeypatch, central, "--team", "Nort")
    assert code == 1 and out == ""
    assert err.strip() == ("homevisit-central: There is no team called 'Nort'. "
                           "Known teams: North, South.")


def test_a_laptop_silent_for_days_shows_on_its_workers_children(central: Central) -> None:
    world = central.world()
    laptop = central.enroll("south1")
    laptop.push_ok(laptop.op(visit(world, "S1", date(2026, 11, 16))))
    central.clock.advance(3 * 24 * 3600)
    mia = children(central, "South")["Mia Hughes"]
    assert mia.device_last_contact == NOW
    assert FlagCode.DEVICE_NOT_SYNCED in {f.code for f in mia.flags}
    assert set(children(central, "South")) == {"Mia Hughes"}


# --- a bounded number of statements, whatever the number of children -------------------


@contextmanager
def statements_counted() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def seed(central: Central, families: int) -> None:
    """`families` cases of two children each over two teams, and a visit to one of them."""
    rows = ["case_reference,family_name,team,child_reference,given_name,plan_type,"
            "plan_start_date,worker"]
    for n in range(families):
        team, worker = ("North", "north1") if n % 2 else ("South", "south1")
        for sibling in (1, 2):
            rows.append(f"F-{n},Family{n},{team},F-{n}-{sibling},Child{sibling},child_protection,"
                        f"2026-10-01,{worker}")
    with central.admin() as session:
        admin.import_cases(session, io.StringIO("\n".join(rows) + "\n"), central.clock())
        seeded = {c.council_reference: c for c in session.scalars(
            select(ChildRow).where(ChildRow.council_reference.like("F-%")))}
    laptops: dict[str, Laptop] = {name: central.enroll(name) for name in ("north1", "south1")}
    ops: dict[str, list[dict[str, Any]]] = {"north1": [], "south1": []}
    for n in range(families):
        worker = "north1" if n % 2 else "south1"
        first = child_record(seeded[f"F-{n}-1"])
        ops[worker].append(laptops[worker].op(make_visit(
            Case(id=first.case_id, reference=f"F-{n}"), [first], id=uuid.uuid4(),
            started_at=on(date(2026, 11, 2)), ended_at=on(date(2026, 11, 2)))))
    for worker, pending in ops.items():
        for start in range(0, len(pending), 100):
            laptops[worker].push_ok(*pending[start:start + 100])


FAMILIES = 120
"""Then 243 children and 120 visits: each query's rows come in several fetches (below)."""


def test_every_childs_state_comes_from_the_same_few_statements_however_many_children(
        central: Central, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Rows streamed 50 at a time instead of 500, so the streams are merged across several
    # fetches, as a large council's are, with a fifth of the children to seed and list.
    monkeypatch.setattr(oversight, "STREAM_ROWS", 50)
    central.world()
    import_file(central, HEADER + GOOD_ROW)
    counts = []
    for families in (0, FAMILIES):  # 3 children, then 243
        if families:
            seed(central, families)
        run(capsys, monkeypatch, central, "--json")  # works out the children not yet kept
        with statements_counted() as statements:
            code, out, _ = run(capsys, monkeypatch, central, "--json")
        assert code == 0
        assert len(json.loads(out)) == 3 + 2 * families
        with statements_counted() as worked_out:
            assert len(children(central)) == 3 + 2 * families  # every_child itself
        counts.append((len(statements), len(worked_out)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 20 and counts[0][1] <= 12, counts
    listed = {c["name"]: c for c in json.loads(out)}
    assert sum(1 for c in json.loads(out) if c["last_seen"] == "2026-11-02") == FAMILIES
    assert listed["Ana Nowak"]["headline"]["code"] == "agency_not_followed_up"


def test_a_child_with_visits_keeps_them_when_an_import_moves_them_to_another_case(
        central: Central, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Central reads a child's visits through the child (`visit_children`), as the team lead's
    laptop does: a child the case system moves to another case keeps their last seen, their
    flags and their visit awaiting sign-off, worked out afresh and in the kept figures."""
    world = central.world()
    laptop = central.enroll("north1")
    laptop.push_ok(laptop.op(visit(world, "N1", date(2026, 10, 26))))
    before = children(central)["Ana Nowak"]
    run(capsys, monkeypatch, central, "--json")  # the figures kept before the move
    moved = WORLD_CSV.replace("CP-1,Nowak,12 Elm Row,North,N1", "CP-9,Nowak,12 Elm Row,North,N1")
    with central.admin() as session:
        admin.import_cases(session, io.StringIO(moved), central.clock())
    with central.admin() as session:
        assert admin.child_by_reference(session, "N1").case_id == uuid.uuid5(
            admin.NAMESPACE, "case:CP-9")
    after = children(central)["Ana Nowak"]
    assert after.last_seen == date(2026, 10, 26) and not after.never_visited
    assert (after.next_due, after.days_overdue, after.awaiting_sign_off) == (
        before.next_due, before.days_overdue, before.awaiting_sign_off)
    assert len(after.awaiting_sign_off) == 1
    code, out, _ = run(capsys, monkeypatch, central, "--json")
    assert code == 0
    [kept] = [c for c in json.loads(out) if c["name"] == "Ana Nowak"]
    assert kept["case_reference"] == "CP-9" and kept["last_seen"] == "2026-10-26"


def test_a_child_named_on_a_visit_of_another_case_is_seen_there_as_on_the_laptops(
        central: Central) -> None:
    """Siblings on two cases seen together at one visit, filed under one of the cases: the
    other child was seen too. Central flags the visit for a team lead (`child_not_on_case`)
    and, as the team lead's laptop does, counts the child as seen on that day."""
    world = central.world()
    laptop = central.enroll("north1")
    day = date(2026, 11, 2)
    both = make_visit(world.cases["N1"], [world.children["N1"], world.children["N2"]],
                      started_at=on(day), ended_at=on(day) + timedelta(hours=1))
    [result] = laptop.push_ok(laptop.op(both))
    assert "child_not_on_case" in result["flags"]
    found = children(central)
    assert found["Yusuf Begum"].last_seen == found["Ana Nowak"].last_seen == day
    assert not found["Yusuf Begum"].never_visited
