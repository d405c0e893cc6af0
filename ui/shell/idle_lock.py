"""Locking when nobody is at the laptop: idle time, screen lock, and suspend.

`IdleWatcher` is an application-wide event filter: any key, click, scroll or touch in any
window counts as activity; after the policy's idle minutes with none, it asks for a lock.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.InputMethod,
}


class IdleWatcher(QObject):
    """Emits `idle` once when no input has reached the app for `timeout_ms`."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self._since = QElapsedTimer()
        self._since.start()
        self._check = QTimer(self)
        self._check.timeout.connect(self._maybe_idle)
        self._armed = False
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        """Change the idle time (policy is read after the window is first shown)."""
        self.timeout_ms = timeout_ms
        self._check.setInterval(max(20, min(timeout_ms // 4, 5000)))

    def start(self) -> None:
        """Watch from now (after an unlock)."""
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._since.restart()
        self._armed = True
        self._check.start()

    def stop(self) -> None:
        """Stop watching (while locked there is nothing to protect)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._armed = False
        self._check.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in ACTIVITY:
            self._since.restart()
        return False

    def _maybe_idle(self) -> None:
        if self._armed and self._since.elapsed() >= self.timeout_ms:
            self.stop()
            self.idle.emit()
