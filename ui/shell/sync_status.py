"""The status-bar item that says what has and has not reached central.

It shows plain values read on the vault lane (`SyncState`); it never reads the vault or
waits on sync. "Everything is synced — safe to close" appears only when every operation
has central's verified receipt. Unsent work older than `unsent_warning` (policy
`unsynced_warning_hours`, set by the window; `UNSENT_WARNING` until then) is shown in the
alert colour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.widgets.theme import colours, theme_changed

if TYPE_CHECKING:  # the window shell imports this before records or the vault are loaded
    from ui.services import SyncState

UNSENT_WARNING = timedelta(hours=24)


def _clock(when: datetime, now: datetime) -> str:
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M")


class SyncStatus(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.warning = False
        self.stopped = False
        self.state: SyncState | None = None
        self.unsent_warning = UNSENT_WARNING
        self._problem = ""
        theme_changed().connect(self._colour)
        self.setVisible(False)

    # complexity: one sentence with a clause per part of the sync state
    def show_state(self, state: SyncState, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        self.state = state
        if self.stopped:
            return  # the reason syncing stopped stays until the next unlock
        last = (self.tr("last synced {when}").format(when=_clock(state.last_synced_at, now))
                if state.last_synced_at else self.tr("never synced"))
        if state.everything_synced:
            text = self.tr("Everything is synced — safe to close")
        else:
            parts = []
            if state.unsent:
                parts.append(self.tr("1 record not yet sent") if state.unsent == 1 else
                             self.tr("{n} records not yet sent").format(n=state.unsent))
            if state.quarantined:
                parts.append(self.tr("{n} refused by central: tell IT, then Vault › Send "
                                     "refused records again").format(n=state.quarantined))
            text = " · ".join([*parts, last])
        old = (state.oldest_unsent_at is not None
               and now - state.oldest_unsent_at > self.unsent_warning)
        if old:
            text += " · " + self.tr("waiting since {when}: connect to a network").format(
                when=_clock(state.oldest_unsent_at, now))  # type: ignore[arg-type]
        self.warning = old or state.quarantined > 0
        self.setText(text)
        self.setToolTip(self._problem)
        self._colour()
        self.setVisible(True)

    def show_problem(self, message: str) -> None:
        """A failed try (syncing goes on): the sentence is kept for the tooltip."""
        self._problem = message
        self.setToolTip(message)

    def show_stopped(self, message: str) -> None:
        """Syncing ended (revoked): say so; the visits stay in the vault."""
        self.stopped = True
        self.warning = True
        self.setText(self.tr("Syncing stopped: your visits are kept on this laptop"))
        self.setToolTip(message)
        self._colour()
        self.setVisible(True)

    def show_revoked(self) -> None:
        """Unlocked after central refused this laptop: nothing is sent until enrolled again."""
        self.show_stopped(self.tr(
            "Central no longer accepts this laptop, so nothing is sent. Your visits are kept "
            "on it, encrypted. Ask IT to let this laptop back in at central (it then syncs "
            "by itself), or for a new one-time code to use in Vault › Connect to central…."))

    def show_not_connected(self) -> None:
        """A vault never enrolled: nothing is sent until IT's one-time code is typed."""
        self.stopped = True  # until enrolled: no run will report a state
        self.warning = False
        self.setText(self.tr("Not connected to central"))
        self.setToolTip(self.tr("Your visits stay on this laptop, encrypted. To send them, "
                                "use Vault › Connect to central… with the one-time code from "
                                "IT."))
        self._colour()
        self.setVisible(True)

    def clear_stopped(self) -> None:
        """Syncing starts again (enrolled anew after a revoke): show the state once more."""
        self.stopped = False
        if self.state is not None:
            self.show_state(self.state)  # a warning it holds (old unsent work) stays red
        else:
            self.warning = False

    def clear(self) -> None:
        self.state = None
        self.stopped = False
        self.warning = False
        self._problem = ""
        self.setText("")
        self.setToolTip("")
        self.setVisible(False)

    def _colour(self) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         colours().alert if self.warning
                         else QApplication.palette().color(QPalette.ColorRole.WindowText))
        self.setPalette(palette)
        font = self.font()
        font.setBold(self.warning)
        self.setFont(font)
