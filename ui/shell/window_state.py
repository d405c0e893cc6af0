"""What the window is handed at unlock and by policy, and what holds one unlock's state.

`Unlocked` is the background unlock's result; `UnlockedState` is what the window keeps from
unlock to lock (in the app `desktop_app.unlocked_session.UnlockedSession`; `VaultOnly`
when the window runs on its own, as in some ui tests); `WindowOptions` is what policy
decides about the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ui.widgets.background import op

if TYPE_CHECKING:
    from ui.services import InterruptedDraft, VisitServices
    from ui.shell.main_window import MainWindow
    from ui.visit.caseload_model import PreparedCaseload

log = logging.getLogger(__name__)
_NOT_CLOSED = "the vault could not be closed cleanly at lock: %s"  # a log line
S = TypeVar("S", bound="VisitServices")  # a string: the first frame loads no records
@dataclass(frozen=True)
class Unlocked(Generic[S]):
    """What the background unlock hands to the window: the vault's services and caseload.

    Generic in the services, so whoever made them (desktop_app) gets its own type back in
    `begin_session`, with no isinstance and no reaching past the protocol."""

    services: S
    caseload: PreparedCaseload  # read and prepared on the vault lane by the unlock
    interrupted: InterruptedDraft | None = None
    options: WindowOptions | None = None  # the policy, when it was read with the unlock


@dataclass(frozen=True)
class WindowOptions:
    """What policy decides about the window."""

    idle_lock_ms: int = 5 * 60_000
    photos_allowed: bool = False
    pdf_allowed: bool = False
    autosave_ms: int | None = None  # None: the editor's own interval
    minimum_passphrase_length: int = 12
    recovery_configured: bool = False
    server_url: str | None = None  # central's address from policy, if it sets one
    server_url_managed: bool = False  # IT set it: shown, not editable
    high_contrast: bool = False  # policy (the user's, or IT's); the desktop's own counts too
    high_contrast_managed: bool = False  # IT set it: the worker cannot change it
    unsynced_warning_hours: int = 24


class UnlockedState(Protocol):
    """What holds one unlock's state (services, sync, extra screens) for the window."""

    def close(self) -> None:
        """At lock, after the drafts' saves were queued: stop, and close the vault after
        them (on the lane), telling the worker if that fails."""
        ...


class VaultOnly:
    """The unlocked state when nothing else was given (ui on its own): the services only."""

    def __init__(self, window: MainWindow, unlocked: Unlocked[Any]) -> None:
        self.services: VisitServices = unlocked.services

    def close(self) -> None:
        op(None, self.services.lock).failure(_vault_not_closed).run()


def _vault_not_closed(error: Exception) -> None:
    log.warning(_NOT_CLOSED, type(error).__name__)


BeginSession = Callable[["MainWindow", Unlocked[Any]], UnlockedState]


