"""What stops a record being saved, in words: `Problem` (the field, the sentence, and the
code and arguments a screen translates by) and `MESSAGES`, every problem's English sentence.

The rules that find problems are elsewhere (records/validation.py for a visit and an
addendum, records/note_rules.py for notes between visits); ui/visit/validation_text.py
translates by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

MESSAGES: dict[str, str] = {
    # The visit (A)
    "worker": "Record who carried out the visit.",
    "visit_type": "Choose the type of visit.",
    "announced": "Say whether the visit was announced.",
    "started_at": "Record when the visit started.",
    "ended_at": "Record when the visit ended.",
    "location": "Record where the visit took place.",
    "purpose": "Record the purpose of the visit.",
    "outcome": "Record the outcome of the visit.",
    "ended_at.before_start": "The visit cannot end before it started: check the times.",
    "ended_at.too_long": "The visit is recorded as longer than 12 hours: check the times.",
    "started_at.future":
        "The visit is recorded as starting in the future: check the date and time.",
    "no_access_reasons": "Say why you could not get into the home.",
    "no_access_steps_taken":
        "Say what you did to find and see the children after getting no access.",
    # People and language (B)
    "people_present": "List everyone who was in the home during the visit.",
    "people_present.person":
        "Person {number} in the home needs a name or their relationship to the children.",
    "absent_fathers_or_partners_asked_about":
        "Say whether you asked about fathers or partners who were not there.",
    "language_of_children": "Record the language the children speak.",
    "language_of_parents": "Record the language the parents speak.",
    "interpreter.name": "Record the interpreter's name.",
    "interpreter.needed":
        "The family speaks a language other than English: say who interpreted, that no "
        "interpreter was available, or that none was needed.",
    "interpreter.reason_none_available": "Say why no interpreter was available.",
    # Each child (C)
    "children": "Choose the children this visit was for.",
    "child.not_on_caseload":
        "A child on this visit is not on your caseload any more; remove them or ask your "
        "team lead.",
    "child.twice": "{name} is on this visit twice.",
    "child.seen_after_no_access":
        "You recorded no access, but {name} is marked seen: change the outcome, or mark "
        "{name} not seen.",
    "child.seen_alone_after_no_access":
        "You recorded no access, but {name} is marked seen alone: change one of them.",
    "child.spoken_to_alone_after_no_access":
        "You recorded no access, but {name} is marked spoken to alone: change one of them.",
    "child.baby_seen_awake_after_no_access":
        "You recorded no access, but {name} is marked seen awake: change one of them.",
    "child.bedroom_seen_after_no_access":
        "You recorded no access, but where {name} sleeps is marked seen: change one of them.",
    "child.injuries_after_no_access":
        "You recorded no access, but injuries are recorded for {name}: change the outcome, "
        "or write what you were told about the injuries in your analysis.",
    "child.seen_but_outcome_not_seen":
        "{name} is marked seen, but the outcome says a child was not seen: change the "
        "outcome, or mark the child who was not seen.",
    "child.seen_before_birth":
        "{name} is marked seen, but the visit is dated before {name}'s date of birth "
        "({born}): check the visit's date; if the date of birth is wrong, ask your team "
        "lead to correct it.",
    "child.seen_alone_but_not_seen":
        "{name} is marked seen alone but not seen: change one of them.",
    "child.spoken_to_alone_but_not_seen":
        "{name} is marked spoken to alone but not seen: change one of them.",
    "child.baby_seen_awake_but_not_seen":
        "{name} is marked seen awake but not seen: change one of them.",
    "child.injuries_but_not_seen":
        "Injuries are recorded for {name}, but {name} is marked not seen: if you saw {name}, "
        "mark {name} seen; if you were told about an injury you did not see, write it in "
        "your analysis.",
    "child.seen": "Say whether {name} was seen.",
    "child.reason_not_seen": "Say why {name} was not seen.",
    "child.seen_alone": "Say whether {name} was seen alone.",
    "child.reason_not_seen_alone": "Say why {name} was not seen alone.",
    "child.spoken_to_alone": "Say whether you spoke to {name} alone.",
    "child.reason_not_spoken_to_alone": "Say why you did not speak to {name} alone.",
    "child.baby_seen_awake": "Say whether {name} was seen awake.",
    "child.bedroom_seen": "Say whether you saw where {name} sleeps.",
    "child.reason_bedroom_not_seen": "Say why you did not see where {name} sleeps.",
    "child.sleeping_arrangements": "Describe where {name} sleeps.",
    "child.locks_on_outside_of_door":
        "Say whether there is a lock on the outside of {name}'s door.",
    "child.child_words":
        "Write {name}'s own words, as said, or say why they could not be recorded.",
    "child.communication_methods": "Say how {name} communicated.",
    "child.demeanour": "Describe how {name} seemed.",
    "child.clothing_and_hygiene": "Describe {name}'s clothing and hygiene.",
    "child.interaction_with_carers":
        "Describe how {name} and the adults behaved with each other.",
    "child.food_concern": "Say whether there is any concern about {name}'s food or weight.",
    "child.food_concern_details": "Describe the concern about {name}'s food or weight.",
    "child.injuries_seen": "Say whether you saw any injuries on {name}.",
    "child.injuries_not_marked": "Mark each injury you saw on {name}'s body map.",
    "child.injuries_marked_but_none_seen":
        "Injuries are marked on {name}'s body map, but 'injuries seen' says no.",
    # Each injury (D)
    "injury.region": "Mark where {name}'s injury {number} is on the body map.",
    "injury.side": "Say which side {name}'s injury {number} is on.",
    "injury.mark_disagrees":
        "{name}'s injury {number} is marked on the body map somewhere other than the part and "
        "side it names: choose where you saw it (the mark moves there).",
    "injury.injury_type": "Say what kind of injury {name}'s injury {number} is.",
    "injury.seen_at": "Record when {name}'s injury {number} was seen.",
    "injury.seen_at_before_visit":
        "{name}'s injury {number} is recorded as seen before the visit started: check when "
        "it was seen, and the visit's start time.",
    "injury.seen_at_after_visit":
        "{name}'s injury {number} is recorded as seen after the visit ended: check when it "
        "was seen, and the visit's end time.",
    "injury.explanation_given_by":
        "Say who explained {name}'s injury {number}, or that nobody did.",
    "injury.explanation_words":
        "Write the explanation of {name}'s injury {number} in the exact words used.",
    "injury.consistent_with_explanation":
        "Say whether {name}'s injury {number} looks consistent with the explanation.",
    "injury.mobile_under_two":
        "{name} is under two: say whether {name} moves around independently.",
    "injury.mobile_no_birth_date":
        "{name}'s date of birth is not recorded: say whether {name} moves around "
        "independently.",
    "injury.manager_informed":
        "Say whether your manager has been told about {name}'s injury {number}.",
    "injury.medical_referral":
        "Say whether {name}'s injury {number} was referred for medical assessment.",
    # Home and risk (E, F)
    "home.description": "Describe the home conditions.",
    "home.hazards_details": "Describe the hazards you saw.",
    "adults_and_risk.domestic_abuse_since_last_visit":
        "Say whether there has been any domestic abuse since the last visit, including "
        "police notifications.",
    "adults_and_risk.domestic_abuse_details":
        "Describe the domestic abuse and any police or MARAC involvement.",
    "adults_and_risk.household_changes":
        "Say whether anyone has moved in or out since the last visit.",
    "adults_and_risk.household_changes_details": "Describe who has joined or left the household.",
    "adults_and_risk.substance_use_details": "Describe the concern about drug or alcohol use.",
    # Analysis and actions (G)
    "analysis": "Write your analysis: what this visit tells you about the risk.",
    "actions.action": "Action {number} needs what, who and by when.",
    "information_shared.item":
        "Information shared {number} needs with whom, what, the legal basis and the date.",
    # An addendum
    "addendum.reason": "Say why you are adding to this visit.",
    "addendum.text": "Write the addendum.",
}
"""Every problem's English sentence, by its stable code; `{name}`, `{number}` come from the
problem's `args`. The screens translate by code (ui/visit/validation_text.py)."""


@dataclass(frozen=True)
class Problem:
    """One thing that stops a visit being submitted, and where to put it right.

    `message` is the English sentence; `code` and `args` let a screen say it in the
    worker's language (`MESSAGES[code].format(**dict(args))` is the English)."""

    field: str
    message: str
    child_id: UUID | None = None
    injury_id: UUID | None = None
    code: str = ""
    args: tuple[tuple[str, str], ...] = ()


def problem(field: str, code: str, child_id: UUID | None = None,
            injury_id: UUID | None = None, **args: str | int) -> Problem:
    """The problem `code` (one of `MESSAGES`) at `field`, its sentence filled in."""
    words = tuple((key, str(value)) for key, value in args.items())
    return Problem(field, MESSAGES[code].format(**dict(words)), child_id, injury_id, code,
                   words)
