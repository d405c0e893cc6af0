"""Team-lead flags at their threshold edges: working days, bank holidays, streaks, windows."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from records.case import Child, PlanType
from records.case_notes import ConcernConsidered
from records.corrections import Addendum, ReviewDecision, ReviewOutcome
from records.flag_fold import seen_before
from records.flags import (
    Flag,
    FlagCode,
    FlagRules,
    Severity,
    VisitOnRecord,
    child_flags,
    flags_left_by,
)
from records.last_seen import last_seen
from records.schedule import VisitStandards, WorkingCalendar
from records.thresholds import FlagThresholds
from records.visit import (
    ENGLAND,
    AdultsAndRisk,
    CommunicationMethod,
    Consistency,
    ExplanationSource,
    FoodConcern,
    HomeConditions,
    Interpreter,
    InterpreterKind,
    PersonPresent,
    Visit,
    VisitOutcome,
    VisitType,
)
from records.wording import percent
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit

RULES = FlagRules(calendar=WorkingCalendar())
CASE = make_case()
ANA = make_child(CASE)  # child protection, born 2 Mar 2020, plan from 1 Sep 2026
HASH = "0" * 64


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ENGLAND)


def visit_on(day: date, child: Child = ANA, *, submitted: date | None = None,
             reviews: tuple[ReviewOutcome, ...] = (), answered: bool = False,
             visit: dict[str, Any] | None = None, **observed: Any) -> VisitOnRecord:
    """A submitted visit to one child on a day; the child's page changed by `observed`."""
    start = at(day)
    made = make_visit(CASE, [child], started_at=start, ended_at=start + timedelta(hours=1),
                      children=(make_observation(child, **observed),), **(visit or {}))
    made = Visit.model_validate(made.model_dump())  # real enums and UTC, as from the vault
    decisions = tuple(
        ReviewDecision(id=uuid.uuid4(), visit_id=made.id, visit_hash=HASH, reviewer="T. Lead",
                       decided_at=at(submitted or day, 18) + timedelta(minutes=n),
                       outcome=outcome, comment="Who else was in the room?")
        for n, outcome in enumerate(reviews))
    addenda = tuple(
        Addendum(id=uuid.uuid4(), visit_id=made.id, previous_hash=HASH, reason="Answer",
                 text="Her uncle.", author="J. Okafor", written_at=at(submitted or day, 19),
                 answers_review_id=decisions[-1].id)
        for _ in range(1 if answered else 0))
    return VisitOnRecord(made, at(submitted or day, 17), addenda, decisions)


def flags(history: list[VisitOnRecord], today: date, child: Child = ANA,
          rules: FlagRules = RULES, **kw: Any) -> list[Flag]:
    return child_flags(child, history, now=at(today, 12), rules=rules, **kw)


def only(found: list[Flag], code: FlagCode) -> Flag | None:
    matching = [f for f in found if f.code is code]
    assert len(matching) <= 1, matching
    return matching[0] if matching else None


def severity(history: list[VisitOnRecord], today: date, code: FlagCode,
             child: Child = ANA, rules: FlagRules = RULES) -> Severity | None:
    flag = only(flags(history, today, child, rules), code)
    return flag.severity if flag else None


def child_on(plan: PlanType, **changes: Any) -> Child:
    return make_child(CASE, plan=plan).model_copy(update=changes)


# --- visit overdue --------------------------------------------------------------------


def test_child_protection_overdue_is_amber_at_eight_of_ten_working_days_then_red() -> None:
    history = [visit_on(date(2026, 11, 2))]  # Monday; due Monday 16 Nov
    assert severity(history, date(2026, 11, 11), FlagCode.VISIT_OVERDUE) is None  # 7 of 10
    assert severity(history, date(2026, 11, 12), FlagCode.VISIT_OVERDUE) is Severity.AMBER
    assert severity(history, date(2026, 11, 16), FlagCode.VISIT_OVERDUE) is Severity.AMBER
    overdue = only(flags(history, date(2026, 11, 17)), FlagCode.VISIT_OVERDUE)
    assert overdue is not None and overdue.severity is Severity.RED
    assert overdue.reason == ("Ana's visit was due by 16 Nov 2026 and is 1 day overdue "
                              "(last seen 2 Nov 2026).")
    assert overdue.visit_ids == (history[0].visit.id,)


def test_amber_reason_counts_working_days() -> None:
    flag = only(flags([visit_on(date(2026, 11, 2))], date(2026, 11, 12)),
                FlagCode.VISIT_OVERDUE)
    assert flag is not None
    assert flag.reason == ("Ana's visit is due by 16 Nov 2026: 8 of 10 working days have "
                           "passed (last seen 2 Nov 2026).")


def test_christmas_bank_holidays_do_not_count_towards_eighty_percent() -> None:
    # Fri 18 Dec 2026: 25, 28 Dec (Boxing Day substitute) and 1 Jan are not working days.
    history = [visit_on(date(2026, 12, 18))]
    assert severity(history, date(2026, 12, 31), FlagCode.VISIT_OVERDUE) is None  # 7 of 10
    assert severity(history, date(2027, 1, 4), FlagCode.VISIT_OVERDUE) is Severity.AMBER
    assert severity(history, date(2027, 1, 6), FlagCode.VISIT_OVERDUE) is Severity.AMBER
    assert severity(history, date(2027, 1, 7), FlagCode.VISIT_OVERDUE) is Severity.RED


def test_easter_bank_holidays_push_the_due_date() -> None:
    history = [visit_on(date(2026, 3, 27))]  # due 14 Apr after Good Friday and Easter Monday
    assert severity(history, date(2026, 4, 14), FlagCode.VISIT_OVERDUE) is Severity.AMBER
    assert severity(history, date(2026, 4, 15), FlagCode.VISIT_OVERDUE) is Severity.RED


def test_child_in_need_amber_at_sixteen_of_twenty_working_days() -> None:
    child = child_on(PlanType.CHILD_IN_NEED)
    history = [visit_on(date(2026, 11, 2), child)]  # due Mon 30 Nov
    assert severity(history, date(2026, 11, 24), FlagCode.VISIT_OVERDUE, child) is Severity.AMBER
    assert severity(history, date(2026, 11, 23), FlagCode.VISIT_OVERDUE, child) is None
    assert severity(history, date(2026, 12, 1), FlagCode.VISIT_OVERDUE, child) is Severity.RED


def test_looked_after_first_week_counts_calendar_days_from_placement() -> None:
    child = child_on(PlanType.LOOKED_AFTER, placement_start_date=date(2025, 1, 10))
    assert severity([], date(2025, 1, 15), FlagCode.VISIT_OVERDUE, child) is None  # 5 of 7
    assert severity([], date(2025, 1, 16), FlagCode.VISIT_OVERDUE, child) is Severity.AMBER
    late = only(flags([], date(2025, 1, 18), child), FlagCode.VISIT_OVERDUE)
    assert late is not None and late.severity is Severity.RED
    assert late.reason == ("Ana's visit was due by 17 Jan 2025 and is 1 day overdue "
                           "(no visit yet, counted from 10 Jan 2025).")


def test_looked_after_never_visited_with_no_placement_date_is_overdue_from_the_plan_start(
        ) -> None:
    """Not a silent 'nobody can tell' for three months: the plan's start stands in for the
    placement, and the reason says the placement date is missing."""
    child = child_on(PlanType.LOOKED_AFTER)  # plan from 1 Sep 2026, no placement date
    found = flags([], date(2026, 12, 6), child)
    late = only(found, FlagCode.VISIT_OVERDUE)
    assert late is not None and late.severity is Severity.RED
    assert late.reason == ("Ana's visit was due by 8 Sep 2026 and is 89 days overdue (no visit "
                           "yet, counted from 1 Sep 2026, the plan's start: no placement start "
                           "date is recorded).")
    assert only(found, FlagCode.NO_START_DATE) is None
    neither = child.model_copy(update={"plan_start_date": None})
    missing = only(flags([], date(2026, 12, 6), neither), FlagCode.NO_START_DATE)
    assert missing is not None and "no placement or plan start date" in missing.reason


def test_the_amber_share_is_policy() -> None:
    rules = FlagRules(thresholds=FlagThresholds(overdue_amber_percent=50),
                      calendar=RULES.calendar)
    history = [visit_on(date(2026, 11, 2))]
    assert severity(history, date(2026, 11, 9), FlagCode.VISIT_OVERDUE, rules=rules) is (
        Severity.AMBER)  # 5 of 10
    assert severity(history, date(2026, 11, 6), FlagCode.VISIT_OVERDUE, rules=rules) is None


def test_no_access_and_core_group_do_not_restart_the_clock() -> None:
    history = [
        visit_on(date(2026, 11, 2)),
        visit_on(date(2026, 11, 13), visit={"outcome": VisitOutcome.NO_ACCESS}, seen=False),
        visit_on(date(2026, 11, 16), visit={"visit_type": VisitType.CORE_GROUP}),
    ]
    assert severity(history, date(2026, 11, 17), FlagCode.VISIT_OVERDUE) is Severity.RED


def test_no_plan_start_and_no_visit_raises_nothing() -> None:
    child = ANA.model_copy(update={"plan_start_date": None})
    assert only(flags([], date(2026, 11, 17), child), FlagCode.VISIT_OVERDUE) is None


# --- child not seen -----------------------------------------------------------------


def no_access(day: date) -> VisitOnRecord:
    return visit_on(day, visit={"outcome": VisitOutcome.NO_ACCESS}, seen=False)


def test_one_no_access_visit_is_amber_and_says_so() -> None:
    history = [visit_on(date(2026, 11, 2)), no_access(date(2026, 11, 16))]
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.CHILD_NOT_SEEN)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == "Ana was not seen at the visit on 16 Nov 2026 (no access)."
    assert flag.worker_sentence == "Ana was not seen at this visit."


def test_two_visits_running_without_seeing_the_child_is_red() -> None:
    history = [visit_on(date(2026, 11, 2)), no_access(date(2026, 11, 9)),
               visit_on(date(2026, 11, 16), seen=False, reason_not_seen="At nursery.")]
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.CHILD_NOT_SEEN)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason == ("Ana was not seen at 2 visits running: 9 Nov 2026 (no access) and "
                           "16 Nov 2026 (not seen).")
    assert flag.worker_sentence == "Ana was not seen at the last visit either."


def test_seeing_the_child_ends_the_flag() -> None:
    history = [no_access(date(2026, 11, 9)), visit_on(date(2026, 11, 16))]
    assert only(flags(history, date(2026, 11, 16)), FlagCode.CHILD_NOT_SEEN) is None


def test_not_seen_for_more_than_four_weeks_is_red() -> None:
    seen = visit_on(date(2026, 10, 19))
    history = [seen, no_access(date(2026, 11, 13))]
    assert severity(history, date(2026, 11, 16), FlagCode.CHILD_NOT_SEEN) is Severity.AMBER
    red = only(flags(history, date(2026, 11, 17)), FlagCode.CHILD_NOT_SEEN)  # 29 days
    assert red is not None and red.severity is Severity.RED
    assert red.reason.endswith(" Last seen 19 Oct 2026, 29 days ago.")


def test_never_seen_at_any_visit_is_red() -> None:
    flag = only(flags([no_access(date(2026, 11, 16))], date(2026, 11, 16)),
                FlagCode.CHILD_NOT_SEEN)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason.endswith("Not seen at any visit on record.")


def test_unseen_by_the_social_worker_for_four_weeks_is_red_with_no_visit_since() -> None:
    """domain.md: "not seen by SW 4 wk -> escalate". It took a visit that did not see the
    child: with no visit at all since the last sighting, only "overdue" showed, ranked
    below "not seen". Counted from the last sighting, or from the plan's start."""
    history = [visit_on(date(2026, 10, 19))]
    assert only(flags(history, date(2026, 11, 16)), FlagCode.CHILD_NOT_SEEN) is None  # 28 days
    found = flags(history, date(2026, 11, 17))  # 29 days
    red = only(found, FlagCode.CHILD_NOT_SEEN)
    assert red is not None and red.severity is Severity.RED and red.visit_ids == ()
    assert red.reason == ("Ana has not been seen by their social worker for 29 days (last "
                          "seen 19 Oct 2026).")
    assert found[0] is red  # the headline, above "overdue now"
    assert only(found, FlagCode.VISIT_OVERDUE) is not None
    in_need = child_on(PlanType.CHILD_IN_NEED, plan_start_date=date(2026, 10, 1))
    never = only(flags([], date(2026, 11, 2), in_need), FlagCode.CHILD_NOT_SEEN)  # 32 days
    assert never is not None and never.severity is Severity.RED
    assert never.reason.endswith("(not seen at any visit since the plan began on 1 Oct 2026).")
    # Within its standard it is not late yet: a council's 30 working days for a child in
    # need (six weeks) keeps "not seen" off until the visit is due, and then it is red.
    six_weeks = FlagRules(standards=VisitStandards(child_in_need_working_days=30),
                          calendar=WorkingCalendar())
    seen = [visit_on(date(2026, 10, 1), in_need)]
    assert only(flags(seen, date(2026, 11, 2), in_need, six_weeks),
                FlagCode.CHILD_NOT_SEEN) is None
    late = only(flags(seen, date(2026, 11, 13), in_need, six_weeks), FlagCode.CHILD_NOT_SEEN)
    assert late is not None and late.severity is Severity.RED


def test_a_looked_after_child_is_not_red_for_four_weeks_between_placement_visits() -> None:
    """A settled placement is visited 3-monthly: the visiting standard governs it, as it
    does for the any-agency rule."""
    looked_after = child_on(PlanType.LOOKED_AFTER, placement_start_date=date(2026, 1, 5),
                            long_term_placement=True)
    history = [visit_on(date(2026, 10, 1), looked_after)]
    assert only(flags(history, date(2026, 11, 16), looked_after),
                FlagCode.CHILD_NOT_SEEN) is None


# --- not seen alone, bedroom, own words ---------------------------------------------


def not_alone(day: date, child: Child = ANA) -> VisitOnRecord:
    return visit_on(day, child, seen_alone=False, reason_not_seen_alone="Mother stayed.")


def test_not_seen_alone_once_is_amber_twice_is_red_on_child_protection() -> None:
    once = [visit_on(date(2026, 11, 2)), not_alone(date(2026, 11, 9))]
    assert severity(once, date(2026, 11, 9), FlagCode.NOT_SEEN_ALONE) is Severity.AMBER
    twice = [*once, not_alone(date(2026, 11, 16))]
    flag = only(flags(twice, date(2026, 11, 16)), FlagCode.NOT_SEEN_ALONE)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason == "Ana was not seen alone at 2 visits running: 9 Nov 2026 and 16 Nov 2026."
    assert flag.worker_sentence == "Ana was not seen alone at the last visit either."
    assert flag.since == date(2026, 11, 9)
    assert flag.visit_ids == (twice[1].visit.id, twice[2].visit.id)


def test_not_seen_alone_twice_is_red_on_every_plan_not_only_child_protection() -> None:
    """domain.md, "Joined up": not seen alone, repeated across visits, escalates. Capped at
    amber off child protection, a child in need never seen alone stayed amber forever."""
    for plan in (PlanType.CHILD_IN_NEED, PlanType.LOOKED_AFTER):
        child = child_on(plan)
        once = [not_alone(date(2026, 11, 9), child)]
        assert severity(once, date(2026, 11, 9), FlagCode.NOT_SEEN_ALONE, child) is (
            Severity.AMBER)
        twice = [*once, not_alone(date(2026, 11, 16), child)]
        assert severity(twice, date(2026, 11, 16), FlagCode.NOT_SEEN_ALONE, child) is (
            Severity.RED)


def test_a_visit_where_the_child_was_not_seen_does_not_break_the_streak() -> None:
    history = [not_alone(date(2026, 11, 2)), no_access(date(2026, 11, 9)),
               not_alone(date(2026, 11, 16))]
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.NOT_SEEN_ALONE)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.worker_sentence == "Ana was not seen alone at the last visit either."


def test_three_running_are_named_in_the_worker_sentence() -> None:
    history = [not_alone(date(2026, 11, d)) for d in (2, 9, 16)]
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.NOT_SEEN_ALONE)
    assert flag is not None
    assert flag.worker_sentence == "Ana was not seen alone at the last 2 visits either."


def test_a_blank_seen_alone_answer_does_not_break_the_streak() -> None:
    """An incomplete record (central keeps it, flagged) with "seen alone" left blank says
    nothing either way: it no longer reads as the sighting alone that ends a streak."""
    history = [not_alone(date(2026, 11, 2)),
               visit_on(date(2026, 11, 9), seen_alone=None, reason_not_seen_alone=""),
               not_alone(date(2026, 11, 16))]
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.NOT_SEEN_ALONE)
    assert flag is not None and flag.severity is Severity.RED
    assert len(flag.visit_ids) == 2  # the blank one is not counted as not alone either


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=8))
def test_not_seen_alone_follows_the_trailing_streak_and_the_pattern(
        alone_at: list[bool]) -> None:
    """Weekly visits, all within 90 days of each other: the visits running not alone are
    the streak, red from two; and two or more anywhere, unless they are only the streak,
    are red as a pattern no team lead has considered, however often the child was seen
    alone between."""
    history = [visit_on(date(2026, 9, 7) + timedelta(weeks=n), seen_alone=alone,
                        reason_not_seen_alone="" if alone else "Father stayed.")
               for n, alone in enumerate(alone_at)]
    today = history[-1].day
    found = flags(history, today)
    flag = only(found, FlagCode.NOT_SEEN_ALONE)
    streak = len(alone_at) - len("".join("1" if a else "0" for a in alone_at).rstrip("0"))
    not_alone = tuple(v.visit.id for v, alone in zip(history, alone_at, strict=True)
                      if not alone)
    assert (flag is None) == (streak == 0)
    if flag is not None:
        assert flag.visit_ids == not_alone[-streak:]
        assert flag.severity is (Severity.RED if streak >= 2 else Severity.AMBER)
    pattern = only(found, FlagCode.NOT_SEEN_ALONE_PATTERN)
    assert (pattern is not None) == (len(not_alone) >= 2 and len(not_alone) > streak)
    if pattern is not None:
        assert pattern.visit_ids == not_alone and pattern.severity is Severity.RED


def test_seen_alone_once_does_not_settle_not_seen_alone_twice() -> None:
    """Joined up (domain.md): a child not seen alone at two visits stays red after a visit
    that sees them alone, until a team lead records the pattern was considered; a visit not
    alone after that decision raises it again."""
    history = [not_alone(date(2026, 11, 2)), not_alone(date(2026, 11, 9)),
               visit_on(date(2026, 11, 16))]
    assert only(flags(history, date(2026, 11, 16)), FlagCode.NOT_SEEN_ALONE) is None
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.NOT_SEEN_ALONE_PATTERN)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason == (
        "Ana was not seen alone at 2 visits, each within 90 days of another: 2 Nov 2026 and "
        "9 Nov 2026; Ana has been seen alone since, which does not settle it; a team lead "
        "has not recorded that they were considered together.")
    decided = ConcernConsidered(
        id=uuid.uuid4(), case_id=CASE.id, child_ids=(ANA.id,),
        flag_code=FlagCode.NOT_SEEN_ALONE_PATTERN.value,
        decision="Discussed: seen alone at school.", considered_by="R. Lead",
        considered_at=at(date(2026, 11, 17), 9),
        covered=(history[0].visit.id, history[1].visit.id))
    assert only(flags(history, date(2026, 11, 18), notes=[decided]),
                FlagCode.NOT_SEEN_ALONE_PATTERN) is None
    again = [*history, not_alone(date(2026, 11, 23))]
    found = flags(again, date(2026, 11, 23), notes=[decided])
    flag = only(found, FlagCode.NOT_SEEN_ALONE_PATTERN)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.visit_ids == tuple(v.visit.id for v in (again[0], again[1], again[3]))
    # The new visit is in its own streak's flag too: the worker sees it on what they sent.
    streak = only(found, FlagCode.NOT_SEEN_ALONE)
    assert streak is not None and streak.visit_ids == (again[3].visit.id,)


def test_a_policy_of_one_visit_does_not_make_every_visit_ever_a_pattern() -> None:
    """`not_seen_alone_red_streak = 1` makes one visit not alone red at once; a pattern still
    takes two within the window."""
    strict = replace(RULES, thresholds=RULES.thresholds.model_copy(
        update={"not_seen_alone_red_streak": 1}))
    history = [not_alone(date(2024, 3, 4)), visit_on(date(2024, 3, 11))]
    found = child_flags(ANA, history, now=at(date(2026, 11, 16), 12), rules=strict)
    assert not [f for f in found if f.code in (FlagCode.NOT_SEEN_ALONE,
                                                FlagCode.NOT_SEEN_ALONE_PATTERN)]


def test_bedroom_not_seen_once_is_no_flag_twice_is_red_on_child_protection() -> None:
    def no_bedroom(day: date, child: Child = ANA) -> VisitOnRecord:
        return visit_on(day, child, bedroom_seen=False, reason_bedroom_not_seen="Locked.")

    once = [visit_on(date(2026, 11, 2)), no_bedroom(date(2026, 11, 9))]
    assert severity(once, date(2026, 11, 9), FlagCode.BEDROOM_NOT_SEEN) is None
    twice = [*once, no_bedroom(date(2026, 11, 16))]
    flag = only(flags(twice, date(2026, 11, 16)), FlagCode.BEDROOM_NOT_SEEN)
    assert flag is not None and flag.severity is Severity.RED
    # A blank answer between them (an incomplete record) does not break the two running.
    blank = visit_on(date(2026, 11, 12), bedroom_seen=None, reason_bedroom_not_seen="")
    across = only(flags([*once, blank, no_bedroom(date(2026, 11, 16))], date(2026, 11, 16)),
                  FlagCode.BEDROOM_NOT_SEEN)
    assert across is not None and across.severity is Severity.RED
    assert flag.worker_sentence == "Where Ana sleeps was not seen at the last visit either."
    child = child_on(PlanType.LOOKED_AFTER)
    looked_after = [no_bedroom(date(2026, 11, 9), child), no_bedroom(date(2026, 11, 16), child)]
    assert severity(looked_after, date(2026, 11, 16), FlagCode.BEDROOM_NOT_SEEN, child) is (
        Severity.AMBER)


def test_own_words_missing_once_amber_twice_red_and_not_for_a_pre_verbal_baby() -> None:
    def silent(day: date, **more: Any) -> VisitOnRecord:
        return visit_on(day, child_words="", reason_words_not_recorded="Shy.", **more)

    once = [silent(date(2026, 11, 9))]
    flag = only(flags(once, date(2026, 11, 9)), FlagCode.VOICE_MISSING)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == "Ana's own words were not recorded at the visit on 9 Nov 2026."
    assert severity([*once, silent(date(2026, 11, 16))], date(2026, 11, 16),
                    FlagCode.VOICE_MISSING) is Severity.RED
    day = date(2026, 11, 16)
    baby = ANA.model_copy(update={"date_of_birth": date(2024, 11, 17)})  # 35 months
    observed = [visit_on(day, baby, child_words="", reason_words_not_recorded="Babbles.",
                         communication_methods=(CommunicationMethod.OBSERVATION_PRE_VERBAL,))]
    assert severity(observed, day, FlagCode.VOICE_MISSING, baby) is None
    # Ana is six: "pre-verbal" does not excuse her words missing visit after visit.
    ticked = [silent(d, communication_methods=(CommunicationMethod.OBSERVATION_PRE_VERBAL,))
              for d in (date(2026, 11, 9), day)]
    assert severity(ticked, day, FlagCode.VOICE_MISSING) is Severity.RED
    three = ANA.model_copy(update={"date_of_birth": date(2023, 11, 16)})  # 36 months today
    assert severity([visit_on(day, three, child_words="", reason_words_not_recorded="Quiet.",
                              communication_methods=(
                                  CommunicationMethod.OBSERVATION_PRE_VERBAL,))],
                    day, FlagCode.VOICE_MISSING, three) is Severity.AMBER


# --- interpreter --------------------------------------------------------------------


def test_interpreter_missing_amber_family_interpreter_red_professional_none() -> None:
    polish = {"language_of_parents": "Polish"}
    day = date(2026, 11, 16)
    missing = only(flags([visit_on(day, visit=polish)], day), FlagCode.INTERPRETER_PROBLEM)
    assert missing is not None and missing.severity is Severity.AMBER
    assert missing.reason == ("The family speaks Polish, and no interpreter was recorded at "
                              "the visit on 16 Nov 2026.")
    family = {**polish, "interpreter": Interpreter(kind=InterpreterKind.CHILD, name="Ana")}
    red = only(flags([visit_on(day, visit=family)], day), FlagCode.INTERPRETER_PROBLEM)
    assert red is not None and red.severity is Severity.RED
    assert red.reason == ("At the visit on 16 Nov 2026 a child interpreted (Polish), not a "
                          "professional interpreter.")
    professional = {**polish, "interpreter": Interpreter(
        kind=InterpreterKind.PROFESSIONAL_TELEPHONE, name="Language Line 4411")}
    assert severity([visit_on(day, visit=professional)], day,
                    FlagCode.INTERPRETER_PROBLEM) is None
    # A deaf parent: a hearing relative signing for them is a family member interpreting.
    deaf = {"language_of_parents": "British Sign Language",
            "interpreter": Interpreter(kind=InterpreterKind.FAMILY_MEMBER, name="Aunt")}
    signed = only(flags([visit_on(day, visit=deaf)], day), FlagCode.INTERPRETER_PROBLEM)
    assert signed is not None and signed.severity is Severity.RED
    assert "(British Sign Language)" in signed.reason


def test_childs_first_language_counts_even_when_the_visit_says_english() -> None:
    child = ANA.model_copy(update={"first_language": "Polish"})
    day = date(2026, 11, 16)
    assert severity([visit_on(day, child)], day, FlagCode.INTERPRETER_PROBLEM, child) is (
        Severity.AMBER)


# --- injuries -----------------------------------------------------------------------


def injured(day: date, child: Child = ANA, **injury: Any) -> VisitOnRecord:
    return visit_on(day, child, injuries_seen=True, injuries=(make_injury(
        seen_at=at(day), **{"consistent_with_explanation": Consistency.YES, **injury}),))


def test_injury_is_amber_when_consistent_red_when_unsure_inconsistent_or_from_a_sibling() -> None:
    day = date(2026, 11, 16)
    assert severity([injured(day)], day, FlagCode.INJURY_RECORDED) is Severity.AMBER
    for changes in ({"consistent_with_explanation": Consistency.UNSURE},
                    {"consistent_with_explanation": Consistency.NO},
                    {"explanation_given_by": ExplanationSource.SIBLING}):
        assert severity([injured(day, **changes)], day, FlagCode.INJURY_RECORDED) is (
            Severity.RED), changes
    flag = only(flags([injured(day, explanation_given_by=ExplanationSource.SIBLING,
                               consistent_with_explanation=Consistency.UNSURE)], day),
                FlagCode.INJURY_RECORDED)
    assert flag is not None
    assert flag.reason == ("1 injury recorded on Ana at the visit on 16 Nov 2026: explained "
                           "by a sibling; unsure whether consistent with the explanation.")


def test_signing_off_a_visit_settles_its_injury_flag_returning_it_does_not() -> None:
    day = date(2026, 11, 16)
    signed = visit_on(day, reviews=(ReviewOutcome.SIGNED_OFF,), injuries_seen=True,
                      injuries=(make_injury(),))
    assert only(flags([signed], day), FlagCode.INJURY_RECORDED) is None
    returned = visit_on(day, reviews=(ReviewOutcome.RETURNED,), injuries_seen=True,
                        injuries=(make_injury(),))
    assert only(flags([returned], day), FlagCode.INJURY_RECORDED) is not None


def test_injury_to_a_child_under_two_with_mobility_unknown_is_red_at_23_not_24_months() -> None:
    day = date(2026, 11, 16)
    young = ANA.model_copy(update={"date_of_birth": date(2024, 12, 16)})  # 23 months
    flag = only(flags([injured(day, young, independently_mobile=None)], day, young),
                FlagCode.INJURY_NON_MOBILE)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason == ("Ana, aged 23 months, had 1 injury recorded at the visit on "
                           "16 Nov 2026, and whether they move independently is not recorded.")
    two = ANA.model_copy(update={"date_of_birth": date(2024, 11, 16)})  # 24 months today
    assert only(flags([injured(day, two, independently_mobile=None)], day, two),
                FlagCode.INJURY_NON_MOBILE) is None


def test_any_injury_to_a_child_who_is_not_mobile_is_red_at_any_age() -> None:
    day = date(2026, 11, 16)
    assert severity([injured(day, independently_mobile=False)], day,
                    FlagCode.INJURY_NON_MOBILE) is Severity.RED
    assert severity([injured(day, independently_mobile=True)], day,
                    FlagCode.INJURY_NON_MOBILE) is None
    unknown_age = ANA.model_copy(update={"date_of_birth": None})
    assert severity([injured(day, unknown_age, independently_mobile=None)], day,
                    FlagCode.INJURY_NON_MOBILE, unknown_age) is Severity.RED


def test_repeat_injuries_are_within_90_days_of_each_other_and_stay_however_long_ago() -> None:
    history = [injured(date(2026, 8, 18)), injured(date(2026, 11, 16))]  # 90 days apart
    flag = only(flags(history, date(2026, 11, 16)), FlagCode.REPEAT_INJURIES)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason == ("Ana had injuries recorded at 2 visits, each within 90 days of "
                           "another: 18 Aug 2026 and 16 Nov 2026; a team lead has not recorded "
                           "that they were considered together.")
    # Not counted back from today: nobody has looked at them together, so they still show.
    assert flag.worker_sentence == ("Injuries have now been recorded on Ana at 2 visits, each "
                                    "within 90 days of another: 18 Aug 2026 and 16 Nov 2026.")
    for later in (date(2026, 11, 17), date(2026, 12, 2), date(2027, 6, 1)):
        assert only(flags(history, later), FlagCode.REPEAT_INJURIES) == flag
    apart = [injured(date(2026, 8, 17)), injured(date(2026, 11, 16))]  # 91 days apart
    assert only(flags(apart, date(2026, 11, 16)), FlagCode.REPEAT_INJURIES) is None


def test_two_injuries_at_one_visit_are_not_repeat_injuries() -> None:
    day = date(2026, 11, 16)
    both = visit_on(day, injuries_seen=True, injuries=(make_injury(), make_injury()))
    assert only(flags([both], day), FlagCode.REPEAT_INJURIES) is None


def test_repeat_injuries_stay_after_sign_off() -> None:
    history = [visit_on(date(2026, 10, 5), reviews=(ReviewOutcome.SIGNED_OFF,),
                        injuries_seen=True, injuries=(make_injury(),)),
               injured(date(2026, 11, 16))]
    assert severity(history, date(2026, 11, 16), FlagCode.REPEAT_INJURIES) is Severity.RED


# --- adults, food, neglect, risk ----------------------------------------------------


def test_domestic_abuse_red_new_adult_amber_new_baby_no_flag() -> None:
    day = date(2026, 11, 16)
    abuse = {"adults_and_risk": AdultsAndRisk(domestic_abuse_since_last_visit=True,
                                              domestic_abuse_details="Police call-out.",
                                              household_changes=False)}
    assert severity([visit_on(day, visit=abuse)], day, FlagCode.DOMESTIC_ABUSE) is Severity.RED
    partner = {"people_present": (PersonPresent(name="Mark", relationship="mum's partner",
                                                new_to_household=True),)}
    flag = only(flags([visit_on(day, visit=partner)], day), FlagCode.NEW_ADULT)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == ("A new adult in the household (mum's partner) was recorded at the "
                           "visit on 16 Nov 2026.")
    baby = {"people_present": (PersonPresent(name="Lena", relationship="sister",
                                             date_of_birth=date(2026, 10, 1),
                                             new_to_household=True),)}
    assert only(flags([visit_on(day, visit=baby)], day), FlagCode.NEW_ADULT) is None


def test_food_concern_possible_amber_clear_red() -> None:
    day = date(2026, 11, 16)
    assert severity([visit_on(day, food_concern=FoodConcern.NONE)], day,
                    FlagCode.FOOD_OR_WEIGHT) is None
    assert severity([visit_on(day, food_concern=FoodConcern.POSSIBLE)], day,
                    FlagCode.FOOD_OR_WEIGHT) is Severity.AMBER
    assert severity([visit_on(day, food_concern=FoodConcern.CLEAR)], day,
                    FlagCode.FOOD_OR_WEIGHT) is Severity.RED


def test_gcp2_grade_four_is_red_three_is_not_and_worsening_is_amber() -> None:
    def graded(day: date, grade: int) -> VisitOnRecord:
        return visit_on(day, visit={"home": HomeConditions(description="Cold.",
                                                           gcp2_physical_care=grade)})

    assert severity([graded(date(2026, 11, 16), 3)], date(2026, 11, 16),
                    FlagCode.NEGLECT_GRADE) is None
    assert severity([graded(date(2026, 11, 16), 4)], date(2026, 11, 16),
                    FlagCode.NEGLECT_GRADE) is Severity.RED
    worse = [graded(date(2026, 11, 2), 2), graded(date(2026, 11, 16), 3)]
    flag = only(flags(worse, date(2026, 11, 16)), FlagCode.NEGLECT_GRADE)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == ("Graded Care Profile 2 at the visit on 16 Nov 2026: worse than "
                           "before: physical care 2 to 3.")


def test_low_risk_score_red_at_three_not_four_and_settled_by_escalation() -> None:
    day = date(2026, 11, 16)

    def scored(score: int, reviews: tuple[ReviewOutcome, ...] = ()) -> VisitOnRecord:
        return visit_on(day, reviews=reviews, visit={"adults_and_risk": AdultsAndRisk(
            domestic_abuse_since_last_visit=False, household_changes=False, risk_scale=score)})

    assert severity([scored(3)], day, FlagCode.LOW_RISK_SCORE) is Severity.RED
    assert severity([scored(4)], day, FlagCode.LOW_RISK_SCORE) is None
    assert severity([scored(2, (ReviewOutcome.ESCALATED,))], day, FlagCode.LOW_RISK_SCORE) is None
    # The review screen records sign-off, not escalation: a sign-off settles it, or nothing
    # a team lead can do would ever clear it.
    assert severity([scored(2, (ReviewOutcome.SIGNED_OFF,))], date(2026, 12, 20),
                    FlagCode.LOW_RISK_SCORE) is None


# --- recording and oversight --------------------------------------------------------


def test_late_recording_is_over_two_working_days_across_a_weekend() -> None:
    friday = date(2026, 11, 20)
    on_time = visit_on(friday, submitted=date(2026, 11, 24))  # Tuesday: 2 working days
    assert severity([on_time], date(2026, 11, 25), FlagCode.LATE_RECORDING) is None
    late = visit_on(friday, submitted=date(2026, 11, 25))
    flag = only(flags([late], date(2026, 11, 25)), FlagCode.LATE_RECORDING)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == ("The visit on 20 Nov 2026 was submitted on 25 Nov 2026, 3 working "
                           "days later (the standard is 2).")


def test_late_recording_skips_christmas_and_easter_bank_holidays() -> None:
    christmas_eve = date(2026, 12, 24)
    assert severity([visit_on(christmas_eve, submitted=date(2026, 12, 30))],
                    date(2026, 12, 30), FlagCode.LATE_RECORDING) is None
    assert severity([visit_on(christmas_eve, submitted=date(2026, 12, 31))],
                    date(2026, 12, 31), FlagCode.LATE_RECORDING) is Severity.AMBER
    maundy_thursday = date(2026, 4, 2)
    assert severity([visit_on(maundy_thursday, submitted=date(2026, 4, 8))],
                    date(2026, 4, 8), FlagCode.LATE_RECORDING) is None
    assert severity([visit_on(maundy_thursday, submitted=date(2026, 4, 9))],
                    date(2026, 4, 9), FlagCode.LATE_RECORDING) is Severity.AMBER


def test_a_visit_raising_a_red_flag_is_late_after_24_hours_not_2_working_days() -> None:
    red = injured(date(2026, 11, 16), explanation_given_by=ExplanationSource.SIBLING)
    ended = red.visit.ended_at
    assert ended is not None
    in_time = VisitOnRecord(red.visit, ended + timedelta(hours=24))
    assert severity([in_time], date(2026, 11, 17), FlagCode.LATE_RECORDING) is None
    late = VisitOnRecord(red.visit, ended + timedelta(hours=24, minutes=1))
    flag = only(flags([late], date(2026, 11, 17)), FlagCode.LATE_RECORDING)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason == ("The visit on 16 Nov 2026 raised a red flag and was submitted 25 "
                           "hours after it ended (the standard is 24 hours).")
    a_fortnight = VisitOnRecord(red.visit, ended + timedelta(hours=342, minutes=10))
    flag = only(flags([a_fortnight], date(2026, 12, 1)), FlagCode.LATE_RECORDING)
    assert flag is not None and flag.reason == (
        "The visit on 16 Nov 2026 raised a red flag and was submitted 14 days (343 hours) "
        "after it ended (the standard is 24 hours).")
    amber = injured(date(2026, 11, 16))
    next_day = VisitOnRecord(amber.visit, ended + timedelta(hours=30))
    assert severity([next_day], date(2026, 11, 17), FlagCode.LATE_RECORDING) is None


def test_the_visit_that_turns_a_streak_red_is_late_after_24_hours() -> None:
    def not_alone(day: date, hours_after: int) -> VisitOnRecord:
        made = visit_on(day, seen_alone=False, reason_not_seen_alone="Mother stayed.")
        ended = made.visit.ended_at
        assert ended is not None
        return VisitOnRecord(made.visit, ended + timedelta(hours=hours_after))

    # Monday's visit, submitted 30 hours after: not seen alone once is amber, so not late.
    first = not_alone(date(2026, 11, 9), 30)
    assert severity([first], date(2026, 11, 11), FlagCode.LATE_RECORDING) is None
    # The next Monday's makes it twice running (red): 30 hours is late, and red.
    second = not_alone(date(2026, 11, 16), 30)
    found = flags([first, second], date(2026, 11, 18))
    late = [f for f in found if f.code is FlagCode.LATE_RECORDING]
    assert [(f.severity, f.visit_ids) for f in late] == [(Severity.RED, (second.visit.id,))]
    assert late[0].reason == ("The visit on 16 Nov 2026 raised a red flag and was submitted "
                              "30 hours after it ended (the standard is 24 hours).")
    # In time, it is not late; and folded in either order, the same flags.
    assert only(flags([first, not_alone(date(2026, 11, 16), 20)], date(2026, 11, 18)),
                FlagCode.LATE_RECORDING) is None
    assert flags([second, first], date(2026, 11, 18)) == found


def test_the_visit_that_turns_the_not_seen_alone_pattern_red_is_late_after_24_hours() -> None:
    """Seen alone in between, the streak is one visit (amber); the pattern of two within the
    window is red, and the visit that made it raised it."""
    def submitted(made: VisitOnRecord, hours_after: int) -> VisitOnRecord:
        ended = made.visit.ended_at
        assert ended is not None
        return VisitOnRecord(made.visit, ended + timedelta(hours=hours_after))

    first = submitted(visit_on(date(2026, 11, 2), seen_alone=False,
                               reason_not_seen_alone="Mother stayed."), 2)
    between = submitted(visit_on(date(2026, 11, 9)), 2)
    third = submitted(visit_on(date(2026, 11, 16), seen_alone=False,
                               reason_not_seen_alone="Mother stayed."), 30)
    found = flags([first, between, third], date(2026, 11, 18))
    pattern = only(found, FlagCode.NOT_SEEN_ALONE_PATTERN)
    assert pattern is not None and pattern.severity is Severity.RED
    streak = only(found, FlagCode.NOT_SEEN_ALONE)
    assert streak is not None and streak.severity is Severity.AMBER
    late = [f for f in found if f.code is FlagCode.LATE_RECORDING]
    assert [(f.severity, f.visit_ids) for f in late] == [(Severity.RED, (third.visit.id,))]
    assert flags([third, first, between], date(2026, 11, 18)) == found


def test_a_no_access_visit_a_month_after_the_child_was_last_seen_is_late_after_24_hours(
        ) -> None:
    """"Not seen" turns red by time as well as by count: a no-access visit five weeks after
    the child was last seen raises it red, so it is due within 24 hours like any red flag."""
    seen = visit_on(date(2026, 10, 12))
    made = no_access(date(2026, 11, 16))
    ended = made.visit.ended_at
    assert ended is not None
    late = VisitOnRecord(made.visit, ended + timedelta(hours=30))
    found = flags([seen, late], date(2026, 11, 18))
    flag = only(found, FlagCode.LATE_RECORDING)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.visit_ids == (made.visit.id,) and "raised a red flag" in flag.reason
    # Two weeks after the child was seen, one no-access visit is amber: 30 hours is in time.
    soon = no_access(date(2026, 10, 26))
    ended = soon.visit.ended_at
    assert ended is not None
    assert only(flags([seen, VisitOnRecord(soon.visit, ended + timedelta(hours=30))],
                      date(2026, 10, 28)), FlagCode.LATE_RECORDING) is None


def test_sign_off_pending_after_five_working_days() -> None:
    monday = date(2026, 11, 16)
    waiting = [visit_on(monday)]
    assert severity(waiting, date(2026, 11, 23), FlagCode.SIGN_OFF_PENDING) is None
    flag = only(flags(waiting, date(2026, 11, 24)), FlagCode.SIGN_OFF_PENDING)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == ("The visit on 16 Nov 2026 has waited 6 working days for sign-off "
                           "(submitted 16 Nov 2026).")
    signed = [visit_on(monday, reviews=(ReviewOutcome.SIGNED_OFF,))]
    assert severity(signed, date(2026, 12, 24), FlagCode.SIGN_OFF_PENDING) is None


def test_sign_off_pending_counts_over_the_late_summer_bank_holiday() -> None:
    submitted = date(2026, 8, 25)  # Tuesday after the Monday bank holiday, 31 Aug next week
    history = [visit_on(submitted)]
    assert severity(history, date(2026, 9, 2), FlagCode.SIGN_OFF_PENDING) is None  # 5
    assert severity(history, date(2026, 9, 3), FlagCode.SIGN_OFF_PENDING) is Severity.AMBER


def test_returned_visit_waits_for_the_workers_addendum() -> None:
    day = date(2026, 11, 16)
    returned = visit_on(day, reviews=(ReviewOutcome.RETURNED,))
    flag = only(flags([returned], day), FlagCode.RETURNED_UNANSWERED)
    assert flag is not None
    assert flag.reason == ("The visit on 16 Nov 2026 was returned on 16 Nov 2026 and has not "
                           "been answered with an addendum.")
    answered = visit_on(day, reviews=(ReviewOutcome.RETURNED,), answered=True)
    assert only(flags([answered], day), FlagCode.RETURNED_UNANSWERED) is None


def test_device_not_synced_for_more_than_24_hours() -> None:
    now = at(date(2026, 11, 16), 12)
    exactly = child_flags(ANA, [], now=now, rules=RULES,
                          device_last_contact=now - timedelta(hours=24))
    assert only(exactly, FlagCode.DEVICE_NOT_SYNCED) is None
    over = child_flags(ANA, [], now=now, rules=RULES,
                       device_last_contact=now - timedelta(hours=24, seconds=1))
    flag = only(over, FlagCode.DEVICE_NOT_SYNCED)
    assert flag is not None and flag.severity is Severity.AMBER
    assert only(child_flags(ANA, [], now=now, rules=RULES), FlagCode.DEVICE_NOT_SYNCED) is None


# --- ordering, incremental use, the worker's view -----------------------------------


def test_flags_left_by_a_visit_are_those_naming_it() -> None:
    earlier, latest = injured(date(2026, 11, 9)), not_alone(date(2026, 11, 16))
    found = flags([earlier, latest], date(2026, 11, 16))
    left = flags_left_by(latest.visit.id, found)
    assert {f.code for f in left} == {FlagCode.NOT_SEEN_ALONE}
    assert only(found, FlagCode.INJURY_RECORDED) is not None


def test_visits_without_this_child_are_ignored() -> None:
    tomasz = make_child(CASE, given_name="Tomasz")
    other = not_alone(date(2026, 11, 16), tomasz)
    assert flags([other], date(2026, 11, 16)) == flags([], date(2026, 11, 16))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["fine", "not_alone", "no_access", "injury", "silent"]),
                min_size=1, max_size=7),
       st.integers(min_value=0, max_value=60), st.randoms(use_true_random=False))
def test_flags_do_not_depend_on_history_order_and_come_out_sorted(
    kinds: list[str], days_after: int, shuffler: random.Random
) -> None:
    made = {
        "fine": lambda d: visit_on(d),
        "not_alone": not_alone,
        "no_access": no_access,
        "injury": lambda d: injured(d, consistent_with_explanation=Consistency.UNSURE),
        "silent": lambda d: visit_on(d, child_words="", reason_words_not_recorded="Shy."),
    }
    history = [made[kind](date(2026, 9, 1) + timedelta(weeks=n)) for n, kind in enumerate(kinds)]
    today = history[-1].day + timedelta(days=days_after)
    found = flags(history, today)
    shuffled = history[:]
    shuffler.shuffle(shuffled)
    assert flags(shuffled, today) == found
    assert found == sorted(found, key=lambda f: f.sort_key)
    ids = {r.visit.id for r in history}
    assert all(set(f.visit_ids) <= ids and f.child_id == ANA.id for f in found)


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 1)))
def test_overdue_only_gets_worse_as_days_pass(last_seen: date) -> None:
    history = [visit_on(last_seen)]
    levels = [severity(history, last_seen + timedelta(days=n), FlagCode.VISIT_OVERDUE)
              for n in range(0, 24)]
    rank = {None: 0, Severity.AMBER: 1, Severity.RED: 2}
    assert [rank[level] for level in levels] == sorted(rank[level] for level in levels)
    assert levels[-1] is Severity.RED  # 24 days always exceed 10 working days
    assert levels[0] is None


def test_visit_time_is_read_in_england_not_utc() -> None:
    late_evening = datetime(2026, 7, 31, 23, 30, tzinfo=UTC)  # 00:30 BST on Sat 1 Aug
    record = visit_on(date(2026, 7, 31))
    moved = record.visit.model_copy(update={"started_at": late_evening})
    assert VisitOnRecord(moved, record.submitted_at).day == date(2026, 8, 1)


def test_caseload_pressure_is_more_children_than_the_standard_not_as_many() -> None:
    """The one test the dashboard and the managers' pages show caseload pressure by."""
    standard = FlagThresholds(caseload_children_per_worker=20)
    assert not standard.over_caseload(20)
    assert standard.over_caseload(21)


def test_a_share_is_rounded_down_on_every_screen() -> None:
    """199 of 200 visits on time is 99%: the laptop rounded to 100% where central said 99%."""
    assert percent(199, 200) == 99
    assert percent(200, 200) == 100
    assert percent(0, 0) is None


def test_a_kept_sighting_dates_the_next_visit_as_the_visit_it_stands_for_did() -> None:
    """A laptop whose purge took a child's last sighting folds the visits it still holds into
    `seen_before` that sighting: the flags naming each of them are those the whole history
    gives. Without it, a visit on time was called late, counted from the plan's start."""
    child = child_on(PlanType.CHILD_PROTECTION)
    purged = visit_on(date(2026, 11, 2), child)
    now = at(date(2026, 11, 30), 12)

    def naming(later: VisitOnRecord, history: list[VisitOnRecord],
               kept: bool = False) -> list[tuple[FlagCode, Severity]]:
        start = seen_before(child, last_seen(child.id, [purged.visit])) if kept else None
        found = child_flags(child, history, now=now, rules=RULES, start=start)
        return [(f.code, f.severity) for f in flags_left_by(later.visit.id, found)]

    on_time, late = visit_on(date(2026, 11, 13), child), visit_on(date(2026, 11, 27), child)
    for later in (on_time, late):
        assert naming(later, [later], kept=True) == naming(later, [purged, later])
    assert FlagCode.SEEN_LATE not in dict(naming(on_time, [on_time], kept=True))
    assert FlagCode.SEEN_LATE in dict(naming(on_time, [on_time]))  # counted from 1 Sep
    assert FlagCode.SEEN_LATE in dict(naming(late, [late], kept=True))
