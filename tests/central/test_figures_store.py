"""The managers' kept figures (`figures_store`) say exactly what `every_child` says, on
SQLite and PostgreSQL: a push makes its children stale in its own transaction, a new day or
other rules work every child out again, and a push landing during a refresh is never hidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import holidays
import pytest
from sqlalchemy import select, text

from central.cli import main as cli_main
from central.core.config import Settings
from central.db.engine import snapshot_sessionmaker
from central.db.figure_models import ChildFigures
from central.services import admin, figures_store, oversight_figures
from central.services.oversight import ChildSeen, every_child, rules_from
from records.canonical import canonical_json, hash_bytes
from records.flag_types import FlagCode, FlagRules, local_day
from records.schedule import VisitStandards, WorkingCalendar
from tests.central.harness import Central, Laptop, World
from tests.central.test_oversight import visit
from tests.central.test_push import _addendum
from tests.factories import make_observation


def correction(of: Any) -> Any:
    return _addendum(of.id, hash_bytes(canonical_json(of)))


def kept(central: Central, rules: FlagRules | None = None) -> list[ChildSeen]:
    return figures_store.fresh_children(
        central.sessions, snapshot_sessionmaker(central.engine), now=central.clock(),
        rules=rules or rules_from(Settings()))


def worked_out(central: Central) -> list[ChildSeen]:
    with snapshot_sessionmaker(central.engine).begin() as session:
        return every_child(session, now=central.clock(), rules=rules_from(Settings()))


def refreshed(central: Central, rules: FlagRules | None = None) -> int:
    return figures_store.refresh(central.sessions, snapshot_sessionmaker(central.engine),
                                 now=central.clock(), rules=rules or rules_from(Settings()))


@dataclass(frozen=True)
class North:
    world: World
    laptop: Laptop

    def seen_on(self, ref: str, day: date, **seen: Any) -> None:
        self.laptop.push_ok(self.laptop.op(visit(self.world, ref, day, children=(
            make_observation(self.world.children[ref], **seen),))))


@pytest.fixture
def north(central: Central) -> North:
    world = central.world()
    return North(world, central.enroll("north1"))


def test_kept_figures_are_every_childs_and_a_push_shows_on_the_next_read(
        central: Central, north: North) -> None:
    north.seen_on("N1", date(2026, 11, 2), seen_alone=False,
            reason_not_seen_alone="Mother stayed.")
    assert kept(central) == worked_out(central)  # every field, flags and all
    assert refreshed(central) == 0  # nothing changed: nothing worked out again
    ana = north.world.children["N1"]
    with central.admin() as session:
        before = session.get(ChildFigures, ana.id)
        assert before is not None and before.computed_generation == before.generation

    north.seen_on("N1", date(2026, 11, 12), seen_alone=True)
    with central.admin() as session:  # bumped by the push itself
        row = session.get(ChildFigures, ana.id)
        assert row is not None and row.generation == row.computed_generation + 1
    now_kept = kept(central)
    assert now_kept == worked_out(central)
    mine = next(c for c in now_kept if c.child_id == ana.id)
    assert (mine.last_seen, mine.seen_alone_then) == (date(2026, 11, 12), True)
    assert refreshed(central) == 0


def _generation(central: Central, child: Any) -> tuple[int, int | None]:
    with central.admin() as session:
        row = session.get(ChildFigures, child.id)
        assert row is not None
        return row.generation, row.computed_generation


def test_an_addendum_alone_and_a_visit_with_its_addendum_each_make_the_child_stale(
        central: Central, north: North) -> None:
    """The bump goes with the push's own writes (on PostgreSQL in the same statement, which
    does not see the visit it inserts): an addendum to a visit central held, and a visit
    pushed with its addendum, each make the child stale once."""
    ana = north.world.children["N1"]
    first = visit(north.world, "N1", date(2026, 11, 2))
    north.laptop.push_ok(north.laptop.op(first))
    refreshed(central)
    generation, computed = _generation(central, ana)
    assert generation == computed

    north.laptop.push_ok(north.laptop.op(correction(first), "addendum.add"))
    assert _generation(central, ana) == (generation + 1, computed)
    refreshed(central)

    second = visit(north.world, "N1", date(2026, 11, 9))
    north.laptop.push_ok(north.laptop.op(second),
                         north.laptop.op(correction(second), "addendum.add"))
    assert _generation(central, ana) == (generation + 2, generation + 1)
    assert kept(central) == worked_out(central)


def test_a_new_day_or_other_rules_work_every_child_out_again(
        central: Central, north: North) -> None:
    north.seen_on("N1", date(2026, 11, 2))
    first = {c.name: c for c in kept(central)}
    central.clock.advance(timedelta(days=1).total_seconds())
    assert refreshed(central) == len(first)
    later = {c.name: c for c in kept(central)}
    assert later == {c.name: c for c in worked_out(central)}
    overdue = [name for name, c in first.items() if c.days_overdue]
    assert overdue and all(later[n].days_overdue == first[n].days_overdue + 1 for n in overdue)

    stricter = FlagRules(standards=VisitStandards(child_protection_working_days=5))
    assert refreshed(central, stricter) == len(first)
    assert refreshed(central, stricter) == 0


def test_another_homevisit_version_or_bank_holiday_calendar_gives_another_rules_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept figures are redone after an upgrade (what `records/` says may have changed) or
    when the working calendar changes (a bank holiday added moves every due date)."""
    england = FlagRules()
    key = figures_store.rules_key(england)
    assert figures_store.rules_key(FlagRules()) == key  # the same calendar, the same key
    wales = WorkingCalendar(holidays.country_holidays("GB", subdiv="WLS"))
    assert figures_store.rules_key(FlagRules(calendar=wales)) == key  # the same days
    scotland = WorkingCalendar(holidays.country_holidays("GB", subdiv="SCT"))
    assert figures_store.rules_key(FlagRules(calendar=scotland)) != key
    extra = holidays.country_holidays("GB", subdiv="ENG")
    extra[date(date.today().year, 9, 18)] = "A one-off bank holiday"
    assert figures_store.rules_key(FlagRules(calendar=WorkingCalendar(extra))) != key
    monkeypatch.setattr(figures_store, "homevisit_version", lambda: "99.0.0")
    assert figures_store.rules_key(england) != key


def test_a_push_that_lands_during_a_refresh_leaves_the_child_stale_never_hidden(
        central: Central, north: North, monkeypatch: pytest.MonkeyPatch) -> None:
    ana = north.world.children["N1"]
    real = figures_store.o.every_child
    pushed: list[bool] = []

    def then_a_push(*args: Any, **kwargs: Any) -> list[ChildSeen]:
        found = real(*args, **kwargs)  # worked out from a snapshot without the visit below
        if not pushed:
            pushed.append(True)
            north.seen_on("N1", date(2026, 11, 13), seen_alone=True)
        return found

    monkeypatch.setattr(figures_store.o, "every_child", then_a_push)
    refreshed(central)
    with central.admin() as session:
        row = session.get(ChildFigures, ana.id)
        assert row is not None and row.computed_generation != row.generation
        others = session.scalars(select(ChildFigures).where(ChildFigures.child_id != ana.id))
        assert all(r.computed_generation == r.generation for r in others)
    mine = next(c for c in kept(central) if c.child_id == ana.id)
    assert mine.last_seen == date(2026, 11, 13)


def test_device_not_synced_is_added_when_read_not_kept(
        central: Central, north: North) -> None:
    north.seen_on("N1", date(2026, 11, 12), seen_alone=True)
    ana = north.world.children["N1"]
    assert not any(f.code is FlagCode.DEVICE_NOT_SYNCED
                   for c in kept(central) if c.child_id == ana.id for f in c.flags)
    central.clock.advance(timedelta(hours=30).total_seconds())  # the laptop fell silent
    mine = next(c for c in kept(central) if c.child_id == ana.id)
    assert any(f.code is FlagCode.DEVICE_NOT_SYNCED for f in mine.flags)
    assert kept(central) == worked_out(central)


def test_a_child_allocated_to_another_team_is_counted_there_at_once(
        central: Central, north: North) -> None:
    north.seen_on("N1", date(2026, 11, 12), seen_alone=True)

    def teams() -> dict[str, int]:
        refreshed(central)
        with snapshot_sessionmaker(central.engine).begin() as session:
            found = oversight_figures.counted(session, None, "team", local_day(central.clock()))
            return {name: f.children for name, f in found.items()}

    before = teams()
    with central.admin() as session:
        admin.assign(session, north.world.children["N1"].id, "south1", central.clock())
    after = teams()
    assert after["North"] == before["North"] - 1 and after["South"] == before["South"] + 1
    with snapshot_sessionmaker(central.engine).begin() as session:
        south = oversight_figures.counted(session, ["South"], "worker",
                                              local_day(central.clock()))
    assert south["south1"].seen_alone_last == 1  # Ana's figures went with her


def test_the_nightly_refresh_command_works_out_each_stale_child_once(
        central: Central, north: North, settings: Settings,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The IT guide's cron line: `homevisit-central oversight refresh`, as written there."""
    north.seen_on("N1", date(2026, 11, 2))
    children = len(worked_out(central))
    assert cli_main(["oversight", "refresh", "--database-url", settings.database_url]) == 0
    first = capsys.readouterr().out
    assert f"Worked out {children} child" in first and "whose figures were not fresh" in first
    assert cli_main(["oversight", "refresh", "--database-url", settings.database_url]) == 0
    assert "Worked out 0 children" in capsys.readouterr().out


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_nightly_refresh_gives_postgresql_fresh_statistics_before_adding_up_the_sums(
        central: Central, north: North) -> None:
    """It rewrites every kept row, then adds every group up: planned on the statistics of
    before (an empty table), the check for a visit awaiting in two groups scanned every
    allocation for each visit awaiting, 779 s of a 50,000-child refresh
    (docs/benchmarks.md). The refresh analyzes both tables first."""
    north.seen_on("N1", date(2026, 11, 2))
    figures_store.refresh(central.sessions, snapshot_sessionmaker(central.engine),
                          now=central.clock(), rules=rules_from(Settings()), every_row=True)
    with central.admin() as session:
        analyzed = dict(session.execute(text(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables"
            " WHERE relname IN ('child_figures', 'child_figure_awaiting')")).all())
    assert analyzed == {"child_figures": True, "child_figure_awaiting": True}


def test_an_older_refresh_finishing_last_never_overwrites_a_newer_ones_figures(
        central: Central, north: North, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two refreshes overlap (two page loads, or one during the nightly refresh): the one
    that read before a push must not put back its older awaiting and trend rows."""
    ana = north.world.children["N1"]
    north.seen_on("N1", date(2026, 11, 2))
    real = figures_store.o.every_child
    depth: list[int] = []

    def then_a_push_and_a_newer_refresh(*args: Any, **kwargs: Any) -> list[ChildSeen]:
        found = real(*args, **kwargs)
        if not depth:
            depth.append(1)
            north.seen_on("N1", date(2026, 11, 13), seen_alone=True)
            refreshed(central)  # B: sees the new visit and finishes first
        return found

    monkeypatch.setattr(figures_store.o, "every_child", then_a_push_and_a_newer_refresh)
    refreshed(central)  # A: read before the push, finishes last
    monkeypatch.setattr(figures_store.o, "every_child", real)
    truth = next(c for c in worked_out(central) if c.child_id == ana.id)
    with central.admin() as session:
        row = session.get(ChildFigures, ana.id)
        assert row is not None and row.computed_generation == row.generation
        awaiting = sum(f.awaiting_sign_off for f in oversight_figures.counted(
            session, ("North",), "team", local_day(central.clock())).values())
    assert awaiting == len(truth.awaiting_sign_off) == 2
