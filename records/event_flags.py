"""Event flags: what one visit raised for one child (injury, domestic abuse, a new adult,
food or neglect, interpreter, a baby not seen awake, a lock outside the door, a low risk
score, late recording), which stand until a team lead signs that visit off or escalates it.

`records.flag_fold` keeps `fixed_event_flags` of each visit not yet decided in a child's
state, and `records.flags` adds `seen_late` and `neglect_grades`, which look at the visits
before it; the state flags (overdue, not seen, streaks, repeat injuries) stay there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from uuid import UUID

from records.case import Child, PlanType
from records.flag_types import (
    Flag,
    FlagCode,
    FlagRules,
    Severity,
    VisitOnRecord,
    day_text,
    listed,
    local_day,
    make_flag,
)
from records.last_seen import Timeliness, counts_as_seen
from records.thresholds import FlagThresholds
from records.validation import BABY_MONTHS, is_english
from records.visit import (
    ChildObservation,
    Consistency,
    ExplanationSource,
    FoodConcern,
    InjuryObservation,
    InterpreterKind,
    Visit,
    VisitOutcome,
)
from records.wording import counted, hours_taken


@dataclass(frozen=True)
class Seen:
    """One home visit as it concerns this child (its day worked out once: it is read often)."""

    record: VisitOnRecord
    child: ChildObservation
    day: date

    @property
    def seen(self) -> bool:
        return counts_as_seen(self.record.visit, self.child)


def flag(code: FlagCode, severity: Severity, child: Child, visit_ids: tuple[UUID, ...],
          since: date, reason: str, for_worker: str = "") -> Flag:
    return make_flag(code, severity, child.id, visit_ids, since, reason, for_worker)



def fixed_event_flags(child: Child, this: Seen, rules: FlagRules,
                      grades: tuple[int | None, ...] | None = None) -> list[Flag]:
    """The flags one visit raises for `child` until a team lead decides on it that need no
    other visit: everything but `seen_late` and `neglect_grades`, which depend on the visits
    before it (`records.flag_fold` keeps what they need). `grades` are the visit's
    `gcp2_grades` when the caller has them."""
    visit, day = this.record.visit, this.day
    found: list[Flag] = []
    if this.child.injuries:
        found += _injuries(child, this, rules.thresholds)
    found += _food(child, this)
    found += _household(child, visit, day)
    found += _interpreter(child, visit, day)
    found += _conduct(child, this)
    found += _low_risk(child, visit, day, rules.thresholds)
    # A high grade makes the neglect flag red whatever came before: it counts here too.
    high = any(grade is not None and grade >= rules.thresholds.neglect_gcp2_grade
               for grade in (grades if grades is not None else gcp2_grades(visit)))
    found += _late(child, this.record, day,
                   high or any(f.severity is Severity.RED for f in found), rules)
    return found


def gcp2_grades(visit: Visit) -> tuple[int | None, ...]:
    """The visit's Graded Care Profile 2 grades, in `_GCP2_AREAS` order (None: not graded)."""
    return tuple(getattr(visit.home, area) for area in _GCP2_AREAS)


def _food(child: Child, this: Seen) -> list[Flag]:
    if this.child.food_concern not in {FoodConcern.POSSIBLE, FoodConcern.CLEAR}:
        return []
    clear = this.child.food_concern is FoodConcern.CLEAR
    return [flag(FlagCode.FOOD_OR_WEIGHT, Severity.RED if clear else Severity.AMBER, child,
                 (this.record.visit.id,), this.day,
                 f"A {'clear' if clear else 'possible'} concern about {child.given_name}'s "
                 f"food or weight was recorded at the visit on {_day(this.day)}.")]


# complexity: domestic abuse and new adults: the standard's two household events
def _household(child: Child, visit: Visit, day: date) -> list[Flag]:
    """Domestic abuse since the last visit, and a new adult (or any change) at home."""
    risk, when, ids = visit.adults_and_risk, _day(day), (visit.id,)
    found: list[Flag] = []
    if risk.domestic_abuse_since_last_visit:
        found.append(flag(FlagCode.DOMESTIC_ABUSE, Severity.RED, child, ids, day,
                          f"Domestic abuse since the last visit was recorded at the visit "
                          f"on {when}."))
    new_people = [p for p in visit.people_present if p.new_to_household
                  and (p.date_of_birth is None or _years(p.date_of_birth, day) >= 18)]
    if new_people:
        who = _listed([p.relationship or p.name or "unnamed" for p in new_people])
        found.append(flag(FlagCode.NEW_ADULT, Severity.AMBER, child, ids, day,
                          f"A new adult in the household ({who}) was recorded at the visit "
                          f"on {when}."))
    elif risk.household_changes:
        found.append(flag(FlagCode.NEW_ADULT, Severity.AMBER, child, ids, day,
                          f"A change in who lives in the household was recorded at the visit "
                          f"on {when}."))
    return found


def _low_risk(child: Child, visit: Visit, day: date,
              thresholds: FlagThresholds) -> list[Flag]:
    score = visit.adults_and_risk.risk_scale
    if score is None or score > thresholds.low_risk_score:
        return []
    return [flag(FlagCode.LOW_RISK_SCORE, Severity.RED, child, (visit.id,), day,
                 f"A Signs of Safety score of {score} was recorded at the visit on "
                 f"{_day(day)} and has not been escalated.")]


# complexity: three conduct flags (baby asleep, lock, seen late) on one visit
def _conduct(child: Child, this: Seen) -> list[Flag]:
    """How the visit was done for this child: a baby seen asleep, a lock on the outside of
    the child's door."""
    name, when, ids, seen = child.given_name, _day(this.day), (this.record.visit.id,), this.child
    found: list[Flag] = []
    if this.seen and seen.baby_seen_awake is False:
        months = child.age_in_months(this.day)
        if months is None or months < BABY_MONTHS:
            found.append(flag(FlagCode.BABY_NOT_SEEN_AWAKE,
                              Severity.RED if child.plan_type is PlanType.CHILD_PROTECTION
                              else Severity.AMBER, child, ids, this.day,
                              f"{name}, a baby, was not seen awake at the visit on {when}."))
    if seen.locks_on_outside_of_door is True:
        found.append(flag(FlagCode.LOCKED_IN, Severity.RED, child, ids, this.day,
                          f"A lock on the outside of {name}'s door was recorded at the visit "
                          f"on {when}."))
    return found


def seen_late(child: Child, visit_id: UUID, day: date, on_time: Timeliness | None) -> list[Flag]:
    """A visit made after it was due (timeliness is history: it stays late)."""
    if on_time is None or on_time.on_time:
        return []
    name, when = child.given_name, _day(day)
    unit = "working day" if on_time.working_days else "day"
    late = counted(on_time.days_late, unit)
    return [flag(FlagCode.SEEN_LATE, Severity.AMBER, child, (visit_id,), day,
                 f"{name} was seen on {when}, {late} after the visit was due "
                 f"({_day(on_time.due)}).",
                 f"This visit is {late} after {name}'s visit was due "
                 f"({_day(on_time.due)}).")]


def late_if_red(child: Child, record: VisitOnRecord, day: date,
                rules: FlagRules) -> Flag | None:
    """The red late-recording flag this visit carries if it raises a red flag: submitted
    more than the critical hours after it ended. None when it was submitted in time."""
    visit, recorded = record.visit, record.recorded_at
    ended = visit.ended_at or visit.started_at or recorded
    hours = (recorded - ended) / timedelta(hours=1)
    critical = rules.thresholds.critical_recording_hours
    if hours <= critical:
        return None
    shown, when = math.ceil(hours), _day(day)
    return flag(FlagCode.LATE_RECORDING, Severity.RED, child, (visit.id,), day,
                f"The visit on {when} raised a red flag and was submitted "
                f"{hours_taken(shown)} after it ended (the standard is "
                f"{counted(critical, 'hour')}).",
                f"This visit raises a red flag and is being recorded "
                f"{hours_taken(shown)} after it ended (the standard is "
                f"{counted(critical, 'hour')}).")


def _late(child: Child, record: VisitOnRecord, day: date, raises_red: bool,
          rules: FlagRules) -> list[Flag]:
    # Counted to when the worker submitted, not to when central or the team lead got it.
    red = late_if_red(child, record, day, rules) if raises_red else None
    if red is not None:
        return [red]
    submitted = local_day(record.recorded_at)
    took = rules.calendar.working_days_between(day, submitted)
    limit = rules.thresholds.late_recording_working_days
    if took > limit:
        return [flag(FlagCode.LATE_RECORDING, Severity.AMBER, child, (record.visit.id,), day,
                     f"The visit on {_day(day)} was submitted on {_day(submitted)}, "
                     f"{counted(took, 'working day')} later (the standard is {limit}).",
                     f"Submitted today, this visit is recorded {counted(took, 'working day')} "
                     f"after it took place (the standard is {limit}).")]
    return []


# complexity: the injury flag and the non-mobile rule, which share the count
def _injuries(child: Child, this: Seen, thresholds: FlagThresholds) -> list[Flag]:
    name, when, day = child.given_name, _day(this.day), this.day
    injuries = this.child.injuries
    count = counted(len(injuries), "injury")
    concerns = _explanation_concerns(injuries)
    found = [flag(FlagCode.INJURY_RECORDED, Severity.RED if concerns else Severity.AMBER,
                  child, (this.record.visit.id,), day,
                  f"{count} recorded on {name} at the visit on {when}"
                  + (f": {'; '.join(concerns)}." if concerns else "."))]
    months = child.age_in_months(day)
    under = months is None or months < thresholds.non_mobile_check_months
    if any(i.independently_mobile is False for i in injuries):
        found.append(flag(FlagCode.INJURY_NON_MOBILE, Severity.RED, child,
                          (this.record.visit.id,), day,
                          f"{name} is not independently mobile and had {count} recorded at "
                          f"the visit on {when}."))
    elif under and any(i.independently_mobile is None for i in injuries):
        age = (f"aged {counted(months, 'month')}" if months is not None
               else "with no date of birth recorded")
        found.append(flag(FlagCode.INJURY_NON_MOBILE, Severity.RED, child,
                          (this.record.visit.id,), day,
                          f"{name}, {age}, had {count} recorded at the visit on {when}, and "
                          "whether they move independently is not recorded."))
    return found


def _explanation_concerns(injuries: Sequence[InjuryObservation]) -> list[str]:
    """What about the explanations makes an injury red: a sibling's, or one it does not fit."""
    concerns: list[str] = []
    if any(i.explanation_given_by == ExplanationSource.SIBLING for i in injuries):
        concerns.append("explained by a sibling")
    if any(i.consistent_with_explanation == Consistency.NO for i in injuries):
        concerns.append("not consistent with the explanation")
    if any(i.consistent_with_explanation == Consistency.UNSURE for i in injuries):
        concerns.append("unsure whether consistent with the explanation")
    return concerns


_GCP2_AREAS = {
    "gcp2_physical_care": "physical care",
    "gcp2_safety": "safety",
    "gcp2_love_and_care": "love and care",
    "gcp2_esteem": "esteem",
}


# complexity: high and worsening grades across the four GCP2 areas in one pass
def neglect_grades(child: Child, visit_id: UUID, day: date, grades: tuple[int | None, ...],
                   earlier: Sequence[tuple[int | None, ...]],
                   thresholds: FlagThresholds) -> list[Flag]:
    """High and worsening grades at one visit; `earlier` are the grades of the visits on
    days before it, oldest first (`gcp2_grades`)."""
    high: list[str] = []
    worse: list[str] = []
    for position, label in enumerate(_GCP2_AREAS.values()):
        grade = grades[position]
        if grade is None:
            continue
        if grade >= thresholds.neglect_gcp2_grade:
            high.append(f"{label} {grade}")
        before = next((g for v in reversed(earlier) if (g := v[position]) is not None), None)
        if before is not None and grade > before:
            worse.append(f"{label} {before} to {grade}")
    if not high and not worse:
        return []
    parts = ([f"grade {_listed(high)}"] if high else []) + (
        [f"worse than before: {_listed(worse)}"] if worse else [])
    return [flag(FlagCode.NEGLECT_GRADE, Severity.RED if high else Severity.AMBER, child,
                 (visit_id,), day,
                 f"Graded Care Profile 2 at the visit on {_day(day)}: {'; '.join(parts)}.")]


def _interpreter(child: Child, visit: Visit, day: date) -> list[Flag]:
    languages = _languages_not_english(
        (visit.language_of_children, visit.language_of_parents, child.first_language))
    if not languages or visit.outcome is VisitOutcome.NO_ACCESS:
        return []
    language = _listed(languages)
    interpreter = visit.interpreter
    kind = interpreter.kind if interpreter else None
    when = _day(day)
    if kind is None:
        return [flag(FlagCode.INTERPRETER_PROBLEM, Severity.AMBER, child, (visit.id,), day,
                     f"The family speaks {language}, and no interpreter was recorded at the "
                     f"visit on {when}.")]
    if kind is InterpreterKind.NONE_AVAILABLE:
        why = interpreter.reason_none_available.strip() if interpreter else ""
        return [flag(FlagCode.INTERPRETER_PROBLEM, Severity.RED, child, (visit.id,), day,
                     f"The family speaks {language}, and no interpreter was available at the "
                     f"visit on {when}" + (f": {why}" if why else "") + ".")]
    if not kind.is_independent:
        who = {InterpreterKind.CHILD: "a child", InterpreterKind.FAMILY_FRIEND:
               "a family friend"}.get(kind, "a family member")
        return [flag(FlagCode.INTERPRETER_PROBLEM, Severity.RED, child, (visit.id,), day,
                     f"At the visit on {when} {who} interpreted ({language}), not a "
                     "professional interpreter.")]
    return []


_LANGUAGE_SEPARATORS = re.compile(r"\s*(?:,|/|&|;|\band\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=1024)  # a team speaks a handful of combinations, asked of every visit
def _languages_not_english(spoken: tuple[str, ...]) -> tuple[str, ...]:
    """Each language named, once, English left out: "Polish and English" and "polish"
    make "Polish"."""
    found: dict[str, str] = {}
    for text in spoken:
        for part in _LANGUAGE_SEPARATORS.split(text):
            name = part.strip()
            if name and not is_english(name):
                found.setdefault(name.casefold(), name[:1].upper() + name[1:])
    return tuple(sorted(found.values()))


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


_listed = listed
_day = day_text
