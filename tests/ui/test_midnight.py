"""The day turns at midnight in England, whatever the laptop's time zone: the screens that
count days (overdue, waiting) read again then, as every rule counts by England's day."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from records.flag_types import local_day, today_in_england
from ui.widgets.midnight import until_after_midnight

MINUTE = 60_000
HOUR = 60 * MINUTE


def test_the_signal_waits_for_englands_midnight_not_the_laptops() -> None:
    # 23:30 UTC on 1 July is 00:30 on 2 July in England (summer time): the day has turned,
    # and the next turn is 23 hours 30 minutes away. A laptop set to UTC waited 31 minutes
    # and turned the day an hour after England had.
    assert until_after_midnight(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == (
        23 * HOUR + 30 * MINUTE + MINUTE)
    assert local_day(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)).day == 2


def test_the_night_the_clocks_go_forward_is_an_hour_shorter() -> None:
    # 00:30 GMT on 29 March 2026; at 01:00 the clocks go to 02:00 BST. Midnight on the 30th
    # is 22 h 30 min away, though the wall clock moves 23 h 30 min.
    assert until_after_midnight(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == (
        22 * HOUR + 30 * MINUTE + MINUTE)


def test_today_is_englands_day_on_a_laptop_set_to_another_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two zones far either side of England (UTC+14 and UTC-11): at any hour of the year the
    laptop's own day differs from England's in at least one of them, so whenever this runs
    it catches a screen counting to `date.today()`."""
    differed = []
    try:
        for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            laptops = date.today()
            found = today_in_england()
            england = {local_day(datetime.now(UTC) + timedelta(seconds=s)) for s in (-1, 0, 1)}
            assert found in england, zone
            differed.append(laptops not in england)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert any(differed)
