"""The closed-form working-day count agrees with asking `holidays` about each day."""

from __future__ import annotations

import random
from datetime import date, timedelta

from records.schedule import WorkingCalendar, _england_holidays


def test_working_days_between_matches_a_day_by_day_count_across_years() -> None:
    calendar, bank_holidays = WorkingCalendar(), _england_holidays()
    picker = random.Random(6)
    for _ in range(500):
        start = date(2019, 1, 1) + timedelta(days=picker.randrange(3650))
        end = start + timedelta(days=picker.randrange(-3, 900))
        expected = (0 if end <= start else
                    bank_holidays.get_working_days_count(start + timedelta(days=1), end))
        assert calendar.working_days_between(start, end) == expected, (start, end)


def test_the_last_eleven_days_of_2026_hold_seven_working_days() -> None:
    # 25 Dec (Fri) and 28 Dec (Mon, Boxing Day substitute) are bank holidays.
    assert WorkingCalendar().working_days_between(date(2026, 12, 20), date(2026, 12, 31)) == 7
