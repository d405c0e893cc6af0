"""Central's rule for the laptop's unsigned submission time, at its edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from central.services.flags import CLOCK_TOLERANCE, submission_time

ENDED = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_a_claim_between_the_visits_end_and_the_receipt_is_kept() -> None:
    assert submission_time(ENDED, ENDED, RECEIVED) == (ENDED, [])
    assert submission_time(RECEIVED, ENDED, RECEIVED) == (RECEIVED, [])


def test_a_claim_before_the_visit_ended_is_replaced_by_the_receipt() -> None:
    during_the_visit = ENDED - timedelta(minutes=1)
    assert submission_time(during_the_visit, ENDED, RECEIVED) == (
        RECEIVED, ["submitted_at_clamped"])


def test_a_clock_a_little_fast_is_held_at_the_receipt_and_a_wrong_one_is_flagged() -> None:
    assert submission_time(RECEIVED + CLOCK_TOLERANCE, ENDED, RECEIVED) == (RECEIVED, [])
    too_late = RECEIVED + CLOCK_TOLERANCE + timedelta(seconds=1)
    assert submission_time(too_late, ENDED, RECEIVED) == (RECEIVED, ["submitted_at_clamped"])


def test_no_claim_is_kept_as_none() -> None:
    assert submission_time(None, ENDED, RECEIVED) == (None, [])
