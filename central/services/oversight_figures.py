"""The managers' figures, per team and per worker, added up in the database.

Nothing here decides what "seen", "seen alone", "overdue", "awaiting sign-off" or an injury
is: each child's kept figures (`central.services.figures_store`) already say it, worked out
by `oversight.every_child` with the laptops' rules (`records.child_state`,
`records.last_seen`, `records.flags`), and `central.services.figure_sums` keeps them added
up per team and per worker. This reads those sums, a few rows a team whatever the number of
children, and takes what moves with the date from them on the day asked for (overdue now,
the worst overdue, the three-month window); plus the laptops of each team
(`records.flags.unsynced_hours` for "not synced"; `central.services.refusals` for the
laptops holding records central refused).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from central.db.models import Device, Team, User
from central.services import figure_sums
from central.services.figure_sums import AWAITING, DAYS, FIGURES, GROUPS
from central.services.refusals import refusals_by_device
from records.case import PlanType
from records.child_state import RECENT_DAYS
from records.flags import unsynced_hours
from records.thresholds import FlagThresholds
from records.wording import percent

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
        return percent(self.on_time, self.seen)


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
    """Children past their due date, and those never seen with no date to count from
    (`no_start_date`, also counted here)."""
    worst_overdue: Worst | None
    never_visited: int
    awaiting_sign_off: int
    """Visits (not children) with no team lead's decision yet."""
    oldest_awaiting: datetime | None
    laptops: Laptops = field(default_factory=Laptops)
    no_start_date: int = 0
    """Of `overdue`, children never seen with no plan or placement start to count from."""

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.seen_on_time_recently, self.seen_recently)

    @property
    def seen_alone_percent(self) -> int | None:
        return percent(self.seen_alone_last, self.seen_at_all)


Group = Literal["team", "worker", "all"]


def counted(session: Session, teams: Sequence[str] | None, group: Group,
            today: date) -> dict[str, Figures]:
    """Each group's figures on `today`, from the kept sums of the teams (or workers) of
    `teams` (None: every team): `figure_sums` keeps them, added up from every child's kept
    figures (`figures_store.refresh` them first). Three statements, a few rows a team."""
    worker_level = group == "worker"
    g, d = GROUPS.c, DAYS.c
    level = (g.worker != "") if worker_level else (g.worker == "")
    chosen = [level] if teams is None else [level, g.worker_team.in_(list(teams))]
    rows = list(session.execute(select(GROUPS).where(*chosen)))
    if not rows:
        return {}
    day_level = (d.worker != "") if worker_level else (d.worker == "")
    days_chosen = [day_level] + ([] if teams is None else [d.worker_team.in_(list(teams))])
    key = (d.worker_team, d.team, d.worker)
    recent = {tuple(r[:3]): (r[3], r[4]) for r in session.execute(
        select(*key, func.sum(d.seen), func.sum(d.on_time))
        .where(*days_chosen, d.day >= today - timedelta(days=RECENT_DAYS)).group_by(*key))}
    overdue = {tuple(r[:3]): r[3] for r in session.execute(
        select(*key, func.sum(d.due)).where(*days_chosen, d.day < today, d.due > 0)
        .group_by(*key))}
    merged: dict[str, list[Any]] = {}
    for row in rows:
        name = row.worker if worker_level else row.team if group == "team" else ""
        merged.setdefault(name, []).append(row)
    return {name: _added_up(session, name, members, recent, overdue, today, worker_level)
            for name, members in merged.items()}


def _added_up(session: Session, name: str, members: list[Any],
              recent: dict[tuple[Any, ...], tuple[int, int]],
              overdue: dict[tuple[Any, ...], int], today: date,
              worker_level: bool) -> Figures:
    keys = [(m.worker_team, m.team, m.worker) for m in members]
    worst = min(((m.earliest_due, m.earliest_due_child) for m in members
                 if m.earliest_due is not None), default=None)
    awaiting = sum(m.awaiting for m in members)
    oldest = min((moment for m in members if (moment := _aware(m.oldest_awaiting))),
                 default=None)
    if len(members) > 1 and any(m.awaiting_shared for m in members):
        awaiting, oldest = _awaiting_once(session, keys, worker_level)
    no_start_date = sum(m.no_start_date for m in members)
    return Figures(
        name=name, children=sum(m.children for m in members),
        by_plan={p: sum(getattr(m, p.value) for m in members) for p in PlanType},
        seen_recently=sum(recent.get(k, (0, 0))[0] for k in keys),
        seen_on_time_recently=sum(recent.get(k, (0, 0))[1] for k in keys),
        seen_at_all=sum(m.seen_at_all for m in members),
        seen_alone_last=sum(m.seen_alone_last for m in members),
        overdue=sum(overdue.get(k, 0) for k in keys) + no_start_date,
        no_start_date=no_start_date,
        worst_overdue=(Worst(worst[1], (today - worst[0]).days)
                       if worst is not None and worst[0] < today else None),
        never_visited=sum(m.never_visited for m in members),
        awaiting_sign_off=awaiting, oldest_awaiting=oldest)


def _awaiting_once(session: Session, keys: list[tuple[str, str, str]],
                   worker_level: bool) -> tuple[int, datetime | None]:
    """Visits awaiting sign-off across groups that share some, each counted once."""
    a = AWAITING.c
    columns = figure_sums.key_columns(worker_level)
    found = session.execute(
        figure_sums.counted_children().join(AWAITING, a.child_id == FIGURES.c.child_id)
        .add_columns(func.count(a.visit_id.distinct()), func.min(a.received_at))
        .where(figure_sums.within(keys, worker_level),
               tuple_(*columns).in_([k if worker_level else k[:2] for k in keys]))).one()
    return found[0], _aware(found[1])


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
                   oldest_awaiting=None)


def weekly_trend(session: Session, teams: Sequence[str] | None, today: date,
                 weeks: int = TREND_WEEKS) -> list[WeekPoint]:
    """% of visits where the child was seen that were within timescale, week by week (weeks
    begin on Monday; the last is this week so far), from the teams' kept days."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    seen = [0] * weeks
    on_time = [0] * weeks
    d = DAYS.c
    chosen = [d.worker == "", d.day >= first, d.seen > 0]
    if teams is not None:
        chosen.append(d.worker_team.in_(list(teams)))
    for visited, count, timely in session.execute(
            select(d.day, func.sum(d.seen), func.sum(d.on_time)).where(*chosen)
            .group_by(d.day)):
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
