"""What stops a visit being submitted, in the words the worker sees."""

from __future__ import annotations

from datetime import date, timedelta

from records.case import Child
from records.validation import problems_before_submit
from records.visit import (
    ExplanationSource,
    FoodConcern,
    Interpreter,
    InterpreterKind,
    PersonPresent,
    Visit,
    VisitOutcome,
)
from tests.factories import NOW, make_case, make_child, make_injury, make_observation, make_visit


def problems(visit: Visit, *children: Child) -> dict[str, str]:
    found = problems_before_submit(visit, {c.id: c for c in children}, now=NOW)
    return {p.field: p.message for p in found}


def test_a_complete_visit_has_no_problems() -> None:
    case = make_case()
    ana = make_child(case)
    assert problems(make_visit(case, [ana]), ana) == {}


def test_an_empty_draft_reports_every_missing_field_at_once() -> None:
    case = make_case()
    ana = make_child(case)
    empty = Visit(id=make_visit(case, [ana]).id, case_id=case.id)
    found = problems(empty, ana)
    for field in ["worker", "visit_type", "announced", "started_at", "ended_at", "location",
                  "purpose", "outcome", "children", "analysis", "home.description"]:
        assert field in found, field
    assert len(found) >= 11


def test_not_seen_alone_needs_a_reason_naming_the_child() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], children=(make_observation(ana, seen_alone=False),))
    assert problems(visit, ana) == {
        "children.0.reason_not_seen_alone": "Say why Ana was not seen alone."
    }
    given = (make_observation(ana, seen_alone=False, reason_not_seen_alone="Mother refused."),)
    assert problems(make_visit(case, [ana], children=given), ana) == {}


def test_a_whitespace_reason_is_no_reason() -> None:
    case = make_case()
    ana = make_child(case)
    observation = make_observation(ana, spoken_to_alone=False, reason_not_spoken_to_alone="  \n")
    visit = make_visit(case, [ana], children=(observation,))
    assert "children.0.reason_not_spoken_to_alone" in problems(visit, ana)


def test_each_child_is_checked_separately_by_name() -> None:
    case = make_case()
    ana = make_child(case)
    tomasz = make_child(case, given_name="Tomasz", born=date(2017, 1, 5))
    visit = make_visit(case, [ana, tomasz], children=(
        make_observation(ana), make_observation(tomasz, bedroom_seen=False)))
    assert problems(visit, ana, tomasz) == {
        "children.1.reason_bedroom_not_seen": "Say why you did not see where Tomasz sleeps."
    }


def test_another_language_needs_a_named_professional_interpreter() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], language_of_parents="Polish")
    assert problems(visit, ana) == {"interpreter.kind": (
        "The family speaks a language other than English: say who interpreted, that no "
        "interpreter was available, or that none was needed.")}
    unnamed = make_visit(case, [ana], language_of_parents="Polish",
                         interpreter=Interpreter(kind=InterpreterKind.PROFESSIONAL_TELEPHONE))
    assert problems(unnamed, ana) == {"interpreter.name": "Record the interpreter's name."}
    named = make_visit(case, [ana], language_of_parents="Polish", interpreter=Interpreter(
        kind=InterpreterKind.PROFESSIONAL_TELEPHONE, name="LanguageLine 40211"))
    assert problems(named, ana) == {}
    # British Sign Language is a language of its own, not English.
    signing = make_visit(case, [ana], language_of_parents="British Sign Language")
    assert set(problems(signing, ana)) == {"interpreter.kind"}


def test_an_injury_on_an_under_two_needs_mobility_recorded() -> None:
    case = make_case()
    baby = make_child(case, given_name="Zofia", born=date(2025, 8, 1))
    injury = make_injury(independently_mobile=None)
    observation = make_observation(baby, injuries_seen=True, injuries=(injury,),
                                   baby_seen_awake=True)
    found = problems(make_visit(case, [baby], children=(observation,)), baby)
    assert found == {"children.0.injuries.0.independently_mobile":
                     "Zofia is under two: say whether Zofia moves around independently."}


def test_an_injury_needs_mobility_when_the_age_is_unknown() -> None:
    case = make_case()
    child = make_child(case).model_copy(update={"date_of_birth": None})
    observation = make_observation(child, injuries_seen=True,
                                   injuries=(make_injury(independently_mobile=None),))
    found = problems(make_visit(case, [child], children=(observation,)), child)
    assert "date of birth is not recorded" in found["children.0.injuries.0.independently_mobile"]


def test_a_two_year_old_injury_does_not_ask_about_mobility() -> None:
    case = make_case()
    toddler = make_child(case, born=date(2024, 11, 16))  # two on the day of the visit
    observation = make_observation(toddler, injuries_seen=True,
                                   injuries=(make_injury(independently_mobile=None),))
    assert problems(make_visit(case, [toddler], children=(observation,)), toddler) == {}


def test_a_baby_must_be_seen_awake() -> None:
    case = make_case()
    baby = make_child(case, given_name="Zofia", born=date(2026, 2, 1))
    visit = make_visit(case, [baby])
    assert problems(visit, baby) == {"children.0.baby_seen_awake":
                                     "Say whether Zofia was seen awake."}


def test_injury_explanation_needs_who_and_the_exact_words() -> None:
    case = make_case()
    ana = make_child(case)
    injury = make_injury(explanation_given_by=ExplanationSource.SIBLING, explanation_words="")
    observation = make_observation(ana, injuries_seen=True, injuries=(injury,))
    found = problems(make_visit(case, [ana], children=(observation,)), ana)
    assert found == {"children.0.injuries.0.explanation_words":
                     "Write the explanation of Ana's injury 1 in the exact words used."}
    none_given = make_injury(explanation_given_by=ExplanationSource.NO_EXPLANATION_GIVEN,
                             explanation_words="")
    observation = make_observation(ana, injuries_seen=True, injuries=(none_given,))
    assert problems(make_visit(case, [ana], children=(observation,)), ana) == {}


def test_injuries_seen_must_match_the_body_map() -> None:
    case = make_case()
    ana = make_child(case)
    yes_but_none = make_observation(ana, injuries_seen=True)
    assert "children.0.injuries" in problems(
        make_visit(case, [ana], children=(yes_but_none,)), ana)
    no_but_some = make_observation(ana, injuries_seen=False, injuries=(make_injury(),))
    assert "children.0.injuries_seen" in problems(
        make_visit(case, [ana], children=(no_but_some,)), ana)


def test_no_access_needs_reasons_and_steps_but_not_observations() -> None:
    case = make_case()
    ana = make_child(case)
    observation = make_observation(ana, seen=None, seen_alone=None, spoken_to_alone=None,
                                   bedroom_seen=None, injuries_seen=None)
    visit = make_visit(case, [ana], outcome=VisitOutcome.NO_ACCESS, children=(observation,))
    assert set(problems(visit, ana)) == {"no_access_reasons", "no_access_steps_taken"}
    complete = visit.model_copy(update={
        "no_access_reasons": "Nobody answered; curtains drawn.",
        "no_access_steps_taken": "Called mother, left card, checked with school: Ana absent.",
    })
    assert problems(complete, ana) == {}


def test_no_access_cannot_mark_a_child_seen() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], outcome=VisitOutcome.NO_ACCESS, no_access_reasons="x",
                       no_access_steps_taken="y")
    assert "children.0.seen" in problems(visit, ana)


def test_the_childs_voice_or_a_reason_is_required() -> None:
    case = make_case()
    ana = make_child(case)
    silent = make_observation(ana, child_words="", wishes_and_feelings="")
    found = problems(make_visit(case, [ana], children=(silent,)), ana)
    assert found == {"children.0.child_words":
                     "Write Ana's own words, as said, or say why they could not be recorded."}


def test_a_food_concern_needs_details() -> None:
    case = make_case()
    ana = make_child(case)
    concern = make_observation(ana, food_concern=FoodConcern.POSSIBLE)
    assert "children.0.food_concern_details" in problems(
        make_visit(case, [ana], children=(concern,)), ana)


def test_a_new_adult_in_the_home_needs_the_household_change_described() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], people_present=(
        PersonPresent(name="Mariusz", relationship="mum's partner", new_to_household=True),))
    assert "adults_and_risk.household_changes_details" in problems(visit, ana)


def test_times_that_cannot_be_right_are_reported() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana])
    assert visit.started_at is not None
    backwards = visit.model_copy(update={"ended_at": visit.started_at - timedelta(minutes=5)})
    assert "cannot end before it started" in problems(backwards, ana)["ended_at"]
    future = visit.model_copy(update={"started_at": NOW + timedelta(days=1),
                                      "ended_at": NOW + timedelta(days=1, hours=1)})
    assert "future" in problems(future, ana)["started_at"]


def test_a_child_no_longer_on_the_caseload_is_reported() -> None:
    case = make_case()
    ana = make_child(case)
    assert "children.0" in problems(make_visit(case, [ana]))
