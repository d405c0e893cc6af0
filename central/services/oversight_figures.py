"""The managers' figures, per team and per worker, from `oversight.every_child`.

Nothing here decides what "seen", "seen alone", "overdue", "awaiting sign-off" or an injury
is: each child's `ChildSeen` already says it, by the laptops' rules (`records.child_state`,
`records.last_seen`, `records.flags`). This only counts them, plus the laptops of each team
(`records.flags.unsynced_hours` for "not synced"; `central.services.refusals` for the
laptops holding records central refused), in one query and one read of the refusals.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db.models import Device, Team, User
from central.services.oversight import ChildSeen
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
    worst_overdue: ChildSeen | None
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


# complexity: one counting pass per figure; the conditions are the definitions
def figures(name: str, children: Sequence[ChildSeen], laptops: Laptops | None = None) -> Figures:
    by_plan = {plan: 0 for plan in PlanType}
    for child in children:
        by_plan[child.plan_type] += 1
    overdue = [c for c in children if c.days_overdue > 0]
    awaiting: dict[uuid.UUID, datetime] = {}
    for child in children:
        awaiting.update(child.awaiting_sign_off)
    return Figures(
        name=name, children=len(children), by_plan=by_plan,
        seen_recently=sum(c.seen_recently for c in children),
        seen_on_time_recently=sum(c.seen_on_time_recently for c in children),
        seen_at_all=sum(1 for c in children if c.last_seen is not None),
        seen_alone_last=sum(1 for c in children if c.seen_alone_then is True),
        overdue=len(overdue),
        worst_overdue=max(overdue, key=lambda c: c.days_overdue, default=None),
        never_visited=sum(1 for c in children if c.never_visited),
        awaiting_sign_off=len(awaiting), oldest_awaiting=min(awaiting.values(), default=None),
        red=sum(1 for c in children if c.red), laptops=laptops or Laptops())


def by_team(children: Iterable[ChildSeen]) -> dict[str, list[ChildSeen]]:
    grouped: dict[str, list[ChildSeen]] = {}
    for child in children:
        grouped.setdefault(child.team, []).append(child)
    return grouped


def by_worker(children: Iterable[ChildSeen]) -> dict[str, list[ChildSeen]]:
    grouped: dict[str, list[ChildSeen]] = {}
    for child in children:
        grouped.setdefault(child.worker, []).append(child)
    return grouped


def weekly_trend(children: Iterable[ChildSeen], today: date,
                 weeks: int = TREND_WEEKS) -> list[WeekPoint]:
    """% of visits where the child was seen that were within timescale, week by week (weeks
    begin on Monday; the last is this week so far)."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    seen = [0] * weeks
    on_time = [0] * weeks
    for child in children:
        for day, timely in child.recent_timeliness:
            week = (day - first).days // 7
            if 0 <= week < weeks:
                seen[week] += 1
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
