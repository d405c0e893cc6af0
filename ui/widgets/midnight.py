"""A signal a minute after each midnight in England, for screens whose words move with the
day ("overdue", "waiting 3 days"): they read again when the day turns while they are shown."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QObject, QTimer, Signal


class Midnight(QObject):
    """`passed` a minute after each midnight in England, the day every rule counts by
    (`records.flag_types.today_in_england`), whatever the laptop's own time zone; a minute
    late, so the clock's day has surely turned. Qt's timers run on the monotonic clock,
    which a suspend stops: after a laptop slept through midnight it fires late, so a screen
    also checks its day when the window is activated again."""

    passed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._turned)
        self._wait()

    def _wait(self) -> None:
        self._timer.start(until_after_midnight(datetime.now().astimezone()))

    def _turned(self) -> None:
        self._wait()
        self.passed.emit()


def until_after_midnight(now: datetime) -> int:
    """Milliseconds from `now` to a minute after the next midnight in England. By
    timestamps: two moments of one zone subtract as wall clocks, an hour out on the night
    the clocks change."""
    from records.visit import ENGLAND  # here, not at the top: see `england_today`

    here = now.astimezone(ENGLAND)
    tomorrow = datetime.combine(here.date() + timedelta(days=1), time.min, tzinfo=ENGLAND)
    return int((tomorrow.timestamp() - here.timestamp()) * 1000) + 60_000


def england_today() -> date:
    """`records.flag_types.today_in_england`, imported when first asked for: the window and
    its unlock screen come up before any record model is loaded (tests/ui/test_start_up.py)."""
    from records.flag_types import today_in_england

    return today_in_england()
