"""The rules every screen shares (domain.md): last seen, timeliness as history, every
allocated child, headline severity, joined-up concerns, agency information between visits,
and the alerts a team lead was missing. Each test here failed on the code before."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from records.canonical import canonical_json
from records.case import PlanType
from records.case_notes import AgencyKind, AgencyNotification, ConcernConsidered, Supervision
from records.child_state import child_state
from records.corrections import ReviewOutcome
from records.flag_types import HEADLINE_ORDER, VisitOnRecord
from records.flags import FlagCode, Severity, child_flags, flags_left_by
from records.last_seen import last_seen, timeliness, timeliness_of_each
from records.schedule import VisitStandards, WorkingCalendar
from records.validation import problems_before_submit
from records.visit import (
    AdultsAndRisk,
    ExplanationSource,
    FoodConcern,
    Interpreter,
    InterpreterKind,
    Visit,
    VisitOutcome,
    VisitType,
)
from tests.factories import make_child, make_injury, make_observation, make_visit
from tests.records.test_flags import (
    ANA,
    CASE,
    RULES,
    at,
    child_on,
    flags,
    injured,
    no_access,
    only,
    visit_on,
)

CALENDAR = WorkingCalendar()
STANDARDS = VisitStandards()


def codes(found: list[Any]) -> set[FlagCode]:
    return {f.code for f in found}


def police(received: date, child_ids: tuple[uuid.UUID, ...] = (ANA.id,),
           kind: AgencyKind = AgencyKind.POLICE_DOMESTIC_ABUSE, **changes: Any
           ) -> AgencyNotification:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(), "case_id": CASE.id, "child_ids": child_ids,
        "source": "West Midlands Police", "kind": kind, "received_on": received,
        "summary": "Police called to the home at 23:10.", "entered_by": "M. Lead",
        "entered_at": at(received, 9)}
    return AgencyNotification(**(fields | changes))


# --- last seen: one rule ------------------------------------------------------------


def test_no_access_and_core_group_never_reset_the_clock() -> None:
    seen = visit_on(date(2026, 11, 2))  # Monday: due Monday 16 Nov
    no_access = visit_on(date(2026, 11, 13), seen=False, reason_not_seen="No answer",
                         seen_alone=None, visit={"outcome": VisitOutcome.NO_ACCESS,
                                                 "no_access_reasons": "No answer"})
    core_group = visit_on(date(2026, 11, 16), visit={"visit_type": VisitType.CORE_GROUP})
    history = [seen, no_access, core_group]
    found = last_seen(ANA.id, [r.visit for r in history])
    assert found.day == date(2026, 11, 2) and found.visit_id == seen.visit.id
    assert found.seen_alone is True
    overdue = only(flags(history, date(2026, 11, 18)), FlagCode.VISIT_OVERDUE)
    assert overdue is not None and overdue.severity is Severity.RED
    assert "last seen 2 Nov 2026" in overdue.reason


def test_child_not_seen_outcome_with_every_child_marked_seen_counts_as_not_seen() -> None:
    """A record that contradicts itself (validation refuses it) never resets the clock."""
    history = [visit_on(date(2026, 11, 2)),
               visit_on(date(2026, 11, 12), visit={"outcome": VisitOutcome.CHILD_NOT_SEEN})]
    assert last_seen(ANA.id, [r.visit for r in history]).day == date(2026, 11, 2)


def test_child_not_seen_outcome_is_decided_child_by_child() -> None:
    """Brothers and sisters visited together, one not seen: the outcome is "a child was not
    seen", and the one who was seen is seen — with whatever their own page says about being
    seen alone."""
    ben = make_child(CASE, given_name="Ben", born=date(2022, 5, 1))
    children = {ANA.id: ANA, ben.id: ben}

    def together(day: date) -> VisitOnRecord:
        start = at(day)
        made = make_visit(CASE, [ANA, ben], started_at=start,
                          ended_at=start + timedelta(hours=1),
                          outcome=VisitOutcome.CHILD_NOT_SEEN,
                          children=(make_observation(ANA, seen_alone=False,
                                                     reason_not_seen_alone="Mother stayed"),
                                    make_observation(ben, seen=False, seen_alone=None,
                                                     spoken_to_alone=None,
                                                     reason_not_seen="At his nan's")))
        assert [p.code for p in problems_before_submit(made, children, now=at(day, 17))] == []
        return VisitOnRecord(Visit.model_validate(made.model_dump()), at(day, 17))

    history = [together(date(2026, 11, 2)), together(date(2026, 11, 16))]
    visits = [r.visit for r in history]
    assert last_seen(ANA.id, visits).day == date(2026, 11, 16)
    assert last_seen(ben.id, visits).day is None
    ana = flags(history, date(2026, 11, 17))
    assert only(ana, FlagCode.CHILD_NOT_SEEN) is None
    alone = only(ana, FlagCode.NOT_SEEN_ALONE)
    assert alone is not None and alone.severity is Severity.RED
    benny = only(flags(history, date(2026, 11, 17), child=ben), FlagCode.CHILD_NOT_SEEN)
    assert benny is not None and "Ben was not seen" in benny.reason


def test_seen_alone_at_last_visit_comes_from_the_last_visit_where_seen() -> None:
    history = [visit_on(date(2026, 11, 2), seen_alone=False, reason_not_seen_alone="Mother"),
               visit_on(date(2026, 11, 9), seen=False, seen_alone=None)]
    found = last_seen(ANA.id, [r.visit for r in history])
    assert found.day == date(2026, 11, 2) and found.seen_alone is False


# --- timeliness is history ------------------------------------------------------------


def test_a_late_visit_stays_late_after_it_is_made() -> None:
    first = visit_on(date(2026, 11, 2))  # due 16 Nov
    late = visit_on(date(2026, 11, 18))  # two working days after
    on_time = timeliness(ANA, late.visit, [first.visit], STANDARDS, CALENDAR)
    assert on_time is not None and on_time.due == date(2026, 11, 16)
    assert on_time.days_late == 2 and not on_time.on_time
    found = flags([first, late], date(2026, 11, 19))
    assert only(found, FlagCode.VISIT_OVERDUE) is None  # live state: seen now
    seen_late = only(flags_left_by(late.visit.id, found), FlagCode.SEEN_LATE)
    assert seen_late is not None
    assert seen_late.reason == ("Ana was seen on 18 Nov 2026, 2 working days after the visit "
                                "was due (16 Nov 2026).")
    assert timeliness(ANA, first.visit, [], STANDARDS, CALENDAR) is not None


def test_a_visit_on_the_weekend_after_it_was_due_is_late() -> None:
    """Due Friday 20 Nov; seen on Sunday 22 Nov: late, though no working day came between."""
    first = visit_on(date(2026, 11, 6))  # a Friday: due Friday 20 Nov
    sunday = visit_on(date(2026, 11, 22))
    found = timeliness(ANA, sunday.visit, [first.visit], STANDARDS, CALENDAR)
    assert found is not None and found.due == date(2026, 11, 20)
    assert found.days_late == 1 and not found.on_time
    each = timeliness_of_each(ANA, [first.visit, sunday.visit], STANDARDS, CALENDAR)
    assert each[sunday.visit.id] == found
    on_the_day = timeliness(ANA, visit_on(date(2026, 11, 20)).visit, [first.visit], STANDARDS,
                            CALENDAR)
    assert on_the_day is not None and on_the_day.on_time


def test_a_visit_without_a_date_is_not_a_sighting_for_the_flags_either() -> None:
    """An incomplete record (no start time) is on the record but moves no clock: the flags
    and the child's state agree that she was last seen on 2 Nov."""
    seen = visit_on(date(2026, 11, 2))  # due 16 Nov
    undated = visit_on(date(2026, 11, 20))
    undated = VisitOnRecord(undated.visit.model_copy(update={"started_at": None,
                                                            "ended_at": None}),
                            undated.submitted_at)
    overdue = only(flags([seen, undated], date(2026, 11, 25)), FlagCode.VISIT_OVERDUE)
    assert overdue is not None and overdue.severity is Severity.RED
    assert "last seen 2 Nov 2026" in overdue.reason


# --- every allocated child ------------------------------------------------------------


def test_never_visited_child_on_a_plan_is_red_from_the_plan_start() -> None:
    overdue = only(flags([], date(2026, 12, 1)), FlagCode.VISIT_OVERDUE)  # plan from 1 Sep
    assert overdue is not None and overdue.severity is Severity.RED
    assert "no visit yet, counted from 1 Sep 2026" in overdue.reason


def test_a_child_with_no_start_date_and_no_visit_is_a_data_problem() -> None:
    nobody_knows = child_on(PlanType.CHILD_PROTECTION, plan_start_date=None)
    flag = only(flags([], date(2026, 12, 1), nobody_knows), FlagCode.NO_START_DATE)
    assert flag is not None and flag.severity is Severity.RED
    assert "no plan start date" in flag.reason


def test_a_child_seen_at_no_visit_is_never_silently_not_overdue() -> None:


    tried = [no_access(date(2026, 11, 2)), no_access(date(2026, 11, 9))]
    nobody_knows = ANA.model_copy(update={"plan_start_date": None})
    flag = only(flags(tried, date(2026, 11, 10), nobody_knows), FlagCode.NO_START_DATE)
    assert flag is not None and flag.severity is Severity.RED
    assert flag.reason.startswith("Ana has not been seen at any visit on record and no plan "
                                  "start date")
    # With a start date, the overdue flag does not say there was "no visit yet".
    overdue = only(flags(tried, date(2026, 11, 10)), FlagCode.VISIT_OVERDUE)
    assert overdue is not None
    assert "not seen at any visit yet, counted from 1 Sep 2026" in overdue.reason


# --- headline severity ----------------------------------------------------------------


def test_headline_is_the_most_serious_fact_not_the_alphabet() -> None:
    bruised = visit_on(
        date(2026, 11, 30), bedroom_seen=False, reason_bedroom_not_seen="Locked",
        injuries_seen=True,
        injuries=(make_injury(explanation_given_by=ExplanationSource.SIBLING,
                              consistent_with_explanation=None),),
        visit={"adults_and_risk": AdultsAndRisk(domestic_abuse_since_last_visit=True,
                                                domestic_abuse_details="Police called",
                                                household_changes=False)})
    earlier = visit_on(date(2026, 11, 23), bedroom_seen=False, reason_bedroom_not_seen="No")
    found = flags([earlier, bruised], date(2026, 12, 1))
    assert {FlagCode.BEDROOM_NOT_SEEN, FlagCode.INJURY_RECORDED,
            FlagCode.DOMESTIC_ABUSE} <= codes(found)
    assert found[0].code is FlagCode.INJURY_RECORDED and found[0].severity is Severity.RED
    reds = [f.code for f in found if f.severity is Severity.RED]
    assert reds.index(FlagCode.DOMESTIC_ABUSE) < reds.index(FlagCode.BEDROOM_NOT_SEEN)


def test_headline_order_names_every_flag_once() -> None:
    assert sorted(HEADLINE_ORDER) == sorted(FlagCode)
    assert len(set(HEADLINE_ORDER)) == len(HEADLINE_ORDER)
    assert HEADLINE_ORDER[0] is FlagCode.INJURY_NON_MOBILE
    assert HEADLINE_ORDER[-1] is FlagCode.DEVICE_NOT_SYNCED


# --- joined up ------------------------------------------------------------------------


def hungry(day: date, **kw: Any) -> Any:
    return visit_on(day, food_concern=FoodConcern.POSSIBLE,
                    food_concern_details="Took food from the bin.", **kw)


def test_two_possible_food_concerns_escalate_and_survive_sign_off() -> None:
    history = [hungry(date(2026, 10, 19), reviews=(ReviewOutcome.SIGNED_OFF,)),
               hungry(date(2026, 11, 2), reviews=(ReviewOutcome.SIGNED_OFF,))]
    flag = only(flags(history, date(2026, 11, 5)), FlagCode.REPEATED_FOOD_CONCERN)
    assert flag is not None and flag.severity is Severity.RED
    assert "2 times" in flag.reason
    assert flag.visit_ids == tuple(r.visit.id for r in history)


def test_a_team_lead_considering_the_pattern_settles_it_until_it_repeats() -> None:
    history = [hungry(date(2026, 10, 19)), hungry(date(2026, 11, 2))]
    considered = ConcernConsidered(
        id=uuid.uuid4(), case_id=CASE.id, child_ids=(ANA.id,),
        flag_code=FlagCode.REPEATED_FOOD_CONCERN.value,
        decision="Referral to school nurse; weigh at each visit.",
        considered_by="M. Lead", considered_at=at(date(2026, 11, 4)))
    assert only(flags(history, date(2026, 11, 5), notes=[considered]),
                FlagCode.REPEATED_FOOD_CONCERN) is None
    again = [*history, hungry(date(2026, 11, 16))]
    assert only(flags(again, date(2026, 11, 17), notes=[considered]),
                FlagCode.REPEATED_FOOD_CONCERN) is not None


def considered(code: FlagCode, when: datetime) -> ConcernConsidered:
    return ConcernConsidered(
        id=uuid.uuid4(), case_id=CASE.id, child_ids=(ANA.id,), flag_code=code.value,
        decision="Strategy discussion held; plan updated.", considered_by="M. Lead",
        considered_at=when)


def test_a_food_pattern_stays_after_its_window_until_it_is_considered() -> None:
    history = [visit_on(date(2026, 9, 1), food_concern=FoodConcern.CLEAR,
                        food_concern_details="Very thin.", reviews=(ReviewOutcome.SIGNED_OFF,)),
               visit_on(date(2026, 10, 20), food_concern=FoodConcern.CLEAR,
                        food_concern_details="Hungry.", reviews=(ReviewOutcome.SIGNED_OFF,))]
    for today in (date(2026, 11, 30), date(2026, 12, 1), date(2027, 3, 1)):
        flag = only(flags(history, today), FlagCode.REPEATED_FOOD_CONCERN)
        assert flag is not None and flag.severity is Severity.RED, today
        assert "2 times between 1 Sep 2026 and 20 Oct 2026" in flag.reason
    settled = considered(FlagCode.REPEATED_FOOD_CONCERN, at(date(2026, 12, 1), 9))
    assert only(flags(history, date(2026, 12, 2), notes=[settled]),
                FlagCode.REPEATED_FOOD_CONCERN) is None


def test_repeat_injuries_stay_until_considered_and_a_new_one_raises_them_again() -> None:
    history = [injured(date(2026, 9, 1)), injured(date(2026, 11, 27))]
    # The 27 Nov visit reached the team lead on 2 Dec: the pattern is there to see.
    assert only(flags(history, date(2026, 12, 2)), FlagCode.REPEAT_INJURIES) is not None
    settled = considered(FlagCode.REPEAT_INJURIES, at(date(2026, 12, 3), 9))
    assert only(flags(history, date(2026, 12, 4), notes=[settled]),
                FlagCode.REPEAT_INJURIES) is None
    # Signing off food does not settle injuries: each pattern is considered on its own.
    food = considered(FlagCode.REPEATED_FOOD_CONCERN, at(date(2026, 12, 3), 9))
    assert only(flags(history, date(2026, 12, 4), notes=[food]),
                FlagCode.REPEAT_INJURIES) is not None
    again = [*history, injured(date(2026, 12, 10))]
    flag = only(flags(again, date(2026, 12, 10), notes=[settled]), FlagCode.REPEAT_INJURIES)
    assert flag is not None and flag.visit_ids == (history[1].visit.id, again[2].visit.id)


def test_a_concern_entered_after_the_decision_is_not_settled_by_it() -> None:
    history = [hungry(date(2026, 11, 2)), hungry(date(2026, 11, 10))]
    settled = considered(FlagCode.REPEATED_FOOD_CONCERN, at(date(2026, 11, 12), 9))
    assert only(flags(history, date(2026, 11, 12), notes=[settled]),
                FlagCode.REPEATED_FOOD_CONCERN) is None
    # A visit the same afternoon (submitted at 17:00), after the decision at 09:00.
    same_day = [*history, hungry(date(2026, 11, 12))]
    assert only(flags(same_day, date(2026, 11, 12), notes=[settled]),
                FlagCode.REPEATED_FOOD_CONCERN) is not None
    # A school's report received on 11 Nov, typed in on 14 Nov: not part of the decision.
    school = police(date(2026, 11, 11), kind=AgencyKind.SCHOOL_CONCERN,
                    source="Little Heath Primary", entered_at=at(date(2026, 11, 14), 9))
    flag = only(flags(history, date(2026, 11, 14), notes=[settled, school]),
                FlagCode.REPEATED_FOOD_CONCERN)
    assert flag is not None and "Little Heath Primary on 11 Nov 2026" in flag.reason
    entered_before = police(date(2026, 11, 11), kind=AgencyKind.SCHOOL_CONCERN,
                            source="Little Heath Primary", entered_at=at(date(2026, 11, 11), 9))
    assert only(flags(history, date(2026, 11, 14), notes=[settled, entered_before]),
                FlagCode.REPEATED_FOOD_CONCERN) is None


def test_a_decision_settles_only_the_concerns_the_team_lead_saw() -> None:
    """A worker's visit of 10 Nov, submitted that day but not synced until after the team
    lead's decision of 12 Nov, was never seen by them: it raises the pattern again. A
    decision recorded before decisions named their concerns settled it by time alone."""
    seen = [hungry(date(2026, 11, 2)), hungry(date(2026, 11, 9))]
    school = police(date(2026, 11, 5), kind=AgencyKind.SCHOOL_CONCERN,
                    source="Little Heath Primary", reports_injury=False,
                    reports_food_or_weight=True)
    decided = considered(FlagCode.REPEATED_FOOD_CONCERN, at(date(2026, 11, 12), 9)).model_copy(
        update={"covered": (seen[0].visit.id, seen[1].visit.id, school.id)})
    assert only(flags(seen, date(2026, 11, 14), notes=[decided, school]),
                FlagCode.REPEATED_FOOD_CONCERN) is None
    unsynced = hungry(date(2026, 11, 10))
    flag = only(flags([*seen, unsynced], date(2026, 11, 14), notes=[decided, school]),
                FlagCode.REPEATED_FOOD_CONCERN)
    assert flag is not None and unsynced.visit.id in flag.visit_ids
    by_time = decided.model_copy(update={"covered": ()})
    assert only(flags([*seen, unsynced], date(2026, 11, 14), notes=[by_time, school]),
                FlagCode.REPEATED_FOOD_CONCERN) is None
    assert '"covered"' not in canonical_json(by_time).decode()  # its hash as it was signed


def test_hunger_seen_at_school_joins_up_with_hunger_seen_at_home() -> None:
    school = police(date(2026, 10, 20), kind=AgencyKind.SCHOOL_CONCERN,
                    source="Little Heath Primary")
    flag = only(flags([hungry(date(2026, 11, 2))], date(2026, 11, 5), notes=[school]),
                FlagCode.REPEATED_FOOD_CONCERN)
    assert flag is not None and "Little Heath Primary on 20 Oct 2026" in flag.reason


def test_a_school_s_report_of_a_bruise_joins_the_injuries_not_the_food_concerns() -> None:
    bruise = police(date(2026, 11, 20), kind=AgencyKind.SCHOOL_CONCERN,
                    source="Little Heath Primary", reports_injury=True,
                    reports_food_or_weight=False)
    found = flags([injured(date(2026, 11, 2)), hungry(date(2026, 11, 2))], date(2026, 11, 24),
                  notes=[bruise])
    flag = only(found, FlagCode.REPEAT_INJURIES)
    assert flag is not None
    assert flag.reason.startswith("Ana had injuries recorded 2 times, each within")
    assert "visit on 2 Nov 2026 and Little Heath Primary on 20 Nov 2026" in flag.reason
    assert only(found, FlagCode.REPEATED_FOOD_CONCERN) is None


def test_a_police_report_of_an_injury_and_hunger_joins_both_patterns() -> None:
    report = police(date(2026, 11, 20), reports_injury=True, reports_food_or_weight=True)
    found = flags([injured(date(2026, 11, 2)), hungry(date(2026, 11, 3))], date(2026, 11, 24),
                  notes=[report])
    flag = only(found, FlagCode.REPEAT_INJURIES)
    assert flag is not None and flag.reason.endswith("West Midlands Police on 20 Nov 2026; "
                                                     "a team lead has not recorded that they "
                                                     "were considered together.")
    assert only(found, FlagCode.REPEATED_FOOD_CONCERN) is not None
    siblings = report.model_copy(update={"child_ids": (ANA.id, uuid.uuid4())})
    flag = only(flags([injured(date(2026, 11, 2))], date(2026, 11, 24), notes=[siblings]),
                FlagCode.REPEAT_INJURIES)
    assert flag is not None
    assert "West Midlands Police on 20 Nov 2026 (a report about more than one child)" \
        in flag.reason
    # One injury at a visit alone is not a pattern; nor is a report that says none.
    neither = police(date(2026, 11, 20), kind=AgencyKind.HEALTH_CONCERN,
                     reports_injury=False, reports_food_or_weight=False)
    found = flags([injured(date(2026, 11, 2)), hungry(date(2026, 11, 3))], date(2026, 11, 24),
                  notes=[neither])
    assert only(found, FlagCode.REPEAT_INJURIES) is None
    assert only(found, FlagCode.REPEATED_FOOD_CONCERN) is None


def test_a_note_written_before_the_questions_counts_as_it_always_did() -> None:
    """School and health notes from before the questions count as food or weight concerns,
    as they always did, and keep the canonical form (and so the hash) they were signed in."""
    school = police(date(2026, 10, 20), kind=AgencyKind.SCHOOL_CONCERN)
    assert school.about_food_or_weight and not school.about_injury
    assert not police(date(2026, 10, 20)).about_food_or_weight
    text = canonical_json(school).decode()
    assert "reports_injury" not in text and "reports_food_or_weight" not in text
    answered = school.model_copy(update={"reports_injury": False,
                                         "reports_food_or_weight": False})
    assert not answered.about_food_or_weight
    assert '"reports_food_or_weight":false' in canonical_json(answered).decode()
    with pytest.raises(ValidationError, match="answered together"):
        police(date(2026, 10, 20), reports_injury=True)


def test_repeat_injuries_from_visits_alone_are_worded_as_visits() -> None:
    flag = only(flags([injured(date(2026, 11, 2)), injured(date(2026, 11, 9))],
                      date(2026, 11, 12)), FlagCode.REPEAT_INJURIES)
    assert flag is not None
    assert "recorded at 2 visits, each within 90 days of another: 2 Nov 2026 and 9 Nov 2026" \
        in flag.reason


# --- agency information between visits ------------------------------------------------


def test_police_notification_is_red_until_discussed_with_the_child_alone() -> None:
    note = police(date(2026, 11, 3))
    before = [visit_on(date(2026, 11, 2))]
    flag = only(flags(before, date(2026, 11, 4), notes=[note]),
                FlagCode.AGENCY_NOT_FOLLOWED_UP)
    assert flag is not None and flag.severity is Severity.RED
    assert "West Midlands Police" in flag.reason
    not_alone = visit_on(date(2026, 11, 9), seen_alone=False, reason_not_seen_alone="Father",
                         notifications_followed_up=(note.id,))
    assert only(flags([*before, not_alone], date(2026, 11, 10), notes=[note]),
                FlagCode.AGENCY_NOT_FOLLOWED_UP) is not None
    alone = visit_on(date(2026, 11, 9), notifications_followed_up=(note.id,))
    assert only(flags([*before, alone], date(2026, 11, 10), notes=[note]),
                FlagCode.AGENCY_NOT_FOLLOWED_UP) is None


def test_notes_about_another_child_are_ignored() -> None:
    other = police(date(2026, 11, 3), child_ids=(uuid.uuid4(),))
    assert only(flags([visit_on(date(2026, 11, 2))], date(2026, 11, 4), notes=[other]),
                FlagCode.AGENCY_NOT_FOLLOWED_UP) is None


# --- alerts that were missing ---------------------------------------------------------


def test_case_not_supervised_for_a_month_on_child_protection() -> None:
    history = [visit_on(date(2026, 11, 23))]
    flag = only(flags(history, date(2026, 11, 25)), FlagCode.CASE_NOT_SUPERVISED)
    assert flag is not None and "no supervision recorded" in flag.reason  # plan from 1 Sep
    supervised = Supervision(id=uuid.uuid4(), case_id=CASE.id, child_ids=(ANA.id,),
                             supervised_on=date(2026, 11, 10), supervisor="M. Lead",
                             entered_at=at(date(2026, 11, 10)))
    assert only(flags(history, date(2026, 11, 25), notes=[supervised]),
                FlagCode.CASE_NOT_SUPERVISED) is None
    assert only(flags(history, date(2026, 12, 11), notes=[supervised]),
                FlagCode.CASE_NOT_SUPERVISED) is not None


def test_a_new_placement_does_not_restart_a_looked_after_case_s_supervision_clock() -> None:
    moved = child_on(PlanType.LOOKED_AFTER, plan_start_date=date(2025, 1, 6),
                     placement_start_date=date(2026, 10, 20))
    history = [visit_on(date(2026, 10, 27), moved)]
    flag = only(flags(history, date(2026, 11, 10), moved), FlagCode.CASE_NOT_SUPERVISED)
    assert flag is not None
    assert flag.reason.endswith("(no supervision recorded since the plan began on "
                                "6 Jan 2025).")
    placed_only = moved.model_copy(update={"plan_start_date": None})
    flag = only(flags(history, date(2026, 12, 22), placed_only), FlagCode.CASE_NOT_SUPERVISED)
    assert flag is not None and "since the placement began on 20 Oct 2026" in flag.reason


def test_not_seen_by_any_agency_for_six_weeks_unless_an_agency_saw_the_child() -> None:
    history = [visit_on(date(2026, 10, 1))]
    flag = only(flags(history, date(2026, 11, 13)), FlagCode.NOT_SEEN_BY_ANY_AGENCY)
    assert flag is not None and flag.severity is Severity.RED and "43 days" in flag.reason
    school_saw = police(date(2026, 11, 10), kind=AgencyKind.SCHOOL_CONCERN,
                        source="Little Heath Primary", child_seen_on=date(2026, 11, 10))
    assert only(flags(history, date(2026, 11, 13), notes=[school_saw]),
                FlagCode.NOT_SEEN_BY_ANY_AGENCY) is None


def test_looked_after_child_not_spoken_to_alone_reg_29() -> None:
    looked_after = child_on(PlanType.LOOKED_AFTER, placement_start_date=date(2026, 9, 1))
    history = [visit_on(date(2026, 11, 2), looked_after, spoken_to_alone=False,
                        reason_not_spoken_to_alone="Carer stayed")]
    flag = only(flags(history, date(2026, 11, 3), looked_after), FlagCode.NOT_SPOKEN_TO_ALONE)
    assert flag is not None and flag.severity is Severity.AMBER


def test_a_blank_spoken_to_alone_answer_neither_breaks_nor_extends_the_streak() -> None:
    """Two visits where a looked-after child was not spoken to alone are red; an incomplete
    record between them (central keeps it, flagged) with the answer left blank says nothing
    either way: the two stay red, and the blank is not counted as a third."""
    looked_after = child_on(PlanType.LOOKED_AFTER, placement_start_date=date(2026, 9, 1))

    def not_private(day: date) -> VisitOnRecord:
        return visit_on(day, looked_after, spoken_to_alone=False,
                        reason_not_spoken_to_alone="Carer stayed")

    blank = visit_on(date(2026, 11, 9), looked_after, spoken_to_alone=None,
                     reason_not_spoken_to_alone="")
    history = [not_private(date(2026, 11, 2)), blank, not_private(date(2026, 11, 16))]
    flag = only(flags(history, date(2026, 11, 16), looked_after), FlagCode.NOT_SPOKEN_TO_ALONE)
    assert flag is not None and flag.severity is Severity.RED
    assert blank.visit.id not in flag.visit_ids and len(flag.visit_ids) == 2
    spoken = visit_on(date(2026, 11, 9), looked_after)  # answered: spoken to alone
    broken = only(flags([history[0], spoken, history[2]], date(2026, 11, 16), looked_after),
                  FlagCode.NOT_SPOKEN_TO_ALONE)
    assert broken is not None and broken.severity is Severity.AMBER


def test_baby_not_seen_awake_and_lock_on_the_outside_of_the_door() -> None:
    baby = child_on(PlanType.CHILD_PROTECTION, date_of_birth=date(2026, 6, 1))
    history = [visit_on(date(2026, 11, 2), baby, baby_seen_awake=False,
                        locks_on_outside_of_door=True)]
    found = flags(history, date(2026, 11, 3), baby)
    awake, locked = only(found, FlagCode.BABY_NOT_SEEN_AWAKE), only(found, FlagCode.LOCKED_IN)
    assert awake is not None and awake.severity is Severity.RED
    assert locked is not None and locked.severity is Severity.RED


# --- interpreters ---------------------------------------------------------------------


def test_no_interpreter_available_is_recorded_honestly_and_red() -> None:
    visit = {"language_of_parents": "Polish",
             "interpreter": Interpreter(kind=InterpreterKind.NONE_AVAILABLE,
                                        reason_none_available="None free before 6 pm")}
    flag = only(flags([visit_on(date(2026, 11, 2), visit=visit)], date(2026, 11, 3)),
                FlagCode.INTERPRETER_PROBLEM)
    assert flag is not None and flag.severity is Severity.RED
    assert "None free before 6 pm" in flag.reason


def test_a_language_is_named_once() -> None:
    visit = {"language_of_parents": "Polish and English", "language_of_children": "polish",
             "interpreter": Interpreter(kind=InterpreterKind.FAMILY_MEMBER)}
    flag = only(flags([visit_on(date(2026, 11, 2), visit=visit)], date(2026, 11, 3)),
                FlagCode.INTERPRETER_PROBLEM)
    assert flag is not None and "(Polish)" in flag.reason


# --- records signed before these fields keep their hash --------------------------------


def test_a_visit_without_the_new_fields_keeps_its_canonical_form() -> None:
    visit = make_visit(CASE, [ANA], interpreter=Interpreter(kind=InterpreterKind.CHILD))
    text = canonical_json(visit).decode()
    assert "notifications_followed_up" not in text and "reason_none_available" not in text
    noted = visit.model_copy(update={"children": (visit.children[0].model_copy(
        update={"notifications_followed_up": (uuid.uuid4(),)}),)})
    assert "notifications_followed_up" in canonical_json(noted).decode()


def test_child_flags_takes_notes_keyword() -> None:
    found = child_flags(ANA, [], now=datetime(2026, 12, 1, tzinfo=UTC), rules=RULES, notes=())
    assert FlagCode.VISIT_OVERDUE in codes(found)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 3), st.integers(0, 6)),
                max_size=10),
       st.sampled_from(list(PlanType)))
def test_timeliness_in_one_pass_agrees_visit_by_visit(
        visits: list[tuple[int, int, int]], plan: PlanType) -> None:
    """`timeliness_of_each` (one pass, used for whole children) and `timeliness` (one visit)
    are the same rule."""
    child = child_on(plan, placement_start_date=date(2026, 8, 1)
                     if plan is PlanType.LOOKED_AFTER else None)
    made = []
    for days, kind, hour in visits:
        record = visit_on(date(2026, 9, 1) + timedelta(days=days), child,
                          **({} if kind == 0 else {"seen": False, "seen_alone": None}
                             if kind == 1 else {}),
                          visit={"outcome": VisitOutcome.NO_ACCESS} if kind == 2 else
                          {"visit_type": VisitType.CORE_GROUP} if kind == 3 else {})
        start = record.visit.started_at
        assert start is not None
        made.append(record.visit.model_copy(update={"started_at": start.replace(hour=8 + hour)}))
    each = timeliness_of_each(child, made, STANDARDS, CALENDAR)
    for visit in made:
        assert each.get(visit.id) == timeliness(child, visit, made, STANDARDS, CALENDAR)


def test_timeliness_is_judged_by_the_plan_the_visit_was_made_under() -> None:
    """Stepped down from child protection to child in need: the CP visits made late stay
    late (10 working days then), and the CIN standard judges only what comes after."""
    cp_then = [visit_on(date(2026, 11, 2)), visit_on(date(2026, 11, 25))]  # due 16 Nov
    now_cin = ANA.model_copy(update={"plan_type": PlanType.CHILD_IN_NEED})
    each = timeliness_of_each(now_cin, [r.visit for r in cp_then], STANDARDS, CALENDAR)
    late = each[cp_then[1].visit.id]
    assert late.due == date(2026, 11, 16) and late.days_late == 7
    alone = timeliness(now_cin, cp_then[1].visit, [cp_then[0].visit], STANDARDS, CALENDAR)
    assert alone == late
    found = flags(cp_then, date(2026, 11, 26), child=now_cin)
    seen_late = only(flags_left_by(cp_then[1].visit.id, found), FlagCode.SEEN_LATE)
    assert seen_late is not None and "7 working days after" in seen_late.reason


def test_a_placement_that_began_after_a_visit_is_not_what_the_visit_was_measured_from() -> None:
    """Placed on 1 Dec: visits in September and October are judged as they were then (six
    weeks apart), not as the first visit of a placement that had not begun."""
    placed = ANA.model_copy(update={"plan_type": PlanType.LOOKED_AFTER,
                                    "placement_start_date": date(2026, 12, 1)})
    history = [visit_on(day, placed, plan_type=PlanType.LOOKED_AFTER)
               for day in (date(2026, 9, 7), date(2026, 10, 12))]
    each = timeliness_of_each(placed, [r.visit for r in history], STANDARDS, CALENDAR)
    second = each[history[1].visit.id]
    assert second.due == date(2026, 10, 19) and second.on_time  # 7 Sep + 6 weeks


def test_two_visits_on_the_day_a_plan_changes_are_each_judged_by_their_own_plan() -> None:
    """A CP visit in the morning and a CIN one in the afternoon: the dashboard's "seen on
    time" counts each as the chronology does, whichever order the visits were synced in."""
    now_cin = ANA.model_copy(update={"plan_type": PlanType.CHILD_IN_NEED})
    first = visit_on(date(2026, 11, 2), now_cin, plan_type=PlanType.CHILD_PROTECTION)
    morning = visit_on(date(2026, 11, 23), now_cin, plan_type=PlanType.CHILD_PROTECTION)
    afternoon = VisitOnRecord(morning.visit.model_copy(update={
        "id": uuid.uuid4(), "started_at": morning.visit.started_at + timedelta(hours=5),
        "ended_at": morning.visit.ended_at + timedelta(hours=5),
        "children": (morning.visit.children[0].model_copy(
            update={"plan_type": PlanType.CHILD_IN_NEED}),)}), morning.submitted_at)
    today = date(2026, 11, 24)
    each = timeliness_of_each(now_cin, [r.visit for r in (first, morning, afternoon)],
                              STANDARDS, CALENDAR)
    on_time = sum(1 for t in each.values() if t.on_time)
    assert not each[morning.visit.id].on_time and each[afternoon.visit.id].on_time
    for order in ([first, morning, afternoon], [afternoon, first, morning],
                  [morning, afternoon, first]):
        found = flags(order, today, child=now_cin)
        state = child_state(now_cin, order, found, today, RULES)
        assert (state.seen_recently, state.seen_on_time_recently) == (len(each), on_time)


def test_a_plans_first_visit_is_not_judged_against_a_plan_that_began_after_it() -> None:
    """CP from 5 Jan, first seen 20 Feb (late); stepped down to CIN from 1 Jun: the February
    visit is not made "on time" by counting from June."""
    cin = ANA.model_copy(update={"plan_type": PlanType.CHILD_IN_NEED,
                                 "plan_start_date": date(2026, 6, 1)})
    february = visit_on(date(2026, 2, 20), cin, plan_type=PlanType.CHILD_PROTECTION)
    assert timeliness(cin, february.visit, [], STANDARDS, CALENDAR) is None
