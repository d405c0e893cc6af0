"""When a child was last actually seen, and whether each visit was on time.

One rule for every screen (domain.md, "Last seen"): due dates, overdue figures and "seen
alone at the last visit" count from the last visit where the child was actually seen —
and, for "alone", seen alone. A no-access visit, a visit where the child was not seen and a
core group meeting never reset the clock. The worker's caseload, the team lead's index,
the visit record's "next visit due" and central all ask here.

Timeliness is history: each visit where the child was seen keeps the day it was due by and
how late it was, so a visit made late stays late on the record after it is made.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from records.case import Child, PlanType
from records.schedule import VisitStandards, WorkingCalendar, next_visit_due
from records.visit import ChildObservation, Visit, VisitOutcome, VisitType


def counts_as_seen(visit: Visit, observation: ChildObservation | None) -> bool:
    """The visit counts as the child seen: a home visit, not a core group meeting, with
    access, and the child recorded as seen. "A child was not seen" is decided child by
    child: at a visit to brothers and sisters where one was not seen, the ones seen were.
    A record that says so with every child marked seen contradicts itself (a visit cannot be
    submitted so): no child of it counts as seen, the safer reading."""
    if observation is None or observation.seen is not True:
        return False
    if visit.outcome is VisitOutcome.NO_ACCESS or visit.visit_type is VisitType.CORE_GROUP:
        return False
    return visit.outcome is not VisitOutcome.CHILD_NOT_SEEN or any(
        other.seen is not True for other in visit.children)


@dataclass(frozen=True)
class LastSeen:
    """The child's last visit where they were seen, and their last visit seen alone."""

    day: date | None = None
    visit_id: UUID | None = None
    seen_alone: bool | None = None
    """Whether the child was seen alone at that visit (None: not recorded, or never seen)."""
    alone_day: date | None = None
    """The last day the child was seen alone."""


# complexity: one pass keeps the latest seen and seen-alone days; the rule is the one in domain.md
def last_seen(child_id: UUID, visits: Iterable[Visit], *, before: date | None = None) -> LastSeen:
    """The child's last visit where they were seen, among submitted `visits` (any order).

    With `before`, only visits on days before it count (what was known when a visit on that
    day was due).
    """
    best: tuple[date, str, Visit, ChildObservation] | None = None
    alone_day: date | None = None
    for visit in visits:
        day = visit.visit_date
        if day is None or (before is not None and day >= before):
            continue
        observation = visit.observation_for(child_id)
        if not counts_as_seen(visit, observation):
            continue
        assert observation is not None
        key = (day, visit.started_at.isoformat() if visit.started_at else "")
        if best is None or key > best[:2]:
            best = (day, key[1], visit, observation)
        if observation.seen_alone is True and (alone_day is None or day > alone_day):
            alone_day = day
    if best is None:
        return LastSeen(alone_day=alone_day)
    day, _, visit, observation = best
    return LastSeen(day, visit.id, observation.seen_alone, alone_day)


def later_of(kept: LastSeen, found: LastSeen) -> LastSeen:
    """The later of two sightings, as `last_seen` over both their visits would give: the
    one on the later day (`found` on the same day, the visits at hand), with the later of
    their days seen alone."""
    if kept.day is None:
        latest = found
    elif found.day is None or kept.day > found.day:
        latest = kept
    else:
        latest = found
    alone = [d for d in (kept.alone_day, found.alone_day) if d is not None]
    return replace(latest, alone_day=max(alone) if alone else None)


def due_after(child: Child, seen: LastSeen, standards: VisitStandards,
              calendar: WorkingCalendar) -> date | None:
    """When the child's next visit is due, counted from when they were last seen (or, never
    seen, from the plan's start or the placement)."""
    return next_visit_due(child, seen.day, standards, calendar)


@dataclass(frozen=True)
class Timeliness:
    """Whether a visit where the child was seen was within the visiting standard."""

    due: date
    days_late: int
    """0 when on time; working days for child protection and child in need, days for a
    looked-after child (as the standards count)."""
    working_days: bool

    @property
    def on_time(self) -> bool:
        return self.days_late == 0


def as_it_was(child: Child, plan: PlanType | None, day: date) -> Child:
    """The child as the visiting standard judged a visit on `day` recorded under `plan` (the
    plan type on the visit's page for the child; None: the current one). Timeliness is
    history: a child stepped down from child protection keeps the late CP visits late, and a
    placement or plan that began after the visit is not the one it was measured from (the
    one then is not known here: a placement counts from the plan's start, not as long-term;
    a plan's first visit is given no timeliness)."""
    changes: dict[str, object] = {}
    if plan is not None and plan is not child.plan_type:
        changes["plan_type"] = plan
    if child.placement_start_date is not None and child.placement_start_date > day:
        changes |= {"placement_start_date": None, "long_term_placement": False}
    if child.plan_start_date is not None and child.plan_start_date > day:
        # The plan the visit was made under began earlier, on a day not known here: its
        # first visit has no timeliness, rather than "on time" against a later start.
        changes["plan_start_date"] = None
    return child.model_copy(update=changes) if changes else child


def timeliness_of_each(child: Child, visits: Iterable[Visit], standards: VisitStandards,
                       calendar: WorkingCalendar) -> dict[UUID, Timeliness]:
    """`timeliness` of every visit where the child was seen, in one pass over the history
    (oldest first): what a chronology, a dashboard or the flags need for a whole child."""
    dated = sorted(((day, v) for v in visits if (day := v.visit_date) is not None),
                   key=lambda pair: (pair[0], pair[1].started_at.isoformat()
                                     if pair[1].started_at else ""))
    found: dict[UUID, Timeliness] = {}
    seen_before: date | None = None  # the last day seen, on a day before the one at hand
    seen_today: date | None = None
    for day, visit in dated:
        if seen_today is not None and seen_today < day:
            seen_before = seen_today
        observation = visit.observation_for(child.id)
        if observation is None or not counts_as_seen(visit, observation):
            continue
        then = as_it_was(child, observation.plan_type, day)
        due = next_visit_due(then, seen_before, standards, calendar)
        if due is not None:
            found[visit.id] = _against(then, due, day, calendar)
        seen_today = day
    return found


def timeliness(child: Child, visit: Visit, history: Iterable[Visit],
               standards: VisitStandards, calendar: WorkingCalendar) -> Timeliness | None:
    """Was this visit on time for this child? None when the child was not seen at it, or
    when nothing says when it was due (no earlier sighting, no plan start or placement)."""
    day = visit.visit_date
    observation = visit.observation_for(child.id)
    if day is None or observation is None or not counts_as_seen(visit, observation):
        return None
    then = as_it_was(child, observation.plan_type, day)
    due = due_after(then, last_seen(child.id, history, before=day), standards, calendar)
    return None if due is None else _against(then, due, day, calendar)


def timeliness_after(child: Child, seen_days: Sequence[date], day: date,
                     standards: VisitStandards, calendar: WorkingCalendar,
                     plan: PlanType | None = None) -> Timeliness | None:
    """`timeliness` of a visit on `day` where the child was seen (recorded under `plan`),
    from the sorted days the child was seen at dated visits
    (`records.flag_fold.ChildFold.seen_days`)."""
    then = as_it_was(child, plan, day)
    before = bisect_left(seen_days, day)
    due = next_visit_due(then, seen_days[before - 1] if before else None, standards, calendar)
    return None if due is None else _against(then, due, day, calendar)


def _against(child: Child, due: date, day: date, calendar: WorkingCalendar) -> Timeliness:
    """A visit on `day` against the day it was due: working days late on a plan counted in
    working days, calendar days for a looked-after child. Any day after the due date is
    late: a visit on the Saturday or the bank holiday after it is at least a day late."""
    working = child.plan_type is not PlanType.LOOKED_AFTER
    if day <= due:
        return Timeliness(due, 0, working)
    late = max(calendar.working_days_between(due, day), 1) if working else (day - due).days
    return Timeliness(due, late, working)
