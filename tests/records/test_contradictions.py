"""Answers that cannot both be true are refused, each with a sentence that names the field
and says what to do; a worrying fact (a family member interpreting, no interpreter to be
had) is never refused: the visit and every fact in it must reach the team lead, flagged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from records.case import Case, Child
from records.problems import Problem
from records.validation import problems_before_submit
from records.visit import (
    AdultsAndRisk,
    ChildObservation,
    ExplanationSource,
    Interpreter,
    InterpreterKind,
    Visit,
    VisitOutcome,
)
from tests.factories import (
    NOW,
    VISIT_START,
    make_case,
    make_child,
    make_injury,
    make_observation,
    make_visit,
)


def found(visit: Visit, *children: Child) -> list[Problem]:
    return problems_before_submit(visit, {c.id: c for c in children}, now=NOW)


def where(visit: Visit, *children: Child) -> set[tuple[str, str]]:
    """Each problem as (field, code)."""
    return {(p.field, p.code) for p in found(visit, *children)}


def not_seen(child: Child, **changes: object) -> ChildObservation:
    """A child honestly recorded as not seen: nothing about them observed."""
    return make_observation(child, **{
        "seen": False, "reason_not_seen": "At nursery; mother would not say which one.",
        "seen_alone": None, "spoken_to_alone": None, "bedroom_seen": None,
        "injuries_seen": None, **changes})


def no_access(case: Case, child: Child, **changes: object) -> Visit:
    """A no-access visit recorded coherently, then changed by `changes` on the child."""
    observation = make_observation(child, seen=None, seen_alone=None, spoken_to_alone=None,
                                   bedroom_seen=None, injuries_seen=None)
    return make_visit(case, [child], outcome=VisitOutcome.NO_ACCESS,
                      no_access_reasons="Nobody answered; curtains drawn.",
                      no_access_steps_taken="Called mother; left a card; checked with school.",
                      children=(observation.model_copy(update=changes),))


# --- seen, and not seen -------------------------------------------------------------


def test_a_child_not_seen_cannot_be_seen_alone() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], children=(not_seen(ana, seen_alone=True),))
    [refused] = found(visit, ana)
    assert (refused.field, refused.code) == ("children.0.seen_alone",
                                             "child.seen_alone_but_not_seen")
    assert refused.message == "Ana is marked seen alone but not seen: change one of them."
    assert found(make_visit(case, [ana], children=(not_seen(ana),)), ana) == []


def test_a_child_not_seen_cannot_be_spoken_to_alone() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], children=(not_seen(ana, spoken_to_alone=True),))
    [refused] = found(visit, ana)
    assert (refused.field, refused.code) == ("children.0.spoken_to_alone",
                                             "child.spoken_to_alone_but_not_seen")
    assert refused.message == "Ana is marked spoken to alone but not seen: change one of them."


def test_a_baby_not_seen_cannot_be_seen_awake() -> None:
    case = make_case()
    zofia = make_child(case, given_name="Zofia", born=date(2026, 5, 1))
    visit = make_visit(case, [zofia], children=(not_seen(zofia, baby_seen_awake=True),))
    assert where(visit, zofia) == {("children.0.baby_seen_awake",
                                    "child.baby_seen_awake_but_not_seen")}


@pytest.mark.parametrize("injuries", ["marked", "answered yes"])
def test_injuries_cannot_be_recorded_on_a_child_not_seen(injuries: str) -> None:
    case = make_case()
    ana = make_child(case)
    changes = ({"injuries": (make_injury(),)} if injuries == "marked"
               else {"injuries_seen": True})
    visit = make_visit(case, [ana], children=(not_seen(ana, **changes),))
    [refused] = found(visit, ana)
    assert (refused.field, refused.code) == ("children.0.injuries_seen",
                                             "child.injuries_but_not_seen")
    assert "Ana is marked not seen" in refused.message
    assert "write it in your analysis" in refused.message


def test_the_outcome_child_not_seen_cannot_have_every_child_seen() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], outcome=VisitOutcome.CHILD_NOT_SEEN)
    [refused] = found(visit, ana)
    assert (refused.field, refused.code) == ("children.0.seen",
                                             "child.seen_but_outcome_not_seen")
    assert refused.message.startswith("Ana is marked seen, but the outcome says a child was "
                                      "not seen")


def test_the_outcome_child_not_seen_fits_when_one_of_two_was_not_seen() -> None:
    case = make_case()
    ana = make_child(case)
    tomasz = make_child(case, given_name="Tomasz", born=date(2017, 1, 5))
    visit = make_visit(case, [ana, tomasz], outcome=VisitOutcome.CHILD_NOT_SEEN,
                       children=(make_observation(ana), not_seen(tomasz)))
    assert found(visit, ana, tomasz) == []


# --- no access ----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["seen", "seen_alone", "spoken_to_alone", "bedroom_seen",
                                   "baby_seen_awake"])
def test_no_access_contradicts_anything_seen(field: str) -> None:
    case = make_case()
    zofia = make_child(case, given_name="Zofia", born=date(2026, 5, 1))
    visit = no_access(case, zofia, **{field: True})
    [refused] = found(visit, zofia)
    assert refused.field == f"children.0.{field}"
    assert refused.message.startswith("You recorded no access, but ")
    assert "Zofia" in refused.message and "change" in refused.message


@pytest.mark.parametrize("injuries", ["marked", "answered yes"])
def test_no_access_contradicts_injuries(injuries: str) -> None:
    case = make_case()
    ana = make_child(case)
    changes = ({"injuries": (make_injury(),)} if injuries == "marked"
               else {"injuries_seen": True})
    assert where(no_access(case, ana, **changes), ana) == {
        ("children.0.injuries_seen", "child.injuries_after_no_access")}


def test_a_coherent_no_access_visit_goes_through() -> None:
    case = make_case()
    ana = make_child(case)
    assert found(no_access(case, ana), ana) == []
    assert found(no_access(case, ana, seen=False, bedroom_seen=False), ana) == []


# --- when an injury was seen --------------------------------------------------------


@pytest.mark.parametrize(("seen_at", "code"), [
    (VISIT_START + timedelta(days=30), "injury.seen_at_after_visit"),
    (VISIT_START.replace(hour=16, minute=10), "injury.seen_at_after_visit"),
    (VISIT_START - timedelta(hours=2), "injury.seen_at_before_visit"),
])
def test_an_injury_must_be_seen_during_the_visit(seen_at: object, code: str) -> None:
    case = make_case()
    ana = make_child(case)
    observation = make_observation(ana, injuries_seen=True,
                                   injuries=(make_injury(seen_at=seen_at),))
    [refused] = found(make_visit(case, [ana], children=(observation,)), ana)
    assert (refused.field, refused.code) == ("children.0.injuries.0.seen_at", code)
    assert refused.message.startswith("Ana's injury 1 is recorded as seen ")
    assert "check when it was seen" in refused.message


@pytest.mark.parametrize("seen_at", [
    VISIT_START, VISIT_START.replace(hour=15, minute=40),  # the visit's first and last minute
    VISIT_START.replace(hour=15, minute=44),  # a watch a few minutes out
])
def test_an_injury_seen_during_the_visit_is_fine(seen_at: object) -> None:
    case = make_case()
    ana = make_child(case)
    observation = make_observation(ana, injuries_seen=True,
                                   injuries=(make_injury(seen_at=seen_at),))
    assert found(make_visit(case, [ana], children=(observation,)), ana) == []


# --- a visit dated before the child was born ----------------------------------------


def test_a_child_seen_before_their_birth_says_so_and_not_seen_awake() -> None:
    case = make_case()
    zofia = make_child(case, given_name="Zofia", born=date(2027, 1, 5))
    observation = make_observation(zofia, injuries_seen=True,
                                   injuries=(make_injury(independently_mobile=None),))
    [refused] = found(make_visit(case, [zofia], children=(observation,)), zofia)
    assert (refused.field, refused.code) == ("children.0.seen", "child.seen_before_birth")
    assert refused.message == (
        "Zofia is marked seen, but the visit is dated before Zofia's date of birth "
        "(05/01/2027): check the visit's date; if the date of birth is wrong, ask your team "
        "lead to correct it.")


def test_an_unborn_baby_not_seen_at_a_pre_birth_visit_is_not_refused() -> None:
    case = make_case()
    zofia = make_child(case, given_name="Zofia", born=date(2027, 1, 5))
    unborn = not_seen(zofia, reason_not_seen="Not yet born: pre-birth visit to mother.")
    assert found(make_visit(case, [zofia], children=(unborn,)), zofia) == []


# --- never blocked: who interpreted -------------------------------------------------


@pytest.mark.parametrize("kind", [InterpreterKind.FAMILY_MEMBER, InterpreterKind.CHILD,
                                  InterpreterKind.FAMILY_FRIEND])
def test_a_family_member_or_child_interpreting_does_not_stop_the_visit(
    kind: InterpreterKind,
) -> None:
    """Daniel's sister explained his injuries: the visit that says so must reach the lead."""
    case = make_case()
    ana = make_child(case)
    injury = make_injury(explanation_given_by=ExplanationSource.SIBLING,
                         explanation_words="He fell down the stairs.")
    visit = make_visit(
        case, [ana], language_of_parents="Polish", language_of_children="Polish",
        interpreter=Interpreter(kind=kind),
        children=(make_observation(ana, injuries_seen=True, injuries=(injury,)),),
        adults_and_risk=AdultsAndRisk(domestic_abuse_since_last_visit=True,
                                      domestic_abuse_details="Police called on Saturday.",
                                      household_changes=False))
    assert found(visit, ana) == []


def test_no_interpreter_available_needs_the_reason_only() -> None:
    case = make_case()
    ana = make_child(case)
    none = Interpreter(kind=InterpreterKind.NONE_AVAILABLE)
    visit = make_visit(case, [ana], language_of_parents="Polish", interpreter=none)
    [asked] = found(visit, ana)
    assert (asked.field, asked.code) == ("interpreter.reason_none_available",
                                         "interpreter.reason_none_available")
    assert asked.message == "Say why no interpreter was available."
    explained = none.model_copy(update={
        "reason_none_available": "Unannounced visit; LanguageLine had no Polish interpreter."})
    assert found(visit.model_copy(update={"interpreter": explained}), ana) == []


def test_an_interpreter_not_needed_is_an_answer() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], language_of_parents="Polish",
                       interpreter=Interpreter(kind=InterpreterKind.NOT_NEEDED))
    assert found(visit, ana) == []


def test_no_answer_about_the_interpreter_is_still_asked_for() -> None:
    case = make_case()
    ana = make_child(case)
    visit = make_visit(case, [ana], language_of_parents="Polish")
    assert where(visit, ana) == {("interpreter.kind", "interpreter.needed")}


# --- the child's own words ----------------------------------------------------------


def test_a_reason_is_enough_when_the_childs_words_could_not_be_recorded() -> None:
    """Missing words are flagged, never refused: any honest reason lets the visit go."""
    case = make_case()
    ana = make_child(case)
    silent = make_observation(ana, child_words="", wishes_and_feelings="",
                              communication_methods=(),
                              reason_words_not_recorded="Ana would not talk to me today.")
    assert found(make_visit(case, [ana], children=(silent,)), ana) == []


def test_a_mark_on_the_other_side_from_its_words_is_refused() -> None:
    """Front view: the child's left is on the viewer's right. A 'left upper arm' bruise
    drawn on the viewer's left is a contradiction a court would find."""
    from decimal import Decimal

    from records.validation import problems_before_submit
    from records.visit import BodySide
    from tests.factories import (
        VISIT_START,
        make_case,
        make_child,
        make_injury,
        make_observation,
        make_visit,
    )

    case = make_case()
    ana = make_child(case)
    agrees = make_injury()
    wrong = make_injury(x=Decimal(1) - (agrees.x or Decimal(0)), side=BodySide.LEFT)

    def codes(injury: object) -> list[str]:
        visit = make_visit(case, [ana], children=(make_observation(
            ana, injuries_seen=True, injuries=(injury,)),), started_at=VISIT_START)
        return [p.code for p in problems_before_submit(visit, {ana.id: ana},
                                                       now=VISIT_START.replace(hour=18))]

    assert "injury.mark_disagrees" not in codes(agrees)
    assert "injury.mark_disagrees" in codes(wrong)
