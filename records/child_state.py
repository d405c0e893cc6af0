"""One child's state as a manager sees it: last seen, next due, overdue now, the headline flag
and how many recent visits were within the visiting standard.

Pure, from one child's submitted history and the flags `records.flags.child_flags` gave for
it, so central's list of every child and the team lead's dashboard say the same thing. The
rules themselves are elsewhere, once: last seen and timeliness in `records.last_seen`, the
headline in `records.flag_types` (`Flag.sort_key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from records.case import Child
from records.case_notes import CaseNote
from records.flag_fold import ChildFold, fold_visits
from records.flag_types import Flag, FlagRules, Severity, VisitOnRecord, local_day
from records.flags import flags_of_fold
from records.last_seen import LastSeen, due_after, timeliness_after

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

    @property
    def no_start_date(self) -> bool:
        """Overdue with no due date to count from (`without_start`)."""
        return without_start(self.seen.day, self.next_due)


def without_start(last_seen: date | None, next_due: date | None) -> bool:
    """Never seen, and nothing to count a due date from (no plan start, no placement): the
    `no_start_date` flag's case (`records.flags`). Such a child is overdue with no date — the
    first to put right — and is counted in "overdue now" wherever that figure is shown, as
    the worker's caseload counts them, never left as a silent "not overdue"."""
    return last_seen is None and next_due is None


def headline_and_counts(flags: Sequence[Flag]) -> tuple[Flag | None, int, int]:
    """The most serious flag (`Flag.sort_key`), and how many flags are red and amber."""
    red = sum(1 for f in flags if f.severity is Severity.RED)
    return min(flags, key=lambda f: f.sort_key, default=None), red, len(flags) - red


def child_state(child: Child, history: Sequence[VisitOnRecord], flags: Sequence[Flag],
                today: date, rules: FlagRules) -> ChildState:
    """`history` is the child's submitted visits (others are ignored); `flags` are
    `child_flags` for the same child and history."""
    return child_state_of(fold_visits(ChildFold(), child, list(history), today, rules), child,
                          flags, today, rules)


def flags_and_state(child: Child, history: Sequence[VisitOnRecord], *, now: datetime,
                    rules: FlagRules, device_last_contact: datetime | None = None,
                    notes: Sequence[CaseNote] = ()) -> tuple[list[Flag], ChildState]:
    """`child_flags` and `child_state` of one child, the history folded once for both."""
    today = local_day(now)
    state = fold_visits(ChildFold(), child, list(history), today, rules)
    flags = flags_of_fold(state, child, now=now, rules=rules,
                          device_last_contact=device_last_contact, notes=notes)
    return flags, child_state_of(state, child, flags, today, rules)


# complexity: one record of many small figures; each expression is one field
def child_state_of(state: ChildFold, child: Child, flags: Sequence[Flag], today: date,
                   rules: FlagRules) -> ChildState:
    """`child_state` from the child's state (`records.flag_fold`) and its flags."""
    sighting = state.sighting
    seen = (LastSeen(date.fromordinal(sighting[0][0]), sighting[1], sighting[2],
                     state.alone_day) if sighting else LastSeen(alone_day=state.alone_day))
    due = due_after(child, seen, rules.standards, rules.calendar)
    start = today - timedelta(days=RECENT_DAYS)
    days = sorted(state.seen_days)
    # Each visit judged by the plan it was made under: a day's visits may differ.
    recent = [(day, t) for day in days if day >= start
              for plan, count in state.seen_days[day].items()
              if (t := timeliness_after(child, days, day, rules.standards, rules.calendar,
                                        plan)) is not None
              for _ in range(count)]
    headline, red, amber = headline_and_counts(flags)
    window = today - timedelta(days=rules.thresholds.repeat_injury_window_days)
    return ChildState(
        seen=seen, next_due=due,
        days_overdue=max((today - due).days, 0) if due is not None else 0,
        never_visited=not state.any_home,
        headline=headline, red=red, amber=amber,
        seen_recently=len(recent), seen_on_time_recently=sum(1 for _, t in recent if t.on_time),
        recent_timeliness=tuple(sorted((day, t.on_time) for day, t in recent)),
        injury_days=tuple(sorted({m.day for m in state.injured
                                  if m.dated and window <= m.day <= today}, reverse=True)),
        awaiting_sign_off=tuple(sorted(((o.visit_id, o.submitted_at)
                                        for o in state.open.values() if not o.decided),
                                       key=lambda pair: (pair[1], str(pair[0])))))
