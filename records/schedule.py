"""When a child's next visit is due, from their plan and the council's visiting standards.

Working days skip weekends and English bank holidays (from the `holidays` package).
The intervals are policy, set by each council; the defaults are in shared/domain.md.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from records.case import Child, PlanType


class VisitStandards(BaseModel):
    """How often children must be visited; councils set these in policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    child_protection_working_days: int = Field(default=10, ge=1, le=60)
    child_in_need_working_days: int = Field(default=20, ge=1, le=120)
    looked_after_first_visit_days: int = Field(default=7, ge=1, le=31)
    looked_after_first_year_weeks: int = Field(default=6, ge=1, le=26)
    looked_after_long_term_months: int = Field(default=3, ge=1, le=12)


class WorkingCalendar:
    """Working days in England: Monday to Friday, less bank holidays."""

    def __init__(self, bank_holidays: holidays.HolidayBase | None = None) -> None:
        """`bank_holidays`: England's from the `holidays` package unless given."""
        self._holidays = bank_holidays if bank_holidays is not None else _england_holidays()
        self._after: dict[tuple[date, int], date] = {}
        self._closed: dict[int, list[date]] = {}
        self._between: dict[tuple[date, date], int] = {}
        self._identities: dict[tuple[int, int], str] = {}

    def identity(self, first_year: int, last_year: int) -> str:
        """A digest of the bank holidays (day and name) from `first_year` to `last_year`:
        another value when the calendar says otherwise (a `holidays` upgrade that adds a
        one-off bank holiday, another set of holidays), for figures kept by calendar."""
        found = self._identities.get((first_year, last_year))
        if found is None:
            days = []
            for year in range(first_year, last_year + 1):
                self._holidays.get(date(year, 1, 1))  # makes `holidays` fill in that year
                days += sorted((day.isoformat(), str(self._holidays.get(day)))
                               for day in self._holidays if day.year == year)
            found = hashlib.sha256(repr(days).encode()).hexdigest()[:16]
            self._identities[(first_year, last_year)] = found
        return found

    def add_working_days(self, start: date, days: int) -> date:
        """The day that is `days` working days after `start`."""
        # Remembered: `holidays` walks day by day, and a caseload asks for few distinct pairs.
        found = self._after.get((start, days))
        if found is None:
            found = self._after[(start, days)] = self._holidays.get_nth_working_day(start, days)
        return found

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        if end <= start:
            return 0
        # Remembered: a team's flags ask the same few pairs (submitted, today) thousands of
        # times; bounded, so a long session does not keep every pair.
        found = self._between.get((start, end))
        if found is None:
            if len(self._between) >= _REMEMBERED_PAIRS:
                self._between.clear()
            found = self._between[(start, end)] = self._count_working_days(start, end)
        return found

    def _count_working_days(self, start: date, end: date) -> int:
        # Closed form: weekdays by arithmetic, less the weekday bank holidays in the span
        # (found by bisection), instead of asking `holidays` about each day in turn.
        first = start + timedelta(days=1)
        weeks, extra = divmod((end - first).days + 1, 7)
        weekday = first.weekday()
        weekdays = weeks * 5 + sum(1 for i in range(extra) if (weekday + i) % 7 < 5)
        closed = 0
        for year in range(first.year, end.year + 1):
            days = self._weekday_holidays(year)
            closed += bisect_right(days, end) - bisect_left(days, first)
        return weekdays - closed

    def _weekday_holidays(self, year: int) -> list[date]:
        found = self._closed.get(year)
        if found is None:
            self._holidays.get(date(year, 1, 1))  # makes `holidays` fill in that year
            found = self._closed[year] = sorted(
                day for day in self._holidays if day.year == year and day.weekday() < 5)
        return found


_REMEMBERED_PAIRS = 50_000


@cache
def _england_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


def next_visit_due(
    child: Child,
    last_visit: date | None,
    standards: VisitStandards,
    calendar: WorkingCalendar,
) -> date | None:
    """The last day by which the child must next be visited, or None if it cannot be known."""
    match child.plan_type:
        case PlanType.CHILD_PROTECTION:
            start = last_visit or child.plan_start_date
            if start is None:
                return None
            return calendar.add_working_days(start, standards.child_protection_working_days)
        case PlanType.CHILD_IN_NEED:
            start = last_visit or child.plan_start_date
            if start is None:
                return None
            return calendar.add_working_days(start, standards.child_in_need_working_days)
        case PlanType.LOOKED_AFTER:
            return _looked_after_due(child, last_visit, standards)


def looked_after_from(child: Child) -> date | None:
    """When a looked-after child's visiting clock starts: the placement, or, where no
    placement date is recorded, the plan's start. A child on a plan is never left with no
    due date while a start is known (domain.md, "Every allocated child counts")."""
    return child.placement_start_date or child.plan_start_date


def _looked_after_due(
    child: Child, last_visit: date | None, standards: VisitStandards
) -> date | None:
    placed = looked_after_from(child)
    if placed is not None and (last_visit is None or last_visit < placed):
        return placed + timedelta(days=standards.looked_after_first_visit_days)
    if last_visit is None:
        return None
    in_first_year = placed is not None and last_visit < placed + relativedelta(years=1)
    if child.long_term_placement and not in_first_year:
        due: date = last_visit + relativedelta(months=standards.looked_after_long_term_months)
        return due
    return last_visit + timedelta(weeks=standards.looked_after_first_year_weeks)
