"""What exists from an unlock to the next lock, in one owner.

`UnlockedSession` is made by the window at each unlock (`MainWindow(begin_session=...)`,
given by `desktop_app.app.build_window`) and owns, until the lock:

- the vault's services (`VaultServices`, typed as desktop_app made them: `Unlocked` is
  generic in its services, so there is no isinstance and no reaching past the protocol),
- the sync thread (`desktop_app.sync_wiring.WindowSync`) for an enrolled vault,
- a team lead's review screen and its menu (`desktop_app.review_wiring`),
- the pull watch (`ui.shell.pull_watch`), which reloads the screens when sync pulled,
- the garbage collector's tuning for an open session (`desktop_app.collector`).

At unlock it also asks whether IT's policy names a recovery key the vault lacks, and if so
offers to add it (`ui.shell.recovery_offer`): only a key IT sets (the services' `managed`
keys), never one from the worker's own settings file.

It tells the window through the window's methods and listens to its signals. At lock the
window first queues the drafts' saves (the visit, an addendum being written: a failure is
told to the worker), then calls `close`: the pull watch stops, the thread is asked to stop
and its bounded join queued on the lane, the review screen goes, the vault's close is queued
after all of that (the lane runs jobs in order), and the collector is given back. The window
then sweeps every dialog still open, whichever screen opened it (ui/shell/lock_sweep.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop_app import collector
from ui.shell.pull_watch import PullWatch
from ui.shell.recovery_offer import offer_recovery_key
from ui.widgets.background import op

if TYPE_CHECKING:
    from desktop_app.review_services import VaultReviewServices
    from desktop_app.services import VaultServices
    from desktop_app.sync_wiring import WindowSync
    from records.contracts import Enrollment
    from ui.review.review_screen import ReviewScreen
    from ui.services import SyncState
    from ui.shell.main_window import MainWindow, Unlocked

log = logging.getLogger(__name__)


class UnlockedSession(QObject):
    def __init__(self, window: MainWindow, services: VaultServices, *,
                 on_wiped: Callable[[], None] = lambda: None, sync: bool = True) -> None:
        super().__init__(window)
        self.setObjectName("unlocked-session")
        self.window = window
        self.services = services
        self._on_wiped = on_wiped
        self._sync_wanted = sync
        self.sync: WindowSync | None = None
        self.review_screen: ReviewScreen | None = None
        self._remove_review: Callable[[], None] | None = None
        self.open = True
        self.pull_watch = PullWatch(services, self)
        self.pull_watch.pulled.connect(window.synced)
        window.pulls_wanted.connect(self.pull_watch.check)
        window.enrolled.connect(self.look_at_enrollment)
        collector.hold_for_session()
        self.pull_watch.start()
        self.look_at_enrollment()
        offer_recovery_key(window, services)

    def look_at_enrollment(self) -> None:
        """At unlock and after enrolling: sync if enrolled, the review screen if a team lead."""
        services = self.services
        op(self, lambda: (services.enrollment(), services.sync_state())).success(
            lambda found: self._enrollment_read(*found)).failure(self.window.failed).run()

    # complexity: after unlock: review screen and sync start, each only once
    def _enrollment_read(self, enrollment: Enrollment | None, state: SyncState | None) -> None:
        if not self.open:
            return
        if enrollment is not None and enrollment.team_lead and self._remove_review is None:
            op(self, self.services.review_services).success(self._attach_review).failure(
                self.window.failed).run()
        if self._sync_wanted:
            self.window.sync_began(state, enrollment.server_url if enrollment else None)
            if state is not None and self.sync is not None and self.sync.finished:
                self.sync.stop()  # ended (revoked); enrolled again now: a new thread
                self.sync = None
            if state is not None and self.sync is None:
                from desktop_app.sync_wiring import WindowSync

                self.sync = WindowSync(self, self.window, self.services, self._on_wiped,
                                       self.pull_watch.check, revoked=state.revoked)
                self.sync.start()

    def _attach_review(self, review: VaultReviewServices) -> None:
        if not self.open or self._remove_review is not None:
            return
        from desktop_app.review_wiring import attach_review

        self.review_screen, self._remove_review = attach_review(self.window, review)

    def close(self) -> None:
        """At lock, after the window queued the drafts' saves: see the module's docstring."""
        if not self.open:
            return
        self.open = False
        window = self.window
        self.pull_watch.stop()
        window.pulls_wanted.disconnect(self.pull_watch.check)
        window.enrolled.disconnect(self.look_at_enrollment)
        if self.sync is not None:
            self.sync.stop()  # its join is queued on the lane before the close below
        if self._remove_review is not None:
            self._remove_review()
            self._remove_review = self.review_screen = None
        op(None, self.services.lock).failure(self._not_closed).run()
        collector.release_after_session()
        self.setParent(None)
        self.deleteLater()

    def _not_closed(self, error: Exception) -> None:
        """The lock's audit line failed (`VaultServices.lock` closes the vault whatever
        happens to it): logged by type, for IT; nothing the worker wrote is affected."""
        log.warning("the vault did not close cleanly at lock: %s", type(error).__name__)


def session_maker(on_wiped: Callable[[], None] = lambda: None, *, sync: bool = True
                  ) -> Callable[[MainWindow, Unlocked[VaultServices]], UnlockedSession]:
    """What `MainWindow(begin_session=...)` calls at each unlock."""

    def begin(window: MainWindow, unlocked: Unlocked[VaultServices]) -> UnlockedSession:
        return UnlockedSession(window, unlocked.services, on_wiped=on_wiped, sync=sync)

    return begin
