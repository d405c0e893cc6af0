"""Noticing what sync brought: this app's sync thread, or `homevisit sync` in a terminal.

One indexed read on the vault lane (central's cursor after the last pull) every
`PULL_CHECK_MS`, when the window is activated again, and after each sync run; when the
cursor has moved, `pulled` is emitted and the screens reload. Made at each unlock by whoever
owns the unlocked state (`desktop_app.unlocked_session`), stopped and dropped at lock.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ui.services import VisitServices
from ui.widgets.background import op, quietly

PULL_CHECK_MS = 30_000  # how often an unlocked window looks for a pull made by sync


class PullWatch(QObject):
    pulled = Signal()  # the cursor moved since the last look

    def __init__(self, services: VisitServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services: VisitServices | None = services
        self.position: int | None = None  # the cursor the screens last read with
        self._timer = QTimer(self)
        self._timer.setInterval(PULL_CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        """Where the pull stands now is what the screens were just read with."""
        services = self._services
        if services is not None:
            op(self, services.pull_position).success(self._baseline).failure(quietly).run()
        self._timer.start()

    def _baseline(self, position: int | None) -> None:
        self.position = position

    def stop(self) -> None:
        self._timer.stop()
        self._services = None

    def check(self) -> None:
        """Read the cursor on the lane; emit `pulled` if it moved."""
        services = self._services
        if services is not None:
            op(self, services.pull_position).success(self._checked).failure(quietly).run()

    def _checked(self, position: int | None) -> None:
        if self._services is not None and position != self.position:
            self.position = position
            self.pulled.emit()
