"""What must be recorded before a visit can be submitted.

`problems_before_submit` returns every problem at once, each tied to its field and worded
for the social worker ("Say why Ana was not seen alone"). An empty list means the visit
may be submitted. Drafts are never validated this way: a draft may be half-written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from records.case import Child
from records.visit import (
    ChildObservation,
    ExplanationSource,
    FoodConcern,
    InjuryObservation,
    Visit,
    VisitOutcome,
)

BABY_MONTHS = 12
"""Under this age a baby must be seen awake."""

NON_MOBILE_CHECK_MONTHS = 24
"""Under this age an injury needs a record of whether the child moves independently."""

LONGEST_VISIT = timedelta(hours=12)


@dataclass(frozen=True)
class Problem:
    """One thing that stops a visit being submitted, and where to put it right."""

    field: str
    message: str
    child_id: UUID | None = None
    injury_id: UUID | None = None


def _blank(text: str) -> bool:
    return not text.strip()


def is_english(language: str) -> bool:
    """English (or British Sign Language), or not recorded: no interpreter is needed."""
    return language.strip().casefold() in {"english", "en", "british sign language"} or _blank(
        language
    )


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

    def need(condition: bool, field: str, message: str) -> None:
        if not condition:
            problems.append(Problem(field, message))

    need(not _blank(visit.worker), "worker", "Record who carried out the visit.")
    need(visit.visit_type is not None, "visit_type", "Choose the type of visit.")
    need(visit.announced is not None, "announced", "Say whether the visit was announced.")
    need(visit.started_at is not None, "started_at", "Record when the visit started.")
    need(visit.ended_at is not None, "ended_at", "Record when the visit ended.")
    need(not _blank(visit.location), "location", "Record where the visit took place.")
    need(not _blank(visit.purpose), "purpose", "Record the purpose of the visit.")
    need(visit.outcome is not None, "outcome", "Record the outcome of the visit.")
    if visit.started_at is not None and visit.ended_at is not None:
        need(
            visit.ended_at >= visit.started_at,
            "ended_at",
            "The visit cannot end before it started: check the times.",
        )
        need(
            visit.ended_at - visit.started_at <= LONGEST_VISIT,
            "ended_at",
            "The visit is recorded as longer than 12 hours: check the times.",
        )
    if visit.started_at is not None:
        need(
            visit.started_at <= now + timedelta(minutes=5),
            "started_at",
            "The visit is recorded as starting in the future: check the date and time.",
        )
    if visit.outcome is VisitOutcome.NO_ACCESS:
        need(
            not _blank(visit.no_access_reasons),
            "no_access_reasons",
            "Say why you could not get into the home.",
        )
        need(
            not _blank(visit.no_access_steps_taken),
            "no_access_steps_taken",
            "Say what you did to find and see the children after getting no access.",
        )
    return problems


def _people_and_language(visit: Visit, no_access: bool) -> list[Problem]:
    problems: list[Problem] = []
    if not no_access:
        if not visit.people_present:
            problems.append(
                Problem("people_present", "List everyone who was in the home during the visit.")
            )
        for index, person in enumerate(visit.people_present):
            if _blank(person.name) and _blank(person.relationship):
                problems.append(
                    Problem(
                        f"people_present.{index}",
                        f"Person {index + 1} in the home needs a name or their relationship "
                        "to the children.",
                    )
                )
        if visit.absent_fathers_or_partners_asked_about is None:
            problems.append(
                Problem(
                    "absent_fathers_or_partners_asked_about",
                    "Say whether you asked about fathers or partners who were not there.",
                )
            )
        if _blank(visit.language_of_children):
            problems.append(
                Problem("language_of_children", "Record the language the children speak.")
            )
        if _blank(visit.language_of_parents):
            problems.append(
                Problem("language_of_parents", "Record the language the parents speak.")
            )
    interpreter = visit.interpreter
    if interpreter is not None and interpreter.kind is not None:
        if not interpreter.kind.is_independent:
            problems.append(
                Problem(
                    "interpreter.kind",
                    "A family member, family friend or child cannot interpret: they may not "
                    "pass on what the child says. Use a professional interpreter.",
                )
            )
        elif _blank(interpreter.name):
            problems.append(Problem("interpreter.name", "Record the interpreter's name."))
    needs_interpreter = not no_access and not (
        is_english(visit.language_of_children) and is_english(visit.language_of_parents)
    )
    if needs_interpreter and (interpreter is None or interpreter.kind is None):
        problems.append(
            Problem(
                "interpreter.kind",
                "The family speaks a language other than English: record the interpreter used.",
            )
        )
    return problems


def _children(visit: Visit, children: Mapping[UUID, Child], no_access: bool) -> list[Problem]:
    if not visit.children:
        return [Problem("children", "Choose the children this visit was for.")]
    problems: list[Problem] = []
    seen_ids: set[UUID] = set()
    for index, observation in enumerate(visit.children):
        child = children.get(observation.child_id)
        prefix = f"children.{index}"
        if child is None:
            problems.append(
                Problem(
                    prefix,
                    "A child on this visit is not on your caseload any more; remove them "
                    "or ask your team lead.",
                    observation.child_id,
                )
            )
            continue
        if observation.child_id in seen_ids:
            problems.append(
                Problem(prefix, f"{child.given_name} is on this visit twice.", child.id)
            )
        seen_ids.add(observation.child_id)
        problems += _one_child(visit, observation, child, prefix, no_access)
    return problems


def _one_child(
    visit: Visit, seen: ChildObservation, child: Child, prefix: str, no_access: bool
) -> list[Problem]:
    name = child.given_name
    problems: list[Problem] = []

    def need(condition: bool, field: str, message: str) -> None:
        if not condition:
            problems.append(Problem(f"{prefix}.{field}", message, child.id))

    if no_access:
        need(seen.seen is not True, "seen", f"You recorded no access, but {name} is marked seen.")
        return problems

    need(seen.seen is not None, "seen", f"Say whether {name} was seen.")
    if seen.seen is False:
        need(not _blank(seen.reason_not_seen), "reason_not_seen", f"Say why {name} was not seen.")
    if seen.seen is not True:
        return problems

    need(seen.seen_alone is not None, "seen_alone", f"Say whether {name} was seen alone.")
    if seen.seen_alone is False:
        need(
            not _blank(seen.reason_not_seen_alone),
            "reason_not_seen_alone",
            f"Say why {name} was not seen alone.",
        )
    need(
        seen.spoken_to_alone is not None,
        "spoken_to_alone",
        f"Say whether you spoke to {name} alone.",
    )
    if seen.spoken_to_alone is False:
        need(
            not _blank(seen.reason_not_spoken_to_alone),
            "reason_not_spoken_to_alone",
            f"Say why you did not speak to {name} alone.",
        )
    age_months = child.age_in_months(visit.visit_date) if visit.visit_date else None
    if age_months is not None and age_months < BABY_MONTHS:
        need(
            seen.baby_seen_awake is not None,
            "baby_seen_awake",
            f"Say whether {name} was seen awake.",
        )
    need(
        seen.bedroom_seen is not None,
        "bedroom_seen",
        f"Say whether you saw where {name} sleeps.",
    )
    if seen.bedroom_seen is False:
        need(
            not _blank(seen.reason_bedroom_not_seen),
            "reason_bedroom_not_seen",
            f"Say why you did not see where {name} sleeps.",
        )
    if seen.bedroom_seen is True:
        need(
            not _blank(seen.sleeping_arrangements),
            "sleeping_arrangements",
            f"Describe where {name} sleeps.",
        )
        need(
            seen.locks_on_outside_of_door is not None,
            "locks_on_outside_of_door",
            f"Say whether there is a lock on the outside of {name}'s door.",
        )
    has_voice = not _blank(seen.child_words) or not _blank(seen.wishes_and_feelings)
    need(
        has_voice or not _blank(seen.reason_words_not_recorded),
        "child_words",
        f"Write {name}'s own words, as said, or say why they could not be recorded.",
    )
    if has_voice:
        need(
            bool(seen.communication_methods),
            "communication_methods",
            f"Say how {name} communicated.",
        )
    need(not _blank(seen.demeanour), "demeanour", f"Describe how {name} seemed.")
    need(
        not _blank(seen.clothing_and_hygiene),
        "clothing_and_hygiene",
        f"Describe {name}'s clothing and hygiene.",
    )
    need(
        not _blank(seen.interaction_with_carers),
        "interaction_with_carers",
        f"Describe how {name} and the adults behaved with each other.",
    )
    need(
        seen.food_concern is not None,
        "food_concern",
        f"Say whether there is any concern about {name}'s food or weight.",
    )
    if seen.food_concern in {FoodConcern.POSSIBLE, FoodConcern.CLEAR}:
        need(
            not _blank(seen.food_concern_details),
            "food_concern_details",
            f"Describe the concern about {name}'s food or weight.",
        )
    need(
        seen.injuries_seen is not None,
        "injuries_seen",
        f"Say whether you saw any injuries on {name}.",
    )
    if seen.injuries_seen is True and not seen.injuries:
        need(False, "injuries", f"Mark each injury you saw on {name}'s body map.")
    if seen.injuries_seen is False and seen.injuries:
        need(
            False,
            "injuries_seen",
            f"Injuries are marked on {name}'s body map, but 'injuries seen' says no.",
        )
    for number, injury in enumerate(seen.injuries):
        problems += _injury(injury, child, age_months, f"{prefix}.injuries.{number}", number + 1)
    return problems


def _injury(
    injury: InjuryObservation, child: Child, age_months: int | None, prefix: str, number: int
) -> list[Problem]:
    name = child.given_name
    label = f"{name}'s injury {number}"
    problems: list[Problem] = []

    def need(condition: bool, field: str, message: str) -> None:
        if not condition:
            problems.append(Problem(f"{prefix}.{field}", message, child.id, injury.id))

    need(injury.region is not None, "region", f"Mark where {label} is on the body map.")
    need(injury.side is not None, "side", f"Say which side {label} is on.")
    need(injury.injury_type is not None, "injury_type", f"Say what kind of injury {label} is.")
    need(injury.seen_at is not None, "seen_at", f"Record when {label} was seen.")
    need(
        injury.explanation_given_by is not None,
        "explanation_given_by",
        f"Say who explained {label}, or that nobody did.",
    )
    if injury.explanation_given_by not in {None, ExplanationSource.NO_EXPLANATION_GIVEN}:
        need(
            not _blank(injury.explanation_words),
            "explanation_words",
            f"Write the explanation of {label} in the exact words used.",
        )
    need(
        injury.consistent_with_explanation is not None,
        "consistent_with_explanation",
        f"Say whether {label} looks consistent with the explanation.",
    )
    if age_months is None or age_months < NON_MOBILE_CHECK_MONTHS:
        reason = (
            f"{name} is under two"
            if age_months is not None
            else f"{name}'s date of birth is not recorded"
        )
        need(
            injury.independently_mobile is not None,
            "independently_mobile",
            f"{reason}: say whether {name} moves around independently.",
        )
    need(
        injury.manager_informed is not None,
        "manager_informed",
        f"Say whether your manager has been told about {label}.",
    )
    need(
        injury.medical_referral is not None,
        "medical_referral",
        f"Say whether {label} was referred for medical assessment.",
    )
    return problems


def _home_and_risk(visit: Visit) -> list[Problem]:
    problems: list[Problem] = []
    home = visit.home
    risk = visit.adults_and_risk
    if _blank(home.description):
        problems.append(Problem("home.description", "Describe the home conditions."))
    if home.hazards_seen is True and _blank(home.hazards_details):
        problems.append(Problem("home.hazards_details", "Describe the hazards you saw."))
    if risk.domestic_abuse_since_last_visit is None:
        problems.append(
            Problem(
                "adults_and_risk.domestic_abuse_since_last_visit",
                "Say whether there has been any domestic abuse since the last visit, "
                "including police notifications.",
            )
        )
    elif risk.domestic_abuse_since_last_visit and _blank(risk.domestic_abuse_details):
        problems.append(
            Problem(
                "adults_and_risk.domestic_abuse_details",
                "Describe the domestic abuse and any police or MARAC involvement.",
            )
        )
    any_new_adult = any(p.new_to_household for p in visit.people_present)
    if risk.household_changes is None:
        problems.append(
            Problem(
                "adults_and_risk.household_changes",
                "Say whether anyone has moved in or out since the last visit.",
            )
        )
    elif (risk.household_changes or any_new_adult) and _blank(risk.household_changes_details):
        problems.append(
            Problem(
                "adults_and_risk.household_changes_details",
                "Describe who has joined or left the household.",
            )
        )
    if risk.substance_use_concern and _blank(risk.substance_use_details):
        problems.append(
            Problem(
                "adults_and_risk.substance_use_details",
                "Describe the concern about drug or alcohol use.",
            )
        )
    return problems


def _analysis_and_actions(visit: Visit) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(visit.analysis):
        problems.append(
            Problem("analysis", "Write your analysis: what this visit tells you about the risk.")
        )
    for index, action in enumerate(visit.actions):
        if _blank(action.what) or _blank(action.who) or action.by_when is None:
            problems.append(
                Problem(f"actions.{index}", f"Action {index + 1} needs what, who and by when.")
            )
    for index, shared in enumerate(visit.information_shared):
        if (
            _blank(shared.with_whom)
            or _blank(shared.what)
            or _blank(shared.legal_basis)
            or shared.shared_on is None
        ):
            problems.append(
                Problem(
                    f"information_shared.{index}",
                    f"Information shared {index + 1} needs with whom, what, the legal basis "
                    "and the date.",
                )
            )
    return problems


def problems_in_addendum(reason: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(reason):
        problems.append(Problem("reason", "Say why you are adding to this visit."))
    if _blank(text):
        problems.append(Problem("text", "Write the addendum."))
    return problems
