"""Late recording counts to when the worker's laptop submitted the visit, not to when central
(and so the team lead) received it; sign-off pending still waits from the receipt."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from records.flags import FlagCode, Severity, VisitOnRecord
from records.visit import ExplanationSource
from tests.records.test_flags import at, flags, injured, only, severity, visit_on

FRIDAY = date(2026, 11, 20)
RECEIVED = date(2026, 11, 27)  # the next Friday: 5 working days after the visit


def pulled(visit: VisitOnRecord, *, received: date, submitted: date | None,
           hour: int = 17) -> VisitOnRecord:
    """As the team lead's laptop holds it: received by central on one day, claimed by the
    worker's laptop as submitted on another (None: central did not say)."""
    return dataclasses.replace(
        visit, submitted_at=at(received, 11),
        device_submitted_at=at(submitted, hour) if submitted else None)


def test_recorded_on_time_but_received_five_working_days_later_is_not_late() -> None:
    on_time = pulled(visit_on(FRIDAY), received=RECEIVED, submitted=FRIDAY)
    assert severity([on_time], RECEIVED, FlagCode.LATE_RECORDING) is None
    edge = pulled(visit_on(FRIDAY), received=RECEIVED, submitted=date(2026, 11, 24))
    assert severity([edge], RECEIVED, FlagCode.LATE_RECORDING) is None  # Tuesday: 2 days


def test_recorded_late_is_late_whenever_it_was_received() -> None:
    late = pulled(visit_on(FRIDAY), received=RECEIVED, submitted=date(2026, 11, 25))
    flag = only(flags([late], RECEIVED), FlagCode.LATE_RECORDING)
    assert flag is not None and flag.severity is Severity.AMBER
    assert flag.reason == ("The visit on 20 Nov 2026 was submitted on 25 Nov 2026, 3 working "
                           "days later (the standard is 2).")


def test_without_the_laptops_time_the_receipt_still_counts() -> None:
    unknown = pulled(visit_on(FRIDAY), received=RECEIVED, submitted=None)
    flag = only(flags([unknown], RECEIVED), FlagCode.LATE_RECORDING)
    assert flag is not None and "submitted on 27 Nov 2026, 5 working days" in flag.reason


def test_a_red_flag_visit_submitted_within_24_hours_is_not_late_when_synced_days_later() -> None:
    red = injured(FRIDAY, explanation_given_by=ExplanationSource.SIBLING)
    ended = red.visit.ended_at
    assert ended is not None
    synced_later = dataclasses.replace(red, submitted_at=ended + timedelta(days=4),
                                       device_submitted_at=ended + timedelta(hours=23))
    assert severity([synced_later], date(2026, 11, 24), FlagCode.LATE_RECORDING) is None
    recorded_late = dataclasses.replace(synced_later,
                                        device_submitted_at=ended + timedelta(hours=25))
    flag = only(flags([recorded_late], date(2026, 11, 24)), FlagCode.LATE_RECORDING)
    assert flag is not None and flag.severity is Severity.RED
    assert "submitted 25 hours after it ended" in flag.reason


def test_sign_off_pending_still_waits_from_central_receipt() -> None:
    waiting = pulled(visit_on(FRIDAY), received=RECEIVED, submitted=FRIDAY)
    assert severity([waiting], date(2026, 12, 4), FlagCode.SIGN_OFF_PENDING) is None
    assert severity([waiting], date(2026, 12, 7), FlagCode.SIGN_OFF_PENDING) is Severity.AMBER
