"""Next visit due: working days skip weekends and English bank holidays."""

from __future__ import annotations

from datetime import date

from records.case import PlanType
from records.schedule import VisitStandards, WorkingCalendar, next_visit_due
from tests.factories import make_case, make_child

CALENDAR = WorkingCalendar()
STANDARDS = VisitStandards()


def test_child_protection_is_ten_working_days_over_christmas() -> None:
    child = make_child(make_case(), plan=PlanType.CHILD_PROTECTION)
    # Fri 18 Dec 2026: Christmas Day, Boxing Day (substitute Mon 28) and New Year's Day skipped.
    assert next_visit_due(child, date(2026, 12, 18), STANDARDS, CALENDAR) == date(2027, 1, 6)


def test_child_protection_over_a_plain_fortnight() -> None:
    child = make_child(make_case(), plan=PlanType.CHILD_PROTECTION)
    assert next_visit_due(child, date(2026, 11, 2), STANDARDS, CALENDAR) == date(2026, 11, 16)


def test_child_in_need_uses_its_own_interval_from_policy() -> None:
    child = make_child(make_case(), plan=PlanType.CHILD_IN_NEED)
    assert next_visit_due(child, date(2026, 11, 2), STANDARDS, CALENDAR) == date(2026, 11, 30)
    council = VisitStandards(child_in_need_working_days=15)
    assert next_visit_due(child, date(2026, 11, 2), council, CALENDAR) == date(2026, 11, 23)


def test_easter_bank_holidays_are_skipped() -> None:
    child = make_child(make_case(), plan=PlanType.CHILD_PROTECTION)
    # Good Friday 3 Apr 2026 and Easter Monday 6 Apr 2026.
    assert next_visit_due(child, date(2026, 3, 27), STANDARDS, CALENDAR) == date(2026, 4, 14)


def test_no_visit_yet_counts_from_the_plan_start() -> None:
    child = make_child(make_case(), plan=PlanType.CHILD_PROTECTION)
    assert child.plan_start_date == date(2026, 9, 1)
    assert next_visit_due(child, None, STANDARDS, CALENDAR) == date(2026, 9, 15)


def test_looked_after_first_week_then_six_weeks_then_three_months() -> None:
    child = make_child(make_case(), plan=PlanType.LOOKED_AFTER).model_copy(
        update={"placement_start_date": date(2025, 1, 10), "long_term_placement": True})
    assert next_visit_due(child, None, STANDARDS, CALENDAR) == date(2025, 1, 17)
    assert next_visit_due(child, date(2025, 1, 15), STANDARDS, CALENDAR) == date(2025, 2, 26)
    assert next_visit_due(child, date(2026, 2, 1), STANDARDS, CALENDAR) == date(2026, 5, 1)


def test_looked_after_not_long_term_stays_six_weekly() -> None:
    child = make_child(make_case(), plan=PlanType.LOOKED_AFTER).model_copy(
        update={"placement_start_date": date(2024, 1, 10)})
    assert next_visit_due(child, date(2026, 2, 1), STANDARDS, CALENDAR) == date(2026, 3, 15)


def test_working_days_between_counts_after_the_start() -> None:
    assert CALENDAR.working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3
    assert CALENDAR.working_days_between(date(2026, 12, 31), date(2026, 12, 24)) == 0


def test_looked_after_with_no_placement_date_counts_from_the_plan_start() -> None:
    """domain.md, "Every allocated child counts": a looked-after child never visited, with a
    plan start but no placement date, is due a week after the plan's start, not 'unknown'
    (which left such a child overdue for months and counted as not overdue)."""
    child = make_child(make_case(), plan=PlanType.LOOKED_AFTER)
    assert child.placement_start_date is None and child.plan_start_date == date(2026, 9, 1)
    assert next_visit_due(child, None, STANDARDS, CALENDAR) == date(2026, 9, 8)
    assert next_visit_due(child, date(2026, 9, 7), STANDARDS, CALENDAR) == date(2026, 10, 19)
    neither = child.model_copy(update={"plan_start_date": None})
    assert next_visit_due(neither, None, STANDARDS, CALENDAR) is None
