"""The managers' figures, per team and per worker, added up in the database.

Nothing here decides what "seen", "seen alone", "overdue", "awaiting sign-off" or an injury
is: each child's kept figures (`central.services.figures_store`) already say it, worked out
by `oversight.every_child` with the laptops' rules (`records.child_state`,
`records.last_seen`, `records.flags`). This only counts them, with SUM and COUNT over the
children of each team or worker, so a page costs a few statements whatever the number of
children; plus the laptops of each team (`records.flags.unsynced_hours` for "not synced";
`central.services.refusals` for the laptops holding records central refused).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from central.db.models import Device, Team, User
from central.services import oversight as o
from central.services.figures_store import AWAITING, FIGURES, VISITS
from central.services.refusals import refusals_by_device
from records.case import PlanType
from records.flags import unsynced_hours
from records.thresholds import FlagThresholds

TREND_WEEKS = 13
"""The weekly trend covers the same three months as "seen within timescale"."""


@dataclass(frozen=True)
class Laptops:
    not_synced: int = 0
    """Active laptops whose last contact is older than `device_unsynced_hours` (or never)."""
    revoked: int = 0
    """Revoked laptops: they keep what they had not sent, which central has not seen."""
    refused: int = 0
    """Laptops holding records central refused and has not accepted since (IT's to put
    right: `device list` says why; the worker then sends them again)."""


@dataclass(frozen=True)
class WeekPoint:
    week_starting: date
    seen: int
    on_time: int

    @property
    def percent(self) -> int | None:
        return self.on_time * 100 // self.seen if self.seen else None


@dataclass(frozen=True)
class Worst:
    """The child most days overdue in a group."""

    child_id: uuid.UUID
    days_overdue: int


@dataclass(frozen=True)
class Figures:
    """One team's or one worker's children, counted."""

    name: str
    children: int
    by_plan: dict[PlanType, int]
    seen_recently: int
    seen_on_time_recently: int
    seen_at_all: int
    """Children seen at least once (the base of "seen alone at the last visit")."""
    seen_alone_last: int
    overdue: int
    worst_overdue: Worst | None
    never_visited: int
    awaiting_sign_off: int
    """Visits (not children) with no team lead's decision yet."""
    oldest_awaiting: datetime | None
    red: int
    laptops: Laptops = field(default_factory=Laptops)

    @property
    def on_time_percent(self) -> int | None:
        return (self.seen_on_time_recently * 100 // self.seen_recently
                if self.seen_recently else None)

    @property
    def seen_alone_percent(self) -> int | None:
        return self.seen_alone_last * 100 // self.seen_at_all if self.seen_at_all else None


Group = Literal["team", "worker", "all"]


def _selection(teams: Sequence[str] | None) -> tuple[Select[Any], Any]:
    """The allocated children (of workers of `teams`; None: every child) by their kept
    figures, and the team each is counted under. The kept row names the worker and teams it
    was worked out for (an allocation bumps it), and counts while that allocation is open."""
    a = o._ALLOCATIONS
    query = (select().select_from(FIGURES)
             .join(a, and_(a.c.child_id == FIGURES.c.child_id, a.c.ended_at.is_(None),
                           a.c.user_id == FIGURES.c.user_id)))
    if teams is not None:
        query = query.where(FIGURES.c.worker_team.in_(list(teams)))
    return query, func.coalesce(FIGURES.c.team, "")


def _key(group: Group, team_name: Any) -> Any:
    if group == "team":
        return team_name
    if group == "worker":
        return FIGURES.c.worker
    return None


def _grouped(query: Select[Any], key: Any) -> Select[Any]:
    return query if key is None else query.group_by(key)


def counted(session: Session, teams: Sequence[str] | None, group: Group) -> dict[str, Figures]:
    """Each group's figures, added up in the database from every child's kept figures
    (`figures_store`: refresh them first). Three statements whatever the number of children."""
    base, team_name = _selection(teams)
    by = _key(group, team_name)
    key = (literal("") if by is None else by).label("key")
    f = FIGURES.c
    plan = FIGURES.c.plan_type

    def count_if(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = session.execute(_grouped(base.add_columns(
        key, func.count(), *(count_if(plan == p.value) for p in PlanType),
        func.coalesce(func.sum(f.seen_recently), 0),
        func.coalesce(func.sum(f.seen_on_time_recently), 0),
        count_if(f.last_seen.is_not(None)), count_if(f.seen_alone_then.is_(True)),
        count_if(f.days_overdue > 0), count_if(f.never_visited.is_(True)), count_if(f.red > 0),
    ), by))
    ranked = base.add_columns(key, f.child_id, f.days_overdue, func.row_number().over(
        partition_by=by, order_by=(f.days_overdue.desc(), f.child_id),
    ).label("rank")).where(f.days_overdue > 0).subquery()
    worst = {row.key: Worst(row.child_id, row.days_overdue) for row in session.execute(
        select(ranked.c.key, ranked.c.child_id, ranked.c.days_overdue)
        .where(ranked.c.rank == 1))}
    waiting = {row[0]: (row[1], row[2]) for row in session.execute(_grouped(
        base.add_columns(key, func.count(AWAITING.c.visit_id.distinct()),
                         func.min(AWAITING.c.received_at))
        .join(AWAITING, AWAITING.c.child_id == f.child_id), by))}
    found: dict[str, Figures] = {}
    plans = list(PlanType)
    for row in rows:
        name, children, *by_plan = row[:2 + len(plans)]
        rest = row[2 + len(plans):]
        awaiting, oldest = waiting.get(name, (0, None))
        found[name] = Figures(
            name=name, children=children, by_plan=dict(zip(plans, by_plan, strict=True)),
            seen_recently=rest[0], seen_on_time_recently=rest[1], seen_at_all=rest[2],
            seen_alone_last=rest[3], overdue=rest[4], worst_overdue=worst.get(name),
            never_visited=rest[5], awaiting_sign_off=awaiting,
            oldest_awaiting=_aware(oldest), red=rest[6])
    return found


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands aggregates back as naive UTC (or text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def nobody(name: str) -> Figures:
    """The figures of a group with no allocated child."""
    return Figures(name=name, children=0, by_plan={p: 0 for p in PlanType}, seen_recently=0,
                   seen_on_time_recently=0, seen_at_all=0, seen_alone_last=0, overdue=0,
                   worst_overdue=None, never_visited=0, awaiting_sign_off=0,
                   oldest_awaiting=None, red=0)


def weekly_trend(session: Session, teams: Sequence[str] | None, today: date,
                 weeks: int = TREND_WEEKS) -> list[WeekPoint]:
    """% of visits where the child was seen that were within timescale, week by week (weeks
    begin on Monday; the last is this week so far), from the kept recent visits."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    seen = [0] * weeks
    on_time = [0] * weeks
    base, _ = _selection(teams)
    day = VISITS.c.day
    for visited, count, timely in session.execute(
            base.add_columns(day, func.count(),
                             func.sum(case((VISITS.c.on_time.is_(True), 1), else_=0)))
            .join(VISITS, VISITS.c.child_id == FIGURES.c.child_id)
            .where(day >= first).group_by(day)):
        week = ((visited if isinstance(visited, date) else date.fromisoformat(visited))
                - first).days // 7
        if 0 <= week < weeks:
            seen[week] += count
            on_time[week] += timely
    return [WeekPoint(first + timedelta(weeks=i), seen[i], on_time[i]) for i in range(weeks)]


def laptops_by_team(session: Session, now: datetime,
                    thresholds: FlagThresholds) -> dict[str, Laptops]:
    """Each team's laptops not synced in time, revoked, and holding refused records."""
    return _tally(session, Team.name, None, now, thresholds)


def laptops_by_worker(session: Session, team: str, now: datetime,
                      thresholds: FlagThresholds) -> dict[str, Laptops]:
    return _tally(session, User.username, team, now, thresholds)


def _tally(session: Session, by: Any, team: str | None, now: datetime,
           thresholds: FlagThresholds) -> dict[str, Laptops]:
    held = {device for device, refused in refusals_by_device(session).items()
            if refused.outstanding}
    query = (select(by, Device.id, Device.status, Device.last_contact_at)
             .join(User, User.id == Device.user_id).join(Team, Team.id == User.team_id))
    if team is not None:
        query = query.where(Team.name == team)
    counts: dict[str, list[int]] = {}
    for name, device, status, contact in session.execute(query):
        tally = counts.setdefault(name, [0, 0, 0])
        if status == "active" and (contact is None
                                   or unsynced_hours(contact, now, thresholds) is not None):
            tally[0] += 1
        elif status == "revoked":
            tally[1] += 1
        tally[2] += str(device) in held
    return {name: Laptops(*tally) for name, tally in counts.items()}
