"""A rule that changes what a stored flag says must bump `RULES_VERSION`, or the team lead's
laptop and central keep showing what the old rule said until the next day's refresh.

The fingerprint is what the rules say about a fixed set of children's histories: every
flag's kind, colour, sentences and start, each child's due date and dashboard line. Change a
rule (or its words) and the fingerprint changes; the test then says to bump the version and
record the new fingerprint beside it."""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from datetime import date, timedelta
from typing import Any

from records.case import Child, PlanType
from records.case_notes import AgencyKind, AgencyNotification
from records.child_state import child_state
from records.flag_types import RULES_VERSION
from records.flags import FlagRules, child_flags
from records.schedule import WorkingCalendar
from records.visit import Consistency, ExplanationSource, FoodConcern, VisitOutcome
from tests.factories import make_injury
from tests.records.test_flags import CASE, at, child_on, visit_on

FINGERPRINTS = {
    2: "77faa8064d2e0a0fad6f8b02da8afbc751e2b2eaa7381fa638c8c3688d413c85",
    3: "379b201ee456da7354682d92f587e368ee85f8f6a471dd3753575e14bcaecf08",
    4: "abcecae719b122d9f5154b1d5d23b6c77d3f977c6215411cbd6a59b43c66b4b8",
    5: "f5569f24bcc68a7f2ffe1deea1d016c9b172124f9e502407e3a2482f60352087",
    # The histories hold no signed-off low score, so 5 and 6 print the same.
    6: "f5569f24bcc68a7f2ffe1deea1d016c9b172124f9e502407e3a2482f60352087",
    7: "4eea91b5081f82c33271620b1abc41a28f90c276f3515a34cab3696610ecdcf8",
    8: "0bb2dbedd896ad8f414c4cd259f64930e612fd08f5485831bf2e49780d27f7e1",
    # From 9 the histories also hold other agencies' reports (`_agency_note`).
    9: "53c924d7b02e2101833b4ee2c06836181e228da03f8eb0540aea49b308bab5eb",
    10: "e657772788f649c474a75d555bd27eee5549d45bfec1f5acbab084b69a6e94cc",
    11: "4c12a7f30ee65b6bb5b57782b208402c4cc81ed1fdef314d9ba9822f2f6ee455",
    12: "4ae8656b8f8095e5fcc6e83b98ea68a838f7f4489fbf057c89e42e6a301b19e2",
    # The histories are of one child a visit: 13's sibling rule is tested in
    # tests/records/test_safeguarding_truth.py; its late pattern visits change the print.
    13: "67e65cf938ca3fd178f4f7d55f631949fa498d34fd9650956277e977c82c17a2",
    14: "5fedc0af855b11692ddb1a05764a3ce94441bde10e164c014b5db03f72dfbdb4",
    15: "f3185879a8ec0e2393bea42b4691ea3098f7cd59ed60afe8dd925e5b051ae201",
    # The histories keep each child on one plan, placed before their visits: 15 and 16
    # print the same (tests/records/test_safeguarding_truth.py holds the change).
    16: "f3185879a8ec0e2393bea42b4691ea3098f7cd59ed60afe8dd925e5b051ae201",
    # Every child in the histories has a start date: 16 and 17 print the same
    # (tests/central/test_oversight.py and tests/storage hold the change).
    17: "f3185879a8ec0e2393bea42b4691ea3098f7cd59ed60afe8dd925e5b051ae201",
    18: "6d03984ad8d093a74700c31bee608672b0967eaa11fc2aef4596e0ce0a1a7f6e",
    # The histories hold no blank answer, so 18 and 19 print the same.
    19: "6d03984ad8d093a74700c31bee608672b0967eaa11fc2aef4596e0ce0a1a7f6e",
    # Nor a child in need unseen four weeks but not yet due: 19 and 20 print the same.
    20: "6d03984ad8d093a74700c31bee608672b0967eaa11fc2aef4596e0ce0a1a7f6e",
}
"""RULES_VERSION -> the fingerprint of what that edition of the rules says."""

TODAY = date(2026, 12, 4)
_UUID = re.compile(r"UUID\('[0-9a-f-]+'\)")
RULES = FlagRules(calendar=WorkingCalendar())


def _observed(rng: random.Random) -> dict[str, Any]:
    seen = rng.random() > 0.15
    if not seen:
        return {"seen": False, "seen_alone": None, "reason_not_seen": "Asleep upstairs."}
    answers: dict[str, Any] = {}
    if rng.random() < 0.35:
        answers |= {"seen_alone": False, "reason_not_seen_alone": "Mother stayed."}
    if rng.random() < 0.2:
        answers |= {"bedroom_seen": False, "reason_bedroom_not_seen": "Door shut."}
    if rng.random() < 0.2:
        answers |= {"food_concern": FoodConcern.POSSIBLE, "food_concern_details": "Thin."}
    if rng.random() < 0.25:
        answers |= {"injuries_seen": True, "injuries": (make_injury(
            explanation_given_by=rng.choice(list(ExplanationSource)),
            consistent_with_explanation=rng.choice(list(Consistency))),)}
    return answers


def _agency_note(rng: random.Random, child: Child, received: date) -> AgencyNotification:
    """Another agency's report, answered or written before the questions were asked."""
    answers = rng.choice((None, None, True, False))
    return AgencyNotification(
        id=uuid.UUID(int=rng.getrandbits(128)), case_id=CASE.id, child_ids=(child.id,),
        source="Elm Row Primary", kind=rng.choice(list(AgencyKind)), received_on=received,
        summary="Told us.", entered_at=at(received, 9),
        reports_injury=answers if answers is None else rng.random() < 0.5,
        reports_food_or_weight=answers if answers is None else rng.random() < 0.5)


def _histories() -> list[dict[str, Any]]:
    rng = random.Random(20261206)
    said = []
    for n in range(90):
        plan = list(PlanType)[n % 3]
        placed = ({"placement_start_date": date(2026, 6, 1) + timedelta(days=n)}
                  if plan is PlanType.LOOKED_AFTER and n % 2 else {})
        child = child_on(plan, **placed)
        history = []
        day = date(2026, 8, 1) + timedelta(days=rng.randrange(20))
        for _ in range(rng.randrange(0, 7)):
            day += timedelta(days=rng.randrange(3, 30))
            if day > TODAY:
                break
            late = day + timedelta(days=rng.choice((0, 0, 0, 1, 4)))
            if rng.random() < 0.1:
                no_access: dict[str, Any] = {"outcome": VisitOutcome.NO_ACCESS,
                                             "no_access_reasons": "No answer.",
                                             "no_access_steps_taken": "Card left."}
                history.append(visit_on(day, child, submitted=min(late, TODAY), seen=False,
                                        seen_alone=None, reason_not_seen="No access.",
                                        visit=no_access))
            else:
                history.append(visit_on(day, child, submitted=min(late, TODAY),
                                        **_observed(rng)))
        notes = [_agency_note(rng, child, date(2026, 9, 1) + timedelta(days=rng.randrange(90)))
                 for _ in range(rng.choice((0, 0, 1, 2)))]
        found = child_flags(child, history, now=at(TODAY, 12), rules=RULES, notes=notes)
        state = child_state(child, history, found, TODAY, RULES)
        said.append({
            # Sorted: two flags that tie on `Flag.sort_key` may come in either order.
            "flags": sorted([f.code.value, f.severity.value, f.reason, f.worker_sentence,
                             f.since.isoformat()] for f in found),
            # Ids are random in the factories: what a rule says never depends on them.
            "state": {key: _UUID.sub("UUID", str(value))
                      for key, value in sorted(vars(state).items()) if "id" not in key},
        })
    return said


def _fingerprint() -> str:
    return hashlib.sha256(json.dumps(_histories(), sort_keys=True).encode()).hexdigest()


def test_a_changed_rule_bumps_the_rules_version() -> None:
    assert CASE is not None
    fingerprint = _fingerprint()
    assert FINGERPRINTS.get(RULES_VERSION) == fingerprint, (
        f"What the rules say changed (fingerprint {fingerprint}). If that is meant, bump "
        f"RULES_VERSION in records/flag_types.py (stored flags and figures are worked out "
        f"again when it changes) and record {{{RULES_VERSION + 1}: \"{fingerprint}\"}} in "
        f"FINGERPRINTS here.")


def test_the_fingerprint_sees_a_rule_change() -> None:
    """The histories reach the rules that matter: a different `today` changes it."""
    global TODAY
    before = json.dumps(_histories(), sort_keys=True)
    saved, TODAY = TODAY, TODAY + timedelta(days=30)
    try:
        assert json.dumps(_histories(), sort_keys=True) != before
    finally:
        TODAY = saved


def test_the_rules_edition_moves_with_policy_and_the_version_not_with_nothing() -> None:
    """The key stored flags are kept under: the same rules give the same key; a threshold
    from policy or a new edition of the rules gives another (so they are worked out again)."""
    from records.thresholds import FlagThresholds

    same = FlagRules(calendar=WorkingCalendar())
    assert RULES.edition() == same.edition()
    stricter = FlagRules(thresholds=FlagThresholds(critical_recording_hours=12),
                         calendar=WorkingCalendar())
    assert stricter.edition() != RULES.edition()
