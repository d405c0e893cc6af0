"""The desktop telling Homevisit to lock: the screen was locked, or the laptop is suspending.

One interface, `SessionEvents.lock_requested`, whatever the platform:

- Linux (done here, through QtDBus): the session bus's `org.freedesktop.ScreenSaver`
  `ActiveChanged(true)`; the system bus's logind `Manager.PrepareForSleep(true)`; and the
  logind `Session.Lock` signal for this login session (`loginctl lock-session`).
- Windows (documented, not built here): register with `WTSRegisterSessionNotification`
  and watch `WM_WTSSESSION_CHANGE` / `WTS_SESSION_LOCK` and `WM_POWERBROADCAST` /
  `PBT_APMSUSPEND` in a `QAbstractNativeEventFilter`, emitting the same signal.
- macOS (documented, not built here): observe `com.apple.screenIsLocked` on the
  distributed notification centre and `NSWorkspaceWillSleepNotification`.

A bus that cannot be reached is not an error: the idle lock still protects the vault.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

SCREENSAVER = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
               "org.freedesktop.ScreenSaver", "ActiveChanged")
LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"


def logind_session_path(session_id: str) -> str:
    """logind's object path for a session id (its bus-label escaping)."""
    escaped = "".join(
        c if (c.isascii() and c.isalnum() and not (i == 0 and c.isdigit())) else f"_{ord(c):02x}"
        for i, c in enumerate(session_id)
    )
    return f"{LOGIND_PATH}/session/{escaped}"


class SessionEvents(QObject):
    """Emits `lock_requested(reason)` when the desktop locks or the laptop suspends."""

    lock_requested = Signal(str)

    def start(self) -> list[str]:
        """Begin listening; returns what is being listened to (for the log)."""
        return []


class LinuxSessionEvents(SessionEvents):
    def __init__(self, session_bus: QDBusConnection | None = None,
                 system_bus: QDBusConnection | None = None,
                 session_id: str | None = None) -> None:
        super().__init__()
        self._session_bus = session_bus
        self._system_bus = system_bus
        self._session_id = session_id if session_id is not None else os.environ.get(
            "XDG_SESSION_ID", "")

    def start(self) -> list[str]:
        listening: list[str] = []
        session = self._session_bus or QDBusConnection.sessionBus()
        if session.isConnected() and session.connect(
            SCREENSAVER[0], SCREENSAVER[1], SCREENSAVER[2], SCREENSAVER[3], "b", self,
            SLOT("screensaver_changed(bool)"),  # type: ignore[call-overload]
        ):
            listening.append("screensaver")
        system = self._system_bus or QDBusConnection.systemBus()
        if system.isConnected():
            if system.connect(LOGIND, LOGIND_PATH, f"{LOGIND}.Manager", "PrepareForSleep", "b",
                              self, SLOT("prepare_for_sleep(bool)")):  # type: ignore[call-overload]
                listening.append("suspend")
            if self._session_id and system.connect(
                LOGIND, logind_session_path(self._session_id), f"{LOGIND}.Session", "Lock", "",
                self, SLOT("session_locked()"),  # type: ignore[call-overload]
            ):
                listening.append("session lock")
        log.info("locking on desktop events: %s", ", ".join(listening) or "none available")
        return listening

    @Slot(bool)
    def screensaver_changed(self, active: bool) -> None:
        if active:
            self.lock_requested.emit("screen locked")

    @Slot(bool)
    def prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self.lock_requested.emit("suspend")

    @Slot()
    def session_locked(self) -> None:
        self.lock_requested.emit("session locked")


def session_events_for_platform() -> SessionEvents:
    if sys.platform.startswith("linux"):
        return LinuxSessionEvents()
    return SessionEvents()
