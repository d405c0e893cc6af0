"""records/validation.py's problems in the worker's language.

records/ has no Qt, so each problem carries a stable `code` and its `args` beside the
English sentence. Here each code has its sentence wrapped for lupdate; a problem is shown
translated when a translation exists, in English otherwise (an unknown code, or a
translation whose placeholders do not fit, falls back to the problem's own message).
`tests/ui/test_validation_text.py` checks this list against `records.problems.MESSAGES`.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from records.problems import Problem

CONTEXT = "Validation"  # written out in each call below: lupdate reads only literals
_MARKED: dict[str, object] = {  # QT_TRANSLATE_NOOP is typed as returning object
    "worker": QT_TRANSLATE_NOOP("Validation", "Record who carried out the visit."),
    "visit_type": QT_TRANSLATE_NOOP("Validation", "Choose the type of visit."),
    "announced": QT_TRANSLATE_NOOP("Validation", "Say whether the visit was announced."),
    "started_at": QT_TRANSLATE_NOOP("Validation", "Record when the visit started."),
    "ended_at": QT_TRANSLATE_NOOP("Validation", "Record when the visit ended."),
    "location": QT_TRANSLATE_NOOP("Validation", "Record where the visit took place."),
    "purpose": QT_TRANSLATE_NOOP("Validation", "Record the purpose of the visit."),
    "outcome": QT_TRANSLATE_NOOP("Validation", "Record the outcome of the visit."),
    "ended_at.before_start":
        QT_TRANSLATE_NOOP("Validation", "The visit cannot end before it started: check the times."),
    "ended_at.too_long": QT_TRANSLATE_NOOP(
        "Validation",
        "The visit is recorded as longer than 12 hours: check the times."),
    "started_at.future": QT_TRANSLATE_NOOP(
        "Validation",
        "The visit is recorded as starting in the future: check the date and time."),
    "no_access_reasons":
        QT_TRANSLATE_NOOP("Validation", "Say why you could not get into the home."),
    "no_access_steps_taken": QT_TRANSLATE_NOOP(
        "Validation",
        "Say what you did to find and see the children after getting no access."),
    "people_present":
        QT_TRANSLATE_NOOP("Validation", "List everyone who was in the home during the visit."),
    "people_present.person": QT_TRANSLATE_NOOP(
        "Validation",
        "Person {number} in the home needs a name or their relationship to the children."),
    "absent_fathers_or_partners_asked_about": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether you asked about fathers or partners who were not there."),
    "language_of_children":
        QT_TRANSLATE_NOOP("Validation", "Record the language the children speak."),
    "language_of_parents":
        QT_TRANSLATE_NOOP("Validation", "Record the language the parents speak."),
    "interpreter.name": QT_TRANSLATE_NOOP("Validation", "Record the interpreter's name."),
    "interpreter.needed": QT_TRANSLATE_NOOP(
        "Validation",
        "The family speaks a language other than English: say who interpreted, that "
        "no interpreter was available, or that none was needed."),
    "interpreter.reason_none_available": QT_TRANSLATE_NOOP(
        "Validation",
        "Say why no interpreter was available."),
    "children": QT_TRANSLATE_NOOP("Validation", "Choose the children this visit was for."),
    "child.not_on_caseload": QT_TRANSLATE_NOOP(
        "Validation",
        "A child on this visit is not on your caseload any more; remove them or ask your team"
        " lead."),
    "child.twice": QT_TRANSLATE_NOOP("Validation", "{name} is on this visit twice."),
    "child.seen_after_no_access": QT_TRANSLATE_NOOP(
        "Validation",
        "You recorded no access, but {name} is marked seen: change the outcome, or "
        "mark {name} not seen."),
    "child.seen_alone_after_no_access": QT_TRANSLATE_NOOP(
        "Validation",
        "You recorded no access, but {name} is marked seen alone: change one of them."),
    "child.spoken_to_alone_after_no_access": QT_TRANSLATE_NOOP(
        "Validation",
        "You recorded no access, but {name} is marked spoken to alone: change one of "
        "them."),
    "child.baby_seen_awake_after_no_access": QT_TRANSLATE_NOOP(
        "Validation",
        "You recorded no access, but {name} is marked seen awake: change one of them."),
    "child.bedroom_seen_after_no_access": QT_TRANSLATE_NOOP(
        "Validation",
        "You recorded no access, but where {name} sleeps is marked seen: change one "
        "of them."),
    "child.injuries_after_no_access": QT_TRANSLATE_NOOP(
        "Validation",
        "You recorded no access, but injuries are recorded for {name}: change the "
        "outcome, or write what you were told about the injuries in your analysis."),
    "child.seen_but_outcome_not_seen": QT_TRANSLATE_NOOP(
        "Validation",
        "{name} is marked seen, but the outcome says a child was not seen: change the"
        " outcome, or mark the child who was not seen."),
    "child.seen_before_birth": QT_TRANSLATE_NOOP(
        "Validation",
        "{name} is marked seen, but the visit is dated before {name}'s date of birth "
        "({born}): check the visit's date; if the date of birth is wrong, ask your "
        "team lead to correct it."),
    "child.seen_alone_but_not_seen": QT_TRANSLATE_NOOP(
        "Validation",
        "{name} is marked seen alone but not seen: change one of them."),
    "child.spoken_to_alone_but_not_seen": QT_TRANSLATE_NOOP(
        "Validation",
        "{name} is marked spoken to alone but not seen: change one of them."),
    "child.baby_seen_awake_but_not_seen": QT_TRANSLATE_NOOP(
        "Validation",
        "{name} is marked seen awake but not seen: change one of them."),
    "child.injuries_but_not_seen": QT_TRANSLATE_NOOP(
        "Validation",
        "Injuries are recorded for {name}, but {name} is marked not seen: if you saw "
        "{name}, mark {name} seen; if you were told about an injury you did not see, "
        "write it in your analysis."),
    "child.seen": QT_TRANSLATE_NOOP("Validation", "Say whether {name} was seen."),
    "child.reason_not_seen": QT_TRANSLATE_NOOP("Validation", "Say why {name} was not seen."),
    "child.seen_alone": QT_TRANSLATE_NOOP("Validation", "Say whether {name} was seen alone."),
    "child.reason_not_seen_alone":
        QT_TRANSLATE_NOOP("Validation", "Say why {name} was not seen alone."),
    "child.spoken_to_alone":
        QT_TRANSLATE_NOOP("Validation", "Say whether you spoke to {name} alone."),
    "child.reason_not_spoken_to_alone":
        QT_TRANSLATE_NOOP("Validation", "Say why you did not speak to {name} alone."),
    "child.baby_seen_awake": QT_TRANSLATE_NOOP("Validation", "Say whether {name} was seen awake."),
    "child.bedroom_seen":
        QT_TRANSLATE_NOOP("Validation", "Say whether you saw where {name} sleeps."),
    "child.reason_bedroom_not_seen":
        QT_TRANSLATE_NOOP("Validation", "Say why you did not see where {name} sleeps."),
    "child.sleeping_arrangements": QT_TRANSLATE_NOOP("Validation", "Describe where {name} sleeps."),
    "child.locks_on_outside_of_door": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether there is a lock on the outside of {name}'s door."),
    "child.child_words": QT_TRANSLATE_NOOP(
        "Validation",
        "Write {name}'s own words, as said, or say why they could not be recorded."),
    "child.communication_methods": QT_TRANSLATE_NOOP("Validation", "Say how {name} communicated."),
    "child.demeanour": QT_TRANSLATE_NOOP("Validation", "Describe how {name} seemed."),
    "child.clothing_and_hygiene":
        QT_TRANSLATE_NOOP("Validation", "Describe {name}'s clothing and hygiene."),
    "child.interaction_with_carers": QT_TRANSLATE_NOOP(
        "Validation",
        "Describe how {name} and the adults behaved with each other."),
    "child.food_concern": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether there is any concern about {name}'s food or weight."),
    "child.food_concern_details":
        QT_TRANSLATE_NOOP("Validation", "Describe the concern about {name}'s food or weight."),
    "child.injuries_seen":
        QT_TRANSLATE_NOOP("Validation", "Say whether you saw any injuries on {name}."),
    "child.injuries_not_marked":
        QT_TRANSLATE_NOOP("Validation", "Mark each injury you saw on {name}'s body map."),
    "child.injuries_marked_but_none_seen": QT_TRANSLATE_NOOP(
        "Validation",
        "Injuries are marked on {name}'s body map, but 'injuries seen' says no."),
    "injury.region":
        QT_TRANSLATE_NOOP("Validation", "Mark where {name}'s injury {number} is on the body map."),
    "injury.side":
        QT_TRANSLATE_NOOP("Validation", "Say which side {name}'s injury {number} is on."),
    "injury.mark_disagrees": QT_TRANSLATE_NOOP(
        "Validation",
        "{name}'s injury {number} is marked on the body map somewhere other than the part and "
        "side it names: choose where you saw it (the mark moves there)."),
    "injury.injury_type":
        QT_TRANSLATE_NOOP("Validation", "Say what kind of injury {name}'s injury {number} is."),
    "injury.seen_at":
        QT_TRANSLATE_NOOP("Validation", "Record when {name}'s injury {number} was seen."),
    "injury.seen_at_before_visit": QT_TRANSLATE_NOOP(
        "Validation",
        "{name}'s injury {number} is recorded as seen before the visit started: check"
        " when it was seen, and the visit's start time."),
    "injury.seen_at_after_visit": QT_TRANSLATE_NOOP(
        "Validation",
        "{name}'s injury {number} is recorded as seen after the visit ended: check "
        "when it was seen, and the visit's end time."),
    "injury.explanation_given_by": QT_TRANSLATE_NOOP(
        "Validation",
        "Say who explained {name}'s injury {number}, or that nobody did."),
    "injury.explanation_words": QT_TRANSLATE_NOOP(
        "Validation",
        "Write the explanation of {name}'s injury {number} in the exact words used."),
    "injury.consistent_with_explanation": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether {name}'s injury {number} looks consistent with the explanation."),
    "injury.mobile_under_two": QT_TRANSLATE_NOOP(
        "Validation",
        "{name} is under two: say whether {name} moves around independently."),
    "injury.mobile_no_birth_date": QT_TRANSLATE_NOOP(
        "Validation",
        "{name}'s date of birth is not recorded: say whether {name} moves around "
        "independently."),
    "injury.manager_informed": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether your manager has been told about {name}'s injury {number}."),
    "injury.medical_referral": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether {name}'s injury {number} was referred for medical assessment."),
    "home.description": QT_TRANSLATE_NOOP("Validation", "Describe the home conditions."),
    "home.hazards_details": QT_TRANSLATE_NOOP("Validation", "Describe the hazards you saw."),
    "adults_and_risk.domestic_abuse_since_last_visit": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether there has been any domestic abuse since the last visit, including police"
        " notifications."),
    "adults_and_risk.domestic_abuse_details": QT_TRANSLATE_NOOP(
        "Validation",
        "Describe the domestic abuse and any police or MARAC involvement."),
    "adults_and_risk.household_changes": QT_TRANSLATE_NOOP(
        "Validation",
        "Say whether anyone has moved in or out since the last visit."),
    "adults_and_risk.household_changes_details":
        QT_TRANSLATE_NOOP("Validation", "Describe who has joined or left the household."),
    "adults_and_risk.substance_use_details":
        QT_TRANSLATE_NOOP("Validation", "Describe the concern about drug or alcohol use."),
    "analysis": QT_TRANSLATE_NOOP(
        "Validation",
        "Write your analysis: what this visit tells you about the risk."),
    "actions.action":
        QT_TRANSLATE_NOOP("Validation", "Action {number} needs what, who and by when."),
    "information_shared.item": QT_TRANSLATE_NOOP(
        "Validation",
        "Information shared {number} needs with whom, what, the legal basis and the date."),
    "addendum.reason": QT_TRANSLATE_NOOP("Validation", "Say why you are adding to this visit."),
    "addendum.text": QT_TRANSLATE_NOOP("Validation", "Write the addendum."),
}

SENTENCES: dict[str, str] = {code: str(sentence) for code, sentence in _MARKED.items()}


def problem_text(problem: Problem) -> str:
    """The problem's sentence in the worker's language, or its English message."""
    english = SENTENCES.get(problem.code)
    if english is None:
        return problem.message
    try:
        translated = QCoreApplication.translate(CONTEXT, english) or english
        return translated.format(**dict(problem.args))
    except (KeyError, IndexError, ValueError):  # a translation with the wrong placeholders
        return problem.message


def refused_text(count: int) -> str:
    """What a refused submit says first (the vault's own refusal uses the same words)."""
    if count == 1:
        return QCoreApplication.translate(
            "Validation", "This cannot be submitted yet: 1 thing needs putting right. Nothing "
            "was lost: it is still saved as a draft.")
    return QCoreApplication.translate(
        "Validation", "This cannot be submitted yet: {count} things need putting right. "
        "Nothing was lost: it is still saved as a draft.").format(count=count)
