"""A child's flag state folded page by page, in any order, equals the state folded from the
whole history at once: the same flags and the same dashboard line, whatever order the visits
arrived in (a late-synced older visit included), however they were split into pages, on
whatever earlier days the pages were folded, and through the JSON the vault keeps."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records.case import Child, PlanType
from records.case_notes import AgencyKind
from records.child_state import child_state, child_state_of
from records.corrections import Addendum, ReviewDecision, ReviewOutcome
from records.flag_fold import ChildFold, fold_from_json, fold_to_json, fold_visits
from records.flag_types import local_day
from records.flags import FlagRules, VisitOnRecord, child_flags, flags_of_fold
from records.visit import (
    AdultsAndRisk,
    CommunicationMethod,
    FoodConcern,
    HomeConditions,
    VisitOutcome,
    VisitType,
)
from tests.factories import (
    make_case,
    make_child,
    make_injury,
    make_notification,
    make_observation,
    make_visit,
)

NOW = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
RULES = FlagRules()
CASE = make_case()
NOTE_IDS = (uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3))
HASH = "0" * 64

children = st.builds(
    lambda plan, born, placed: make_child(CASE, born=born, plan=plan).model_copy(
        update={"placement_start_date": placed}),
    st.sampled_from(PlanType),
    st.dates(date(2024, 6, 1), date(2026, 1, 1)),
    st.none() | st.dates(date(2026, 1, 1), date(2026, 11, 1)),
)

grades = st.none() | st.integers(1, 5)


@st.composite
def visits(draw: st.DrawFn, child: Child) -> VisitOnRecord:
    """One visit naming the child, with any mix of the facts the flags read."""
    # The windows' edges (90 days for injuries, 91 for the dashboard) drawn often.
    days_ago = draw(st.sampled_from((0, 89, 90, 91, 92)) | st.integers(0, 200))
    start = NOW - timedelta(days=days_ago, hours=draw(st.integers(1, 9)),
                            minutes=draw(st.sampled_from((0, 0, 30))))
    outcome = draw(st.sampled_from(VisitOutcome))
    hurt = draw(st.booleans())
    observation = make_observation(
        child, seen=draw(st.sampled_from((True, True, False, None))),
        seen_alone=draw(st.sampled_from((True, False, None))),
        bedroom_seen=draw(st.sampled_from((True, False, None))),
        spoken_to_alone=draw(st.sampled_from((True, False, None))),
        child_words=draw(st.sampled_from(("", "I like school."))),
        communication_methods=draw(st.sampled_from(
            ((CommunicationMethod.SPOKEN,), (CommunicationMethod.OBSERVATION_PRE_VERBAL,)))),
        food_concern=draw(st.sampled_from(FoodConcern)),
        baby_seen_awake=draw(st.sampled_from((True, False, None))),
        locks_on_outside_of_door=draw(st.booleans()) and draw(st.booleans()),
        notifications_followed_up=tuple(draw(st.sets(st.sampled_from(NOTE_IDS)))),
        injuries_seen=hurt, injuries=(make_injury(),) if hurt else ())
    visit = make_visit(
        CASE, [child], children=(observation,), started_at=start,
        ended_at=start + timedelta(hours=1), outcome=outcome,
        visit_type=draw(st.sampled_from((VisitType.STATUTORY, VisitType.STATUTORY,
                                         VisitType.CORE_GROUP, VisitType.ADDITIONAL))),
        language_of_parents=draw(st.sampled_from(("English", "Polish"))),
        home=HomeConditions(description="Warm.", gcp2_physical_care=draw(grades),
                            gcp2_safety=draw(grades)),
        adults_and_risk=AdultsAndRisk(
            domestic_abuse_since_last_visit=draw(st.booleans()),
            household_changes=draw(st.booleans()),
            risk_scale=draw(st.none() | st.integers(0, 10))))
    submitted = start + timedelta(hours=draw(st.integers(1, 100)))
    reviews: tuple[ReviewDecision, ...] = ()
    addenda: tuple[Addendum, ...] = ()
    decided = draw(st.sampled_from((None, None, ReviewOutcome.SIGNED_OFF,
                                    ReviewOutcome.RETURNED, ReviewOutcome.ESCALATED)))
    if decided is not None:
        review = ReviewDecision(id=uuid.uuid4(), visit_id=visit.id, visit_hash=HASH,
                                decided_at=submitted + timedelta(days=1), outcome=decided)
        reviews = (review,)
        if decided is ReviewOutcome.RETURNED and draw(st.booleans()):
            addenda = (Addendum(id=uuid.uuid4(), visit_id=visit.id, previous_hash=HASH,
                                written_at=submitted + timedelta(days=2),
                                answers_review_id=review.id),)
    return VisitOnRecord(visit=visit, submitted_at=submitted, reviews=reviews, addenda=addenda,
                         device_submitted_at=submitted - timedelta(hours=draw(
                             st.integers(0, 1))))


@st.composite
def arrivals(draw: st.DrawFn) -> tuple[Child, list[VisitOnRecord], list[list[VisitOnRecord]],
                                       list[int]]:
    """A child, their history, the same visits in pages in any order, and how many days
    before today each page was folded (the pull may span days; never after today)."""
    child = draw(children)
    history = draw(st.lists(visits(child), min_size=0, max_size=12))
    order = draw(st.permutations(history))
    cuts = sorted(draw(st.sets(st.integers(1, max(len(order) - 1, 1)), max_size=4)))
    pages = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
    pages = [page for page in pages if page] or [[]]
    lags = sorted(draw(st.lists(st.integers(0, 60), min_size=len(pages),
                                max_size=len(pages))), reverse=True)
    return child, history, pages, lags


def _notes(child: Child) -> list[object]:
    return [make_notification(CASE, [child], id=NOTE_IDS[0], received_on=date(2026, 10, 1)),
            make_notification(CASE, [child], id=NOTE_IDS[1], received_on=date(2026, 11, 10),
                              kind=AgencyKind.SCHOOL_CONCERN, child_seen_on=None,
                              reports_food_or_weight=True),
            make_notification(CASE, [child], id=NOTE_IDS[2], received_on=date(2026, 11, 12),
                              kind=AgencyKind.HEALTH_CONCERN, reports_injury=True)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrivals())
def test_folding_pages_in_any_order_equals_folding_the_whole_history(
        arrived: tuple[Child, list[VisitOnRecord], list[list[VisitOnRecord]], list[int]],
) -> None:
    child, history, pages, lags = arrived
    notes = _notes(child)
    state = ChildFold()
    for page, lag in zip(pages, lags, strict=True):
        state = fold_from_json(fold_to_json(state), child.id)  # as the vault keeps it
        fold_visits(state, child, page, local_day(NOW) - timedelta(days=lag), RULES)
    state = fold_from_json(fold_to_json(state), child.id)
    incremental = flags_of_fold(state, child, now=NOW, rules=RULES, notes=notes)  # type: ignore[arg-type]
    scratch = child_flags(child, history, now=NOW, rules=RULES, notes=notes)  # type: ignore[arg-type]
    assert incremental == scratch
    assert (child_state_of(state, child, incremental, NOW.date(), RULES)
            == child_state(child, history, scratch, NOW.date(), RULES))


def test_a_late_synced_older_visit_lands_inside_the_streak() -> None:
    """Two visits not seen alone were folded; a visit between them where the child was seen
    alone arrives later: the streak is only the newest visit, as from scratch, and the two
    stay red as a pattern no team lead has considered."""
    child = make_child(CASE)
    made = []
    for days_ago, alone in ((30, False), (20, True), (10, False)):
        start = NOW - timedelta(days=days_ago, hours=4)
        observation = make_observation(child, seen_alone=alone,
                                       reason_not_seen_alone="" if alone else "Mother present.")
        made.append(VisitOnRecord(
            visit=make_visit(CASE, [child], children=(observation,), started_at=start,
                             ended_at=start + timedelta(hours=1)),
            submitted_at=start + timedelta(hours=2)))
    first, late, last = made
    state = fold_visits(ChildFold(), child, [first, last], local_day(NOW), RULES)
    before = [f for f in flags_of_fold(state, child, now=NOW, rules=RULES)
              if f.code.value == "not_seen_alone"]
    assert [f.visit_ids for f in before] == [(first.visit.id, last.visit.id)]
    fold_visits(state, child, [late], local_day(NOW), RULES)
    after = flags_of_fold(state, child, now=NOW, rules=RULES)
    assert [f.visit_ids for f in after if f.code.value == "not_seen_alone"] == [
        (last.visit.id,)]
    (pattern,) = [f for f in after if f.code.value == "not_seen_alone_pattern"]
    assert pattern.visit_ids == (first.visit.id, last.visit.id)
    assert "each within 90 days of another" in pattern.reason
    assert after == child_flags(child, made, now=NOW, rules=RULES)
