"""A signal a minute after each local midnight, for screens whose words move with the day
("overdue", "waiting 3 days"): they read again when the day turns while they are shown."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal


class Midnight(QObject):
    """`passed` a minute after each local midnight (a minute late, so the clock's day has
    surely turned). Qt's timers run on the monotonic clock, which a suspend stops: after a
    laptop slept through midnight it fires late, so a screen also checks its day when the
    window is activated again."""

    passed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._turned)
        self._wait()

    def _wait(self) -> None:
        now = datetime.now()
        tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        self._timer.start(int((tomorrow - now).total_seconds() * 1000) + 60_000)

    def _turned(self) -> None:
        self._wait()
        self.passed.emit()
