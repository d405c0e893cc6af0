"""Sync beside the window: a `SyncThread` for an enrolled vault, from unlock to lock.

The unlocked session (`desktop_app.unlocked_session`) reads at unlock, on the vault lane,
whether the vault is enrolled; if it is, it makes a `WindowSync`, whose thread runs over
its own connection now, every policy `sync_interval_minutes` (the `SyncLoop`'s own wait),
on each submit, on "Sync now", and when Qt's `QNetworkInformation` says the network is back
online (`SyncThread.sync_now` only sets an event); while central is unreachable the thread
also probes it itself. Not enrolled: *Connect to central…* is offered instead. Revoked
earlier: *Connect to central…* is offered too, and the thread still starts, to ask central
once it can be reached (sending nothing): a laptop reported lost since is erased, one IT
readmitted syncs again, one still revoked stops quietly. The status bar is refreshed from
the vault lane after each run, failed try and submit. The window is told through its own
methods (`sync_began`, `show_sync_state`, `sync_ended`…), never by reaching into it.

At lock the session asks the thread to stop (an event: the UI thread never waits), and the
join is queued on the vault lane before the vault's close, bounded by `SYNC_JOIN_MS`: a run
in the middle of a request finishes on its own connection after the vault has closed, so
a lock never waits out a network timeout. On a wipe order the window locks, the lane
erases the rest of the vault, and the window returns to first run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QNetworkInformation

from desktop_app import collector
from ui.widgets.background import op

if TYPE_CHECKING:
    from desktop_app.services import VaultServices
    from desktop_app.sync_thread import SyncThread
    from sync.engine import SyncReport
    from sync.errors import SyncProblem
    from ui.services import SyncState
    from ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

SYNC_JOIN_MS = 5_000  # how long the lane lets a stopping sync finish before the vault closes
_retired: set[SyncThread] = set()  # stopping threads, kept alive until they have finished
_network_backend_tried = False


class WindowSync(QObject):
    """One unlocked session's sync: the thread, and what its signals tell the window."""

    def __init__(self, parent: QObject, window: MainWindow, services: VaultServices,
                 on_wiped: Callable[[], None], pulled: Callable[[], None], *,
                 revoked: bool = False) -> None:
        from desktop_app.sync_thread import SyncThread

        super().__init__(parent)
        self._window = window
        self._services = services
        self._on_wiped = on_wiped
        self._pulled = pulled
        self._revoked = revoked  # known at unlock: the worker has been told already
        self._running = True  # until the session stops it at lock
        self.finished = False  # syncing ended on its own (revoked...): a new enrolment restarts
        self.sync = SyncThread(services.vault, services.policy)
        self.sync.synced.connect(self._synced)
        self.sync.run_started.connect(collector.pause_during_sync)
        self.sync.run_finished.connect(collector.resume_after_sync)
        self.sync.problem.connect(self._problem)
        self.sync.stopped.connect(self._stopped)
        self.sync.wipe_ordered.connect(self._wipe_ordered)
        window.sync_now_requested.connect(self.sync.sync_now)
        window.records_changed.connect(self._records_changed)
        self._listening = True  # to "Sync now" and submits; not once syncing has ended
        self._network = network_information()
        if self._network is not None:
            self._network.reachabilityChanged.connect(self._reachability_changed)

    def start(self) -> None:
        self.sync.start()

    def refresh(self) -> None:
        if not self._running:
            return
        services, window = self._services, self._window

        def show(state: SyncState | None) -> None:
            if state is not None and self._running:
                window.show_sync_state(state)

        op(self, services.sync_state).success(show).failure(window.failed).run()

    def _synced(self, report: SyncReport) -> None:
        if not self._running:
            return
        if self._revoked:  # central readmitted this laptop
            self._revoked = False
            self._window.sync_readmitted()
        self._window.show_sync_problem("")
        self.refresh()
        if report.pulled:
            self._pulled()  # the caseload, questions and review queue take in what came

    def _problem(self, problem: SyncProblem) -> None:
        from sync.errors import CentralUnreachable, DeviceRevoked

        # Revoked: the status bar says so already; anything else (an unproven answer, an
        # older central) is news for IT.
        routine = isinstance(problem, DeviceRevoked | CentralUnreachable)
        if self._running and not (self._revoked and routine):
            self._window.show_sync_problem(problem.user_message)
            self.refresh()

    def _records_changed(self) -> None:
        self.refresh()
        self.sync.sync_now()

    def _stopped(self, ended: SyncProblem | None) -> None:
        from sync.errors import WipeOrdered

        self.finished = True
        if ended is None or isinstance(ended, WipeOrdered) or not self._running:
            return
        # Revoked (or another refusal waiting cannot fix): say so; the vault is untouched.
        self._stop_listening()
        # Still revoked, as the status bar has said since the unlock: nothing new to say.
        self._window.sync_ended(None if self._revoked else ended.user_message)

    def _wipe_ordered(self, message: str) -> None:
        from desktop_app.sync_thread import erase_after_wipe_order

        window, vault, on_wiped = self._window, self._services.vault, self._on_wiped
        directory = vault.directory
        log.warning("erasing the vault central reported lost")
        if self._running:
            window.lock("wipe ordered")  # queues the join and the close on the lane first

        def tell(text: str) -> None:
            on_wiped()
            window.tell(text)

        def not_erased(error: Exception) -> None:  # e.g. sync.wipe.WipeIncomplete: what is left
            log.error("erasing the vault failed: %s", type(error).__name__)
            tell(getattr(error, "user_message", message))

        op(window, lambda: erase_after_wipe_order(directory, vault)).success(
            lambda _: tell(message)).failure(not_erased).run()

    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Online:
            log.info("the network is back: syncing now")
            self.sync.sync_now()

    def _stop_listening(self) -> None:
        if self._listening:
            self._listening = False
            self._window.sync_now_requested.disconnect(self.sync.sync_now)
            self._window.records_changed.disconnect(self._records_changed)
            if self._network is not None:
                self._network.reachabilityChanged.disconnect(self._reachability_changed)

    def stop(self) -> None:
        """At lock: ask the thread to end and queue its bounded join on the lane, before the
        vault's close the session queues next."""
        thread = self.sync
        self._running = False
        self._stop_listening()
        thread.stop()
        for old in [t for t in _retired if not t.is_running()]:
            _retired.discard(old)
        _retired.add(thread)
        op(None, lambda: thread.wait(SYNC_JOIN_MS)).failure(_join_failed).run()


def _join_failed(error: Exception) -> None:
    log.warning("waiting for the sync thread at lock failed: %s", type(error).__name__)


def network_information() -> QNetworkInformation | None:
    """Qt's view of the network (its default backend: NetworkManager, GLib, Windows, macOS),
    loaded once; None where the platform has none, and the health probe is all there is."""
    global _network_backend_tried
    if not _network_backend_tried:
        _network_backend_tried = True
        if not QNetworkInformation.loadDefaultBackend():
            log.info("no network-information backend here; reconnection is noticed by probing")
    return QNetworkInformation.instance()


def finish_sync(timeout_ms: int = 30_000) -> None:
    """At quit, after the window locked: let stopping threads end before Qt goes away."""
    for thread in list(_retired):
        if thread.is_running() and not thread.wait(timeout_ms):
            log.warning("sync thread still running at quit")
        _retired.discard(thread)
