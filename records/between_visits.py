"""Flags that join facts up across visits and agencies (domain.md, "Joined up" and "Agency
information between visits").

- Food or weight concerns repeated within the window of each other — at visits, or from
  another agency that reported hunger, food or weight — are red, and stay red however many
  visits are signed off and however long ago they were, until a team lead records that the
  pattern was considered (`ConcernConsidered`) after the latest was entered
  (`records.patterns`).
- Each notification from another agency is open until a later visit where the child was
  seen alone records that it was discussed (`ChildObservation.notifications_followed_up`).
- A case not supervised within the policy's months, and a child seen by nobody — their
  social worker or any agency that told us — for longer than the threshold.

`records.flags` calls `between_visits` with what a child's state (`records.flag_fold`) keeps
of their visits, and their notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from dateutil.relativedelta import relativedelta

from records.case import Child, PlanType
from records.case_notes import (
    AgencyNotification,
    CaseNote,
    Supervision,
)
from records.flag_types import (
    Flag,
    FlagCode,
    FlagRules,
    Severity,
    day_text,
    listed,
    make_flag,
)
from records.patterns import Concern, considered, unconsidered_pattern
from records.wording import counted


class ConcernAtVisit(Protocol):
    """A visit that recorded a food or weight concern (`records.flag_fold.Mark`)."""

    @property
    def visit_id(self) -> UUID: ...

    @property
    def day(self) -> date: ...

    @property
    def entered(self) -> datetime: ...

def between_visits(child: Child, food: Sequence[ConcernAtVisit], followed: Mapping[UUID, date],
                   last_seen: date | None, notes: Sequence[CaseNote], today: date,
                   rules: FlagRules, *, last_seen_visit: UUID | None = None,
                   last_seen_entered: datetime | None = None) -> list[Flag]:
    """`food`: every visit of the child with a food or weight concern; `followed`: each
    agency note a visit where the child was seen alone followed up, with the latest such
    visit's day; `last_seen`: the last day the child was seen at a visit, `last_seen_visit`
    that visit and `last_seen_entered` when it was submitted."""
    agency = [n for n in notes if isinstance(n, AgencyNotification)]
    seen = ((last_seen_visit, last_seen, last_seen_entered)
            if last_seen_visit and last_seen and last_seen_entered else None)
    return (_repeated_food_concern(child, food, agency, notes, rules)
            + _agency_not_followed_up(child, followed, agency, seen)
            + _not_supervised(child, [n for n in notes if isinstance(n, Supervision)],
                              today, rules)
            + _not_seen_by_anyone(child, last_seen, agency, today, rules))


def _flag(code: FlagCode, severity: Severity, child: Child, visit_ids: tuple[UUID, ...],
          since: date, reason: str, for_worker: str = "") -> Flag:
    return make_flag(code, severity, child.id, visit_ids, since, reason, for_worker)


def food_concerns(food: Sequence[ConcernAtVisit],
                  notes: Sequence[CaseNote]) -> list[Concern]:
    """Every food or weight concern on record: at visits, or reported by another agency
    (`AgencyNotification.about_food_or_weight`)."""
    return ([Concern(v.day, v.entered, f"visit on {day_text(v.day)}", v.visit_id)
             for v in food]
            + [Concern(n.received_on, n.entered_at, f"{n.source} on {day_text(n.received_on)}",
                       note_id=n.id)
               for n in notes if isinstance(n, AgencyNotification) and n.about_food_or_weight])


def _repeated_food_concern(child: Child, food: Sequence[ConcernAtVisit],
                           agency: Sequence[AgencyNotification], notes: Sequence[CaseNote],
                           rules: FlagRules) -> list[Flag]:
    """Red while food or weight concerns, at visits or from other agencies
    (`AgencyNotification.about_food_or_weight`), make a pattern no team lead has recorded as
    considered (`records.patterns`)."""
    thresholds = rules.thresholds
    pattern = unconsidered_pattern(
        food_concerns(food, agency), considered(notes, FlagCode.REPEATED_FOOD_CONCERN),
        count=thresholds.repeat_concern_count,
        window_days=thresholds.repeat_concern_window_days)
    if not pattern:
        return []
    ids = tuple(c.visit_id for c in pattern if c.visit_id is not None)
    first, last = day_text(pattern[0].day), day_text(pattern[-1].day)
    return [_flag(FlagCode.REPEATED_FOOD_CONCERN, Severity.RED, child, ids, pattern[0].day,
                  f"Concerns about {child.given_name}'s food or weight were recorded "
                  f"{counted(len(pattern), 'time')} between {first} and {last} "
                  f"({listed([c.what for c in pattern])}); a team lead has not "
                  "recorded that they were considered together.",
                  f"Concerns about {child.given_name}'s food or weight have now been recorded "
                  f"{counted(len(pattern), 'time')} since {first}.")]


def _agency_not_followed_up(child: Child, followed: Mapping[UUID, date],
                            agency: Sequence[AgencyNotification],
                            seen: tuple[UUID, date, datetime] | None) -> list[Flag]:
    """Each note no visit seeing the child alone has followed up since it arrived. The flag
    names the last visit where the child was seen, when that came after the note and was
    submitted after the note was on record (its worker could have known of it): the visit
    that could have followed it up and did not, where the team lead reviewing it sees it
    (in its queue row and its note), not only on the dashboard."""
    found: list[Flag] = []
    for note in sorted(agency, key=lambda n: n.received_on):
        latest = followed.get(note.id)
        if latest is not None and latest >= note.received_on:
            continue
        red = note.kind.domestic_abuse
        missed = ((seen[0],) if seen is not None and seen[1] >= note.received_on
                  and seen[2] > note.entered_at else ())
        found.append(_flag(
            FlagCode.AGENCY_NOT_FOLLOWED_UP, Severity.RED if red else Severity.AMBER, child,
            missed, note.received_on,
            f"{note.kind.label} from {note.source} received {day_text(note.received_on)} "
            f"has not been followed up with {child.given_name} seen alone.",
            f"{note.kind.label} from {note.source} ({day_text(note.received_on)}) is waiting "
            f"to be discussed with {child.given_name} alone."))
    return found


def _not_supervised(child: Child, supervisions: Sequence[Supervision], today: date,
                    rules: FlagRules) -> list[Flag]:
    thresholds = rules.thresholds
    protection = child.plan_type is PlanType.CHILD_PROTECTION
    months = (thresholds.supervision_months_child_protection if protection
              else thresholds.supervision_months_other)
    last = max((s.supervised_on for s in supervisions), default=None)
    # The case is supervised, not the placement: a new placement does not restart the clock.
    began = ("plan", child.plan_start_date) if child.plan_start_date else (
        "placement", child.placement_start_date)
    start = last or began[1]
    if start is None or start + relativedelta(months=months) >= today:
        return []
    since = (f"last supervised {day_text(last)}" if last
             else f"no supervision recorded since the {began[0]} began on {day_text(start)}")
    return [_flag(FlagCode.CASE_NOT_SUPERVISED, Severity.AMBER, child, (), start,
                  f"{child.given_name}'s case has not been supervised for more than "
                  f"{counted(months, 'month')} ({since}).")]


# complexity: the looked-after rule: seen by worker or agency since the clock started
def _not_seen_by_anyone(child: Child, by_worker: date | None,
                        agency: Sequence[AgencyNotification], today: date,
                        rules: FlagRules) -> list[Flag]:
    if child.plan_type is PlanType.LOOKED_AFTER:
        return []  # a settled placement is visited 3-monthly: the visiting standard governs
    days = rules.thresholds.not_seen_any_agency_days
    by_agency = max((n.child_seen_on for n in agency if n.child_seen_on is not None),
                    default=None)
    sightings = [d for d in (by_worker, by_agency) if d is not None]
    last = max(sightings) if sightings else None
    start = last or child.placement_start_date or child.plan_start_date
    if start is None or (today - start).days <= days:
        return []
    said = (f"last seen {day_text(last)}" + (" by another agency" if last == by_agency
                                            and last != by_worker else "")
            if last else f"not seen by anyone since the plan began on {day_text(start)}")
    return [_flag(FlagCode.NOT_SEEN_BY_ANY_AGENCY, Severity.RED, child, (), start,
                  f"Nobody — social worker or any agency that told us — has seen "
                  f"{child.given_name} for {counted((today - start).days, 'day')} ({said}).")]
