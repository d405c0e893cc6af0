"""What must be recorded before a visit can be submitted.

`problems_before_submit` returns every problem at once, each tied to its field and worded
for the social worker ("Say why Ana was not seen alone"). An empty list means the visit
may be submitted. Drafts are never validated this way: a draft may be half-written.

A problem is only ever a missing answer, or two answers that cannot both be true ("seen
alone" but "not seen"). A worrying fact is never a problem: a family member interpreting,
no interpreter to be had, a child's words not recorded all go through to the team lead,
flagged (records/flags.py). Refusing them would keep the visit, and every injury and
disclosure in it, off the team lead's screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from uuid import UUID

from records.body_regions import injury_mark_agrees
from records.case import Child
from records.problems import Problem, problem
from records.visit import (
    ChildObservation,
    ExplanationSource,
    FoodConcern,
    InjuryObservation,
    InterpreterKind,
    Visit,
    VisitOutcome,
)

BABY_MONTHS = 12
"""Under this age a baby must be seen awake."""

NON_MOBILE_CHECK_MONTHS = 24
"""Under this age an injury needs a record of whether the child moves independently."""

LONGEST_VISIT = timedelta(hours=12)

CLOCK_SLACK = timedelta(minutes=5)
"""How far outside the visit's recorded times an injury may be seen: times are typed to
the minute, and a watch and a laptop disagree a little."""

NAMED_INTERPRETERS = frozenset({
    InterpreterKind.PROFESSIONAL_IN_PERSON,
    InterpreterKind.PROFESSIONAL_TELEPHONE,
    InterpreterKind.PROFESSIONAL_VIDEO,
    InterpreterKind.WORKER_SPEAKS_LANGUAGE,
})
"""Who must be named (or their booking ID given) when they interpreted. A family member,
friend or child who interpreted is allowed through, and flagged red (records/flags.py)."""


def _blank(text: str) -> bool:
    return not text.strip()


def is_english(language: str) -> bool:
    """English, or not recorded: no interpreter is needed. British Sign Language is a
    language of its own: a deaf child or parent needs a BSL interpreter (or a worker who
    signs), as any family speaking another language does."""
    return language.strip().casefold() in {"english", "en"} or _blank(language)


def problems_before_submit(
    visit: Visit, children: Mapping[UUID, Child], *, now: datetime
) -> list[Problem]:
    """Every reason this visit cannot yet be submitted; empty when it is ready."""
    problems: list[Problem] = []
    problems += _visit_details(visit, now)
    no_access = visit.outcome is VisitOutcome.NO_ACCESS
    problems += _people_and_language(visit, no_access)
    problems += _children(visit, children, no_access)
    if not no_access:
        problems += _home_and_risk(visit)
    problems += _analysis_and_actions(visit)
    return problems


def _visit_details(visit: Visit, now: datetime) -> list[Problem]:
    problems: list[Problem] = []

    def need(condition: bool, field: str, code: str | None = None) -> None:
        if not condition:
            problems.append(problem(field, code or field))

    need(not _blank(visit.worker), "worker")
    need(visit.visit_type is not None, "visit_type")
    need(visit.announced is not None, "announced")
    need(visit.started_at is not None, "started_at")
    need(visit.ended_at is not None, "ended_at")
    need(not _blank(visit.location), "location")
    need(not _blank(visit.purpose), "purpose")
    need(visit.outcome is not None, "outcome")
    if visit.started_at is not None and visit.ended_at is not None:
        need(visit.ended_at >= visit.started_at, "ended_at", "ended_at.before_start")
        need(visit.ended_at - visit.started_at <= LONGEST_VISIT, "ended_at",
             "ended_at.too_long")
    if visit.started_at is not None:
        need(visit.started_at <= now + timedelta(minutes=5), "started_at", "started_at.future")
    if visit.outcome is VisitOutcome.NO_ACCESS:
        need(not _blank(visit.no_access_reasons), "no_access_reasons")
        need(not _blank(visit.no_access_steps_taken), "no_access_steps_taken")
    return problems


# complexity: the interpreter questions as the recording standard asks them
def _people_and_language(visit: Visit, no_access: bool) -> list[Problem]:
    problems = [] if no_access else _people_and_languages(visit)
    interpreter = visit.interpreter
    if interpreter is not None and interpreter.kind is not None:
        # Who interpreted is recorded as it was, family or child included: never refused.
        if interpreter.kind in NAMED_INTERPRETERS and _blank(interpreter.name):
            problems.append(problem("interpreter.name", "interpreter.name"))
        if (interpreter.kind is InterpreterKind.NONE_AVAILABLE
                and _blank(interpreter.reason_none_available)):
            problems.append(problem("interpreter.reason_none_available",
                                    "interpreter.reason_none_available"))
    # A missing answer, not a refused fact: any honest answer (a family member, none
    # available and why, not needed) lets the visit through.
    needs_interpreter = not no_access and not (
        is_english(visit.language_of_children) and is_english(visit.language_of_parents)
    )
    if needs_interpreter and (interpreter is None or interpreter.kind is None):
        problems.append(problem("interpreter.kind", "interpreter.needed"))
    return problems


def _people_and_languages(visit: Visit) -> list[Problem]:
    """Who was in the home and the languages spoken (asked only when someone got in)."""
    problems: list[Problem] = []
    if not visit.people_present:
        problems.append(problem("people_present", "people_present"))
    for index, person in enumerate(visit.people_present):
        if _blank(person.name) and _blank(person.relationship):
            problems.append(problem(f"people_present.{index}", "people_present.person",
                                    number=index + 1))
    if visit.absent_fathers_or_partners_asked_about is None:
        problems.append(problem("absent_fathers_or_partners_asked_about",
                                "absent_fathers_or_partners_asked_about"))
    for field in ("language_of_children", "language_of_parents"):
        if _blank(getattr(visit, field)):
            problems.append(problem(field, field))
    return problems


def _children(visit: Visit, children: Mapping[UUID, Child], no_access: bool) -> list[Problem]:
    if not visit.children:
        return [problem("children", "children")]
    problems: list[Problem] = []
    seen_ids: set[UUID] = set()
    # "A child was not seen" when every child is marked seen: one of the two is wrong.
    all_seen = visit.outcome is VisitOutcome.CHILD_NOT_SEEN and all(
        observation.seen is True for observation in visit.children)
    for index, observation in enumerate(visit.children):
        child = children.get(observation.child_id)
        prefix = f"children.{index}"
        if child is None:
            problems.append(problem(prefix, "child.not_on_caseload", observation.child_id))
            continue
        if observation.child_id in seen_ids:
            problems.append(problem(prefix, "child.twice", child.id, name=child.given_name))
        seen_ids.add(observation.child_id)
        if all_seen:
            problems.append(problem(f"{prefix}.seen", "child.seen_but_outcome_not_seen",
                                    child.id, name=child.given_name))
        problems += _one_child(visit, observation, child, prefix, no_access)
    return problems


class _Asked:
    """The problems found for one child, each at `prefix.field` and naming the child."""

    def __init__(self, prefix: str, child: Child) -> None:
        self.prefix, self.child = prefix, child
        self.problems: list[Problem] = []

    def need(self, condition: bool, field: str, code: str | None = None) -> None:
        if not condition:
            self.problems.append(problem(f"{self.prefix}.{field}", code or f"child.{field}",
                                         self.child.id, name=self.child.given_name))


def _one_child(
    visit: Visit, seen: ChildObservation, child: Child, prefix: str, no_access: bool
) -> list[Problem]:
    asked = _Asked(prefix, child)
    if no_access:
        _after_no_access(asked, seen)
        return asked.problems
    _whether_seen(asked, seen)
    if seen.seen is not True:
        return asked.problems
    age_months = _age_at_visit(asked, visit, child)
    _seen_alone_and_home(asked, seen, age_months)
    _voice_and_care(asked, seen)
    mobility = None if _born_after_visit(visit, child) else _mobility_question(age_months)
    for number, injury in enumerate(seen.injuries):
        asked.problems += _injury(visit, injury, child, mobility,
                                  f"{prefix}.injuries.{number}", number + 1)
    return asked.problems


def _after_no_access(asked: _Asked, seen: ChildObservation) -> None:
    """Nobody got in: anything seen of the child or the home contradicts the outcome."""
    asked.need(seen.seen is not True, "seen", "child.seen_after_no_access")
    for field in ("seen_alone", "spoken_to_alone", "baby_seen_awake", "bedroom_seen"):
        asked.need(getattr(seen, field) is not True, field, f"child.{field}_after_no_access")
    asked.need(seen.injuries_seen is not True and not seen.injuries, "injuries_seen",
               "child.injuries_after_no_access")


def _whether_seen(asked: _Asked, seen: ChildObservation) -> None:
    asked.need(seen.seen is not None, "seen")
    if seen.seen is False:
        asked.need(not _blank(seen.reason_not_seen), "reason_not_seen")
        for field in ("seen_alone", "spoken_to_alone", "baby_seen_awake"):
            asked.need(getattr(seen, field) is not True, field, f"child.{field}_but_not_seen")
        asked.need(seen.injuries_seen is not True and not seen.injuries, "injuries_seen",
                   "child.injuries_but_not_seen")


def _born_after_visit(visit: Visit, child: Child) -> bool:
    day, born = visit.visit_date, child.date_of_birth
    return day is not None and born is not None and day < born


def _age_at_visit(asked: _Asked, visit: Visit, child: Child) -> int | None:
    """The child's age in months on the visit's day, if known. Seen before being born: the
    visit's date or the date of birth is wrong, so no rule that depends on the child's age
    can be asked yet. (An unborn baby on a pre-birth plan, marked not seen, is a real visit
    and is not refused.)"""
    born, day = child.date_of_birth, visit.visit_date
    if born is not None and _born_after_visit(visit, child):
        asked.problems.append(problem(f"{asked.prefix}.seen", "child.seen_before_birth",
                                      child.id, name=child.given_name,
                                      # Not strftime: Qt sets the process locale.
                                      born=f"{born.day:02}/{born.month:02}/{born.year}"))
        return None
    return child.age_in_months(day) if day else None


def _seen_alone_and_home(asked: _Asked, seen: ChildObservation,
                         age_months: int | None) -> None:
    need = asked.need
    need(seen.seen_alone is not None, "seen_alone")
    if seen.seen_alone is False:
        need(not _blank(seen.reason_not_seen_alone), "reason_not_seen_alone")
    need(seen.spoken_to_alone is not None, "spoken_to_alone")
    if seen.spoken_to_alone is False:
        need(not _blank(seen.reason_not_spoken_to_alone), "reason_not_spoken_to_alone")
    if age_months is not None and age_months < BABY_MONTHS:
        need(seen.baby_seen_awake is not None, "baby_seen_awake")
    need(seen.bedroom_seen is not None, "bedroom_seen")
    if seen.bedroom_seen is False:
        need(not _blank(seen.reason_bedroom_not_seen), "reason_bedroom_not_seen")
    if seen.bedroom_seen is True:
        need(not _blank(seen.sleeping_arrangements), "sleeping_arrangements")
        need(seen.locks_on_outside_of_door is not None, "locks_on_outside_of_door")


def _voice_and_care(asked: _Asked, seen: ChildObservation) -> None:
    need = asked.need
    # A missing answer, not a refused fact: any honest reason ("would not talk to me")
    # lets the visit through, and words not recorded are flagged to the team lead either way.
    has_voice = not _blank(seen.child_words) or not _blank(seen.wishes_and_feelings)
    need(has_voice or not _blank(seen.reason_words_not_recorded), "child_words")
    if has_voice:
        need(bool(seen.communication_methods), "communication_methods")
    for field in ("demeanour", "clothing_and_hygiene", "interaction_with_carers"):
        need(not _blank(getattr(seen, field)), field)
    need(seen.food_concern is not None, "food_concern")
    if seen.food_concern in {FoodConcern.POSSIBLE, FoodConcern.CLEAR}:
        need(not _blank(seen.food_concern_details), "food_concern_details")
    need(seen.injuries_seen is not None, "injuries_seen")
    if seen.injuries_seen is True and not seen.injuries:
        need(False, "injuries", "child.injuries_not_marked")
    if seen.injuries_seen is False and seen.injuries:
        need(False, "injuries_seen", "child.injuries_marked_but_none_seen")


def _mobility_question(age_months: int | None) -> str | None:
    """The problem code that asks whether the child moves around independently, if asked."""
    if age_months is None:
        return "injury.mobile_no_birth_date"
    if age_months < NON_MOBILE_CHECK_MONTHS:
        return "injury.mobile_under_two"
    return None


def _injury(
    visit: Visit, injury: InjuryObservation, child: Child, mobility: str | None, prefix: str,
    number: int,
) -> list[Problem]:
    problems: list[Problem] = []

    def need(condition: bool, field: str, code: str | None = None) -> None:
        if not condition:
            problems.append(problem(f"{prefix}.{field}", code or f"injury.{field}", child.id,
                                    injury.id, name=child.given_name, number=number))

    need(injury.region is not None, "region")
    need(injury.side is not None, "side")
    need(injury_mark_agrees(injury), "side", "injury.mark_disagrees")
    need(injury.injury_type is not None, "injury_type")
    need(injury.seen_at is not None, "seen_at")
    if injury.seen_at is not None and visit.started_at is not None:
        ended = visit.ended_at if visit.ended_at is not None else (
            visit.started_at + LONGEST_VISIT)
        need(injury.seen_at >= visit.started_at - CLOCK_SLACK, "seen_at",
             "injury.seen_at_before_visit")
        need(injury.seen_at <= max(ended, visit.started_at) + CLOCK_SLACK, "seen_at",
             "injury.seen_at_after_visit")
    need(injury.explanation_given_by is not None, "explanation_given_by")
    if injury.explanation_given_by not in {None, ExplanationSource.NO_EXPLANATION_GIVEN}:
        need(not _blank(injury.explanation_words), "explanation_words")
    need(injury.consistent_with_explanation is not None, "consistent_with_explanation")
    if mobility is not None:
        need(injury.independently_mobile is not None, "independently_mobile", mobility)
    need(injury.manager_informed is not None, "manager_informed")
    need(injury.medical_referral is not None, "medical_referral")
    return problems


def _home_and_risk(visit: Visit) -> list[Problem]:
    problems: list[Problem] = []
    home = visit.home
    risk = visit.adults_and_risk

    def need(condition: bool, field: str) -> None:
        if not condition:
            problems.append(problem(field, field))

    need(not _blank(home.description), "home.description")
    need(not (home.hazards_seen is True and _blank(home.hazards_details)),
         "home.hazards_details")
    if risk.domestic_abuse_since_last_visit is None:
        need(False, "adults_and_risk.domestic_abuse_since_last_visit")
    elif risk.domestic_abuse_since_last_visit:
        need(not _blank(risk.domestic_abuse_details), "adults_and_risk.domestic_abuse_details")
    any_new_adult = any(p.new_to_household for p in visit.people_present)
    if risk.household_changes is None:
        need(False, "adults_and_risk.household_changes")
    elif risk.household_changes or any_new_adult:
        need(not _blank(risk.household_changes_details),
             "adults_and_risk.household_changes_details")
    need(not (risk.substance_use_concern and _blank(risk.substance_use_details)),
         "adults_and_risk.substance_use_details")
    return problems


# complexity: section G's questions, each a missing-answer check
def _analysis_and_actions(visit: Visit) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(visit.analysis):
        problems.append(problem("analysis", "analysis"))
    for index, action in enumerate(visit.actions):
        if _blank(action.what) or _blank(action.who) or action.by_when is None:
            problems.append(problem(f"actions.{index}", "actions.action", number=index + 1))
    for index, shared in enumerate(visit.information_shared):
        if (
            _blank(shared.with_whom)
            or _blank(shared.what)
            or _blank(shared.legal_basis)
            or shared.shared_on is None
        ):
            problems.append(problem(f"information_shared.{index}", "information_shared.item",
                                    number=index + 1))
    return problems


def problems_in_addendum(reason: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(reason):
        problems.append(problem("reason", "addendum.reason"))
    if _blank(text):
        problems.append(problem("text", "addendum.text"))
    return problems
