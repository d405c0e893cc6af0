"""Canonical hashing: the same content always hashes the same; any change shows."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from records.canonical import canonical_json, from_canonical_json, record_hash
from records.case import PlanType
from records.validation import problems_before_submit
from records.visit import (
    ChildObservation,
    FoodConcern,
    InjuryObservation,
    Visit,
    VisitOutcome,
    VisitType,
)
from tests.factories import NOW, make_case, make_child

texts = st.text(max_size=40)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
centimetres = st.decimals(min_value=0, max_value=200, places=1, allow_nan=False)

injuries = st.builds(
    InjuryObservation,
    id=st.uuids(),
    length_cm=st.none() | centimetres,
    explanation_words=texts,
    child_account=texts,
    seen_at=st.none() | instants,
)

observations = st.builds(
    ChildObservation,
    child_id=st.uuids(),
    plan_type=st.sampled_from(PlanType),
    seen=st.none() | st.booleans(),
    seen_alone=st.none() | st.booleans(),
    reason_not_seen_alone=texts,
    child_words=texts,
    food_concern=st.none() | st.sampled_from(FoodConcern),
    injuries_seen=st.none() | st.booleans(),
    injuries=st.lists(injuries, max_size=2).map(tuple),
)

visits = st.builds(
    Visit,
    id=st.uuids(),
    case_id=st.uuids(),
    worker=texts,
    visit_type=st.none() | st.sampled_from(VisitType),
    outcome=st.none() | st.sampled_from(VisitOutcome),
    started_at=st.none() | instants,
    purpose=texts,
    analysis=texts,
    children=st.lists(observations, max_size=3).map(tuple),
)


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: _shuffled(item, rng) for key, item in items}
    if isinstance(value, list):
        return [_shuffled(item, rng) for item in value]
    return value


@given(visits, st.randoms(use_true_random=False))
def test_field_order_never_changes_the_hash(visit: Visit, rng: random.Random) -> None:
    reordered = json.dumps(_shuffled(visit.model_dump(mode="json"), rng))
    assert record_hash(Visit.model_validate_json(reordered)) == record_hash(visit)


@given(visits)
def test_canonical_json_reads_back_to_the_same_record(visit: Visit) -> None:
    again = from_canonical_json(Visit, canonical_json(visit))
    assert again == visit
    assert canonical_json(again) == canonical_json(visit)


@given(visits, texts)
def test_any_change_of_analysis_changes_the_hash(visit: Visit, analysis: str) -> None:
    changed = visit.model_copy(update={"analysis": analysis})
    assert (record_hash(changed) == record_hash(visit)) == (analysis == visit.analysis)


@given(visits, st.data())
def test_any_change_to_a_childs_words_changes_the_hash(visit: Visit, data: st.DataObject) -> None:
    if not visit.children:
        return
    index = data.draw(st.integers(0, len(visit.children) - 1))
    words = data.draw(texts.filter(lambda w: w != visit.children[index].child_words))
    children = list(visit.children)
    children[index] = children[index].model_copy(update={"child_words": words})
    assert record_hash(visit.model_copy(update={"children": tuple(children)})) != record_hash(
        visit
    )


@given(instants, st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_the_same_instant_in_any_time_zone_hashes_the_same(moment: datetime, minutes: int) -> None:
    visit_id, case_id = uuid.uuid4(), uuid.uuid4()
    local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    in_utc = Visit(id=visit_id, case_id=case_id, started_at=moment)
    in_local = Visit(id=visit_id, case_id=case_id, started_at=local)
    assert record_hash(in_utc) == record_hash(in_local)


@given(centimetres)
def test_equal_decimals_hash_the_same_and_are_never_floats(size: Decimal) -> None:
    injury_id = uuid.uuid4()
    plain = InjuryObservation(id=injury_id, length_cm=size)
    padded = InjuryObservation(id=injury_id, length_cm=Decimal(f"{size}0"))
    assert record_hash(plain) == record_hash(padded)
    assert b'"length_cm":"' in canonical_json(plain)


@settings(max_examples=200)
@given(visits)
def test_validation_never_raises_and_always_names_a_field(visit: Visit) -> None:
    case = make_case()
    child = make_child(case)
    known = {child.id: child}
    for problem in problems_before_submit(visit, known, now=NOW):
        assert problem.field
        assert problem.message.endswith(".")


@given(observations)
def test_not_seen_alone_without_a_reason_is_always_caught(observation: ChildObservation) -> None:
    case = make_case()
    child = make_child(case)
    observation = observation.model_copy(update={
        "child_id": child.id, "seen": True, "seen_alone": False, "reason_not_seen_alone": " "})
    visit = Visit(id=uuid.uuid4(), case_id=case.id, outcome=VisitOutcome.COMPLETED,
                  children=(observation,))
    fields = {p.field for p in problems_before_submit(visit, {child.id: child}, now=NOW)}
    assert "children.0.reason_not_seen_alone" in fields
