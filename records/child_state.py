"""One child's state as a manager sees it: last seen, next due, overdue now, the headline flag
and how many recent visits were within the visiting standard.

Pure, from one child's submitted history and the flags `records.flags.child_flags` gave for
it, so central's list of every child and the team lead's dashboard say the same thing. The
rules themselves are elsewhere, once: last seen and timeliness in `records.last_seen`, the
headline in `records.flag_types` (`Flag.sort_key`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from records.case import Child
from records.flag_types import Flag, FlagRules, Severity, VisitOnRecord
from records.last_seen import LastSeen, Timeliness, due_after, last_seen, timeliness_of_each
from records.visit import Visit, VisitType

RECENT_DAYS = 91
"""The window of "seen within timescale": the last three months (as the team lead's
dashboard counts it)."""


@dataclass(frozen=True)
class ChildState:
    seen: LastSeen
    """The last visit where the child was seen, and whether they were seen alone then."""
    next_due: date | None
    """None when nothing says when (never seen, no plan start or placement)."""
    days_overdue: int
    """Calendar days past `next_due` today (as the overdue flag says them); 0 if not due."""
    never_visited: bool
    """No home visit on record at all (a core group meeting is not a visit)."""
    headline: Flag | None
    """The most serious flag (`Flag.sort_key`), or None when there is none."""
    red: int
    amber: int
    seen_recently: int
    """Visits in the last `RECENT_DAYS` days where the child was seen."""
    seen_on_time_recently: int
    """Of those, the visits within the visiting standard (`records.last_seen.timeliness`)."""
    recent_timeliness: tuple[tuple[date, bool], ...] = ()
    """Each of those visits: its day and whether it was on time (a weekly trend's points)."""
    injury_days: tuple[date, ...] = ()
    """Days of visits within the repeat-injury window (`repeat_injury_window_days`, 90 by
    default) that recorded an injury on this child, newest first."""
    awaiting_sign_off: tuple[tuple[UUID, datetime], ...] = ()
    """Visits naming the child that no team lead has decided on yet (`VisitOnRecord.decided`),
    with when central received each, oldest first."""


def headline_and_counts(flags: Sequence[Flag]) -> tuple[Flag | None, int, int]:
    """The most serious flag (`Flag.sort_key`), and how many flags are red and amber."""
    red = sum(1 for f in flags if f.severity is Severity.RED)
    return min(flags, key=lambda f: f.sort_key, default=None), red, len(flags) - red


# complexity: one record of many small figures; each expression is one field
def child_state(child: Child, history: Sequence[VisitOnRecord], flags: Sequence[Flag],
                today: date, rules: FlagRules,
                timeliness: Mapping[UUID, Timeliness] | None = None) -> ChildState:
    """`history` is the child's submitted visits (others are ignored); `flags` are
    `child_flags` for the same child and history; `timeliness`, when given, is
    `timeliness_of_each` for them too (computed here otherwise)."""
    visits = [r.visit for r in history if r.visit.observation_for(child.id) is not None]
    seen = last_seen(child.id, visits)
    due = due_after(child, seen, rules.standards, rules.calendar)
    start = today - timedelta(days=RECENT_DAYS)
    each = (timeliness if timeliness is not None
            else timeliness_of_each(child, visits, rules.standards, rules.calendar))
    recent = [(day, t) for v in visits if (day := v.visit_date or date.min) >= start
              and (t := each.get(v.id)) is not None]
    headline, red, amber = headline_and_counts(flags)
    window = today - timedelta(days=rules.thresholds.repeat_injury_window_days)
    return ChildState(
        seen=seen, next_due=due,
        days_overdue=max((today - due).days, 0) if due is not None else 0,
        never_visited=not any(v.visit_type is not VisitType.CORE_GROUP for v in visits),
        headline=headline, red=red, amber=amber,
        seen_recently=len(recent), seen_on_time_recently=sum(1 for _, t in recent if t.on_time),
        recent_timeliness=tuple(sorted((day, t.on_time) for day, t in recent)),
        injury_days=_injury_days(child, visits, window, today),
        awaiting_sign_off=_awaiting_sign_off(child, history))


def _injury_days(child: Child, visits: Sequence[Visit], first: date,
                 last: date) -> tuple[date, ...]:
    """The days from `first` to `last` of visits that recorded an injury on `child`, newest
    first."""
    return tuple(sorted({visited for v in visits if (visited := v.visit_date) is not None
                         and first <= visited <= last
                         and (seen_then := v.observation_for(child.id)) is not None
                         and seen_then.injuries}, reverse=True))


def _awaiting_sign_off(child: Child,
                       history: Sequence[VisitOnRecord]) -> tuple[tuple[UUID, datetime], ...]:
    """The child's visits no team lead has decided on yet, oldest submitted first."""
    return tuple(sorted(((r.visit.id, r.submitted_at) for r in history
                         if not r.decided and r.visit.observation_for(child.id) is not None),
                        key=lambda pair: pair[1]))
