"""The kept per-team and per-worker sums (`figure_sums`) say exactly what adding up every
child from scratch (`every_child`, the laptops' rules) says, on SQLite and PostgreSQL: after
late visits, a visit shared by siblings in two teams, a revoked laptop and days passing with
no push; a push changes its own team's sums in the transaction that writes its child, and no
other team's."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from central.core.config import Settings
from central.db.engine import snapshot_sessionmaker
from central.db.figure_models import ChildFigures, FigureGroup, FigureGroupDay
from central.services import admin, figure_sums, figures_store, oversight_report
from central.services.holdings import child_record
from central.services.oversight import ChildSeen, every_child, rules_from
from central.services.oversight_figures import (
    TREND_WEEKS,
    Figures,
    Group,
    WeekPoint,
    Worst,
    counted,
    weekly_trend,
)
from records.case import Case, PlanType
from records.flag_types import local_day
from tests.central.harness import WORLD_CSV, Central, Laptop, World
from tests.central.test_oversight import visit
from tests.factories import make_observation

SIBLINGS_CSV = WORLD_CSV.splitlines()[0] + """
CP-9,Kaya,1 Mill Lane,North,K1,Elif,Kaya,2019-04-04,child_protection,2026-09-01,,,English,north2
CP-9,Kaya,1 Mill Lane,North,K2,Deniz,Kaya,2021-06-06,child_protection,2026-09-01,,,English,south1
CN-7,Ward,2 Elm Row,South,W1,Nia,Ward,2018-02-02,child_in_need,,,,English,south1
"""
"""Two children of one case, one with a North worker and one with a South worker: a visit
naming both waits for sign-off in both teams, and once in "all your teams". And a child in
need with no plan start, never seen: overdue with no date to count from."""


@dataclass
class Council:
    central: Central
    world: World
    north1: Laptop
    north2: Laptop
    south1: Laptop

    def seen_on(self, laptop: Laptop, ref: str, day: date, **seen: Any) -> None:
        laptop.push_ok(laptop.op(visit(self.world, ref, day, children=(
            make_observation(self.world.children[ref], **seen),))))


@pytest.fixture
def council(central: Central) -> Council:
    world = central.world()
    with central.admin() as session:
        admin.import_cases(session, io.StringIO(SIBLINGS_CSV), central.clock())
        for ref in ("K1", "K2"):
            world.children[ref] = child_record(
                admin.child_by_reference(session, ref))
    world.cases["K1"] = world.cases["K2"] = Case(id=world.children["K1"].case_id,
                                                 reference="CP-9")
    return Council(central, world, *(central.enroll(n) for n in ("north1", "north2",
                                                                  "south1")))


def from_scratch(central: Central, teams: Sequence[str] | None,
                 group: Group) -> tuple[dict[str, Figures], list[WeekPoint]]:
    """Every child worked out by the laptops' rules now, and added up here in Python."""
    now = central.clock()
    with snapshot_sessionmaker(central.engine).begin() as session:
        chosen: Sequence[str | None] = teams or [None]
        children = [c for team in chosen
                    for c in every_child(session, now=now, rules=rules_from(Settings()),
                                         team=team)]
    key: Callable[[ChildSeen], str] = {"team": lambda c: c.team, "worker": lambda c: c.worker,
                                       "all": lambda c: ""}[group]
    groups: dict[str, list[ChildSeen]] = {}
    for child in children:
        groups.setdefault(key(child), []).append(child)
    return ({name: added_up(name, members) for name, members in groups.items()},
            trend(children, local_day(now)))


def added_up(name: str, members: list[ChildSeen]) -> Figures:
    overdue = [c for c in members if c.days_overdue > 0]
    worst = min(overdue, key=lambda c: (-c.days_overdue, c.child_id), default=None)
    no_start = [c for c in members if c.last_seen is None and c.next_due is None]
    awaiting = {visit_id: at for c in members for visit_id, at in c.awaiting_sign_off}
    return Figures(
        name=name, children=len(members),
        by_plan={p: sum(c.plan_type is p for c in members) for p in PlanType},
        seen_recently=sum(c.seen_recently for c in members),
        seen_on_time_recently=sum(c.seen_on_time_recently for c in members),
        seen_at_all=sum(c.last_seen is not None for c in members),
        seen_alone_last=sum(c.seen_alone_then is True for c in members),
        overdue=len(overdue) + len(no_start),
        worst_overdue=Worst(worst.child_id, worst.days_overdue) if worst else None,
        never_visited=sum(c.never_visited for c in members),
        awaiting_sign_off=len(awaiting), oldest_awaiting=min(awaiting.values(), default=None),
        no_start_date=len(no_start))


def trend(children: list[ChildSeen], today: date) -> list[WeekPoint]:
    first = today - timedelta(days=today.weekday(), weeks=TREND_WEEKS - 1)
    weeks = [(first + timedelta(weeks=i), [0, 0]) for i in range(TREND_WEEKS)]
    for child in children:
        for day, on_time in child.recent_timeliness:
            if 0 <= (week := (day - first).days // 7) < TREND_WEEKS:
                weeks[week][1][0] += 1
                weeks[week][1][1] += on_time
    return [WeekPoint(start, seen, timely) for start, (seen, timely) in weeks]


def kept(central: Central, teams: Sequence[str] | None,
         group: Group) -> tuple[dict[str, Figures], list[WeekPoint]]:
    """What the Service and Team pages read, after their refresh."""
    now = central.clock()
    chosen: Sequence[str | None] = teams or [None]
    for team in chosen:
        figures_store.refresh(central.sessions, snapshot_sessionmaker(central.engine), now=now,
                              rules=rules_from(Settings()), team=team, for_today=False)
    with snapshot_sessionmaker(central.engine).begin() as session:
        return (counted(session, teams, group, local_day(now)),
                weekly_trend(session, teams, local_day(now)))


SELECTIONS: list[tuple[list[str] | None, Group]] = [
    (None, "team"), (None, "all"), (["North"], "all"), (["North"], "worker"),
    (["South"], "worker"), (["North", "South"], "team"), (["North", "South"], "all")]


def assert_kept_is_from_scratch(central: Central) -> None:
    for teams, group in SELECTIONS:
        assert kept(central, teams, group) == from_scratch(central, teams, group), (teams, group)


def test_kept_sums_are_every_child_added_up_after_late_visits_siblings_and_a_revoke(
        council: Council) -> None:
    central, day = council.central, date(2026, 11, 2)
    council.seen_on(council.north1, "N1", date(2026, 9, 3), seen_alone=True)
    council.seen_on(council.north1, "N1", date(2026, 10, 20), seen_alone=False,
                    reason_not_seen_alone="Mother stayed.")  # weeks late for a CP plan
    council.seen_on(council.north2, "N2", day, seen_alone=True)
    council.seen_on(council.north2, "N2", date(2026, 11, 13), seen=False, seen_alone=None,
                    reason_not_seen="Asleep at a friend's.")
    siblings = [council.world.children[ref] for ref in ("K1", "K2")]
    council.north2.push_ok(council.north2.op(visit(
        council.world, "K1", day, children=tuple(make_observation(c) for c in siblings))))
    council.seen_on(council.south1, "S1", date(2026, 8, 1))  # recorded months late
    assert_kept_is_from_scratch(central)
    with central.admin() as session:  # South's laptop is revoked: what it sent stays counted
        admin.set_device_status(session, council.south1.device_id, "revoked")
    assert_kept_is_from_scratch(central)
    totals = kept(central, None, "all")[0][""]
    teams = kept(central, None, "team")[0]
    assert totals.awaiting_sign_off == teams["North"].awaiting_sign_off + \
        teams["South"].awaiting_sign_off - 1  # the siblings' visit, once
    assert totals.worst_overdue is not None and totals.overdue >= 2
    # Nia, never seen with no plan start, is overdue in South's figures, by name nowhere
    # but her flag before (rules 17).
    assert teams["South"].no_start_date == totals.no_start_date == 1
    assert teams["North"].no_start_date == 0
    assert totals.seen_on_time_recently < totals.seen_recently  # the late visit counts late


def test_days_passing_with_no_push_move_overdue_and_the_window_without_working_out_a_child(
        council: Council) -> None:
    central = council.central
    council.seen_on(council.north1, "N1", date(2026, 11, 2), seen_alone=True)
    council.seen_on(council.south1, "S1", date(2026, 8, 20))
    assert_kept_is_from_scratch(central)
    before = kept(central, None, "all")[0][""]
    for days in (1, 3, 40, 120):  # overdue grows, children fall due, visits leave the window
        central.clock.advance(timedelta(days=days).total_seconds())
        assert figures_store.refresh(
            central.sessions, snapshot_sessionmaker(central.engine), now=central.clock(),
            rules=rules_from(Settings()), for_today=False) == 0
        assert_kept_is_from_scratch(central)
    after = kept(central, None, "all")[0][""]
    assert after.overdue > before.overdue and after.seen_recently < before.seen_recently


def groups(central: Central) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    with central.admin() as session:
        found: dict[tuple[str, str, str], tuple[Any, ...]] = {
            (g.worker_team, g.team, g.worker): (g.version, g.children, g.awaiting,
                                                g.seen_at_all, g.earliest_due)
            for g in session.scalars(select(FigureGroup))}
        for d in session.scalars(select(FigureGroupDay)):
            found[(d.worker_team, d.team, d.worker)] += ((d.day, d.seen, d.on_time, d.due),)
    return found


def test_a_push_changes_its_teams_sums_with_its_child_and_leaves_other_teams_alone(
        council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    central = council.central
    council.seen_on(council.south1, "S1", date(2026, 11, 2))
    kept(central, None, "team")
    before = groups(central)
    council.seen_on(council.north1, "N1", date(2026, 11, 12), seen_alone=True)
    kept(central, None, "team")
    after = groups(central)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed == {("North", "North", ""), ("North", "North", "north1")}
    assert all(after[key][0] == before[key][0] + 1 for key in changed)
    assert_kept_is_from_scratch(central)

    def fails(*_: Any) -> None:
        raise RuntimeError("the sums could not be written")

    council.seen_on(council.north1, "N1", date(2026, 11, 13), seen_alone=False,
                    reason_not_seen_alone="Father stayed.")
    monkeypatch.setattr(figure_sums, "resum", fails)
    with pytest.raises(RuntimeError):
        kept(central, None, "team")
    ana = council.world.children["N1"].id
    with central.admin() as session:  # the child's figures went back with its sums
        row = session.get(ChildFigures, ana)
        assert row is not None and row.computed_generation != row.generation
    assert groups(central) == after
    monkeypatch.undo()
    assert_kept_is_from_scratch(central)


def test_a_nightly_refresh_that_stops_part_way_leaves_no_page_total_behind(
        council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    """The nightly command cleared the mark a push left on each child it worked out, but left
    the groups' sums for its very end: a page refreshes only marked children, so the totals
    missed the push until the run finished, and until the next night if it stopped first."""
    central = council.central
    council.seen_on(council.north1, "N1", date(2026, 11, 2), seen_alone=True)
    assert_kept_is_from_scratch(central)
    council.seen_on(council.north1, "N1", date(2026, 11, 13), seen_alone=False,
                    reason_not_seen_alone="Father stayed.")
    real = figure_sums.resum

    def every_group_fails(session: Any, keys: Any) -> None:
        if keys is None:
            raise RuntimeError("the run stopped before its last step")
        real(session, keys)

    monkeypatch.setattr(figure_sums, "resum", every_group_fails)
    with pytest.raises(RuntimeError):
        figures_store.refresh(central.sessions, snapshot_sessionmaker(central.engine),
                              now=central.clock(), rules=rules_from(Settings()),
                              every_row=True)
    monkeypatch.undo()
    assert_kept_is_from_scratch(central)


def test_a_child_reallocated_to_another_team_leaves_the_old_teams_sums_at_its_refresh(
        council: Council) -> None:
    """A manager of North alone refreshes North only: Ana, moved to South, must leave
    North's sums then, not at the night's refresh or when someone else looks at South."""
    central = council.central
    council.seen_on(council.north1, "N1", date(2026, 11, 12), seen_alone=True)
    kept(central, None, "team")
    ana = council.world.children["N1"]
    with central.admin() as session:
        admin.assign(session, ana.id, "south1", central.clock())
    north, _ = kept(central, ["North"], "team")
    listed = figures_store.fresh_children(central.sessions, snapshot_sessionmaker(central.engine),
                                          now=central.clock(), rules=rules_from(Settings()),
                                          team="North")
    assert ana.id not in {c.child_id for c in listed}
    assert north["North"].children == len(listed)
    assert_kept_is_from_scratch(central)


def test_after_an_upgrade_every_group_is_added_up_without_working_out_a_child(
        council: Council) -> None:
    """Migration 0011 leaves the sums empty: the first refresh adds them up from the kept
    rows; a lost or wrong group is put right by the nightly command the same way."""
    central = council.central
    council.seen_on(council.north1, "N1", date(2026, 11, 2), seen_alone=True)
    assert_kept_is_from_scratch(central)
    with central.admin() as session:
        session.execute(figure_sums.GROUPS.delete())
        session.execute(figure_sums.DAYS.delete())
        session.execute(figure_sums.STATE.delete())
        stray = ("North", "North", "nobody")
        session.execute(figure_sums.GROUPS.insert().values(
            worker_team=stray[0], team=stray[1], worker=stray[2], version=0, children=9,
            child_protection=9, child_in_need=0, looked_after=0, seen_at_all=0,
            seen_alone_last=0, never_visited=0, awaiting=0, awaiting_shared=0))
    assert figures_store.refresh(central.sessions, snapshot_sessionmaker(central.engine),
                                 now=central.clock(), rules=rules_from(Settings()),
                                 for_today=False) == 0
    assert stray not in groups(central)
    assert_kept_is_from_scratch(central)


def test_a_new_day_before_the_nightly_refresh_works_out_a_bounded_number_of_children(
        council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists, the CSVs and a worker's page show flags: on a new day they work out at most
    `day_bound` children, and show the others with yesterday's flags but today's figures."""
    central = council.central
    council.seen_on(council.north1, "N1", date(2026, 11, 2), seen_alone=True)
    council.seen_on(council.south1, "S1", date(2026, 8, 20))
    snapshots = snapshot_sessionmaker(central.engine)
    rules = rules_from(Settings())
    first = figures_store.fresh_children(central.sessions, snapshots, now=central.clock(),
                                         rules=rules, day_bound=2)
    assert all(c.flags_for is None for c in first)
    yesterday = local_day(central.clock())
    central.clock.advance(timedelta(days=30).total_seconds())
    worked: list[int] = []
    real = figures_store._refresh_batch

    def counting(sessions: Any, snapshots: Any, batch: list[Any], *rest: Any,
                 **named: Any) -> None:
        worked.append(len(batch))
        real(sessions, snapshots, batch, *rest, **named)

    monkeypatch.setattr(figures_store, "_refresh_batch", counting)
    shown = figures_store.fresh_children(central.sessions, snapshots, now=central.clock(),
                                         rules=rules, day_bound=2)
    assert sum(worked) == 2
    with snapshots.begin() as session:
        truth = {c.child_id: c for c in every_child(session, now=central.clock(),
                                                    rules=rules)}
    earlier = [c for c in shown if c.flags_for is not None]
    assert len(earlier) == len(shown) - 2 and {c.flags_for for c in earlier} == {yesterday}
    for child in shown:
        today = truth[child.child_id]
        assert replace(child, flags=today.flags, headline=today.headline, red=today.red,
                       amber=today.amber) == today  # only the flags are a day behind
    assert any(c.days_overdue > 0 for c in earlier)
    # The CSVs say which day each headline is for: the manager is not told yesterday's is today's.
    rows = list(csv.DictReader(io.StringIO(oversight_report.csv_text(
        shown, local_day(central.clock())))))
    assert sorted(r["headline_as_of"] for r in rows) == sorted(
        (c.flags_for or local_day(central.clock())).isoformat() for c in shown)
    assert sum(r["headline_as_of"] == yesterday.isoformat() for r in rows) == len(shown) - 2
    again = figures_store.fresh_children(central.sessions, snapshots, now=central.clock(),
                                         rules=rules, day_bound=2)
    assert sum(worked) == 4 and sum(c.flags_for is not None for c in again) == len(shown) - 4
