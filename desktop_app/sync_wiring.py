"""Sync beside the window: a `SyncThread` for an enrolled vault, from unlock to lock.

After an unlock the vault lane reads whether the vault is enrolled (`sync.ledger`); if it
is, the thread starts over its own connection and runs now, every policy
`sync_interval_minutes` (the `SyncLoop`'s own wait), on each submit, on "Sync now", and
when Qt's `QNetworkInformation` says the network is back online (`SyncThread.sync_now`
only sets an event); while central is unreachable the thread also probes it itself. Not
enrolled: *Connect to central…* is offered instead. Revoked earlier: *Connect to
central…* is offered too, and the thread still starts, to ask central once it can be
reached (sending nothing): a laptop reported lost since is erased, one IT readmitted syncs
again, one still revoked stops quietly. The status bar is refreshed from the vault lane
after each run, failed try and submit.

At lock the thread is asked to stop (an event: the UI thread never waits), and the join
is queued on the vault lane before the vault's close, bounded by `SYNC_JOIN_MS`: a run
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
from PySide6.QtWidgets import QMessageBox

from ui.widgets.background import run_in_background

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


def offer_sync(window: MainWindow, on_wiped: Callable[[], None]) -> None:
    """After an unlock: start syncing if this vault is enrolled. `on_wiped` shows first run."""
    from desktop_app.services import VaultServices

    services = window.services
    if not isinstance(services, VaultServices):
        return

    def read() -> tuple[SyncState | None, str | None]:
        from sync.ledger import SyncLedger

        enrollment = SyncLedger(services.session.vault.connection).enrollment()
        return services.sync_state(), enrollment.server_url if enrollment else None

    run_in_background(read, lambda found: _start(window, services, found[0], found[1], on_wiped),
                      owner=window)


def _start(window: MainWindow, services: VaultServices, state: SyncState | None,
           server_url: str | None, on_wiped: Callable[[], None]) -> None:
    if window.services is not services:
        return  # locked meanwhile
    window.enrolled_server_url = server_url  # offered again when enrolling after a revoke
    if state is None:  # not enrolled: nothing to sync with until IT's code is typed
        window.sync_status.show_not_connected()
        window.connect_action.setEnabled(window.enroll_with is not None)
        return
    window.sync_status.show_state(state)
    if state.revoked:  # central refused this laptop earlier: say so, offer a new code
        window.sync_status.show_revoked()
        window.connect_action.setEnabled(window.enroll_with is not None)
    else:
        window.sync_status.clear_stopped()
    WindowSync(window, services, on_wiped, revoked=state.revoked).start()


class WindowSync(QObject):
    """One unlocked session's sync: the thread, and what its signals do to the window."""

    def __init__(self, window: MainWindow, services: VaultServices,
                 on_wiped: Callable[[], None], *, revoked: bool = False) -> None:
        from desktop_app.sync_thread import SyncThread

        super().__init__(window)
        self._window = window
        self._services = services
        self._on_wiped = on_wiped
        self._revoked = revoked  # known at unlock: the worker has been told already
        self.sync = SyncThread(services.session.vault, services.policy)
        self.sync.synced.connect(self._synced)
        self.sync.problem.connect(self._problem)
        self.sync.stopped.connect(self._stopped)
        self.sync.wipe_ordered.connect(self._wipe_ordered)
        window.sync_now_requested.connect(self.sync.sync_now)
        window.records_changed.connect(self._records_changed)
        window.locking.connect(self._locking)
        self._listening = True  # to "Sync now" and submits; not once syncing has ended
        self._network = network_information()
        if self._network is not None:
            self._network.reachabilityChanged.connect(self._reachability_changed)

    def start(self) -> None:
        self._window.sync_now_action.setEnabled(True)
        self.sync.start()

    def _current(self) -> bool:
        return self._window.services is self._services

    def refresh(self) -> None:
        if not self._current():
            return
        services, window = self._services, self._window

        def show(state: SyncState | None) -> None:
            if state is not None and window.services is services:
                window.sync_status.show_state(state)

        run_in_background(services.sync_state, show, owner=window)

    def _synced(self, report: SyncReport) -> None:
        if self._revoked and self._current():  # central readmitted this laptop
            self._revoked = False
            self._window.connect_action.setEnabled(False)
            self._window.sync_status.clear_stopped()
        self._window.sync_status.show_problem("")
        self.refresh()
        if report.pulled and self._current():
            self._window.synced()  # the caseload and questions take in what came

    def _problem(self, problem: SyncProblem) -> None:
        from sync.errors import CentralUnreachable, DeviceRevoked

        # Revoked: the status bar says so already; anything else (an unproven answer, an
        # older central) is news for IT.
        routine = isinstance(problem, DeviceRevoked | CentralUnreachable)
        if self._current() and not (self._revoked and routine):
            self._window.sync_status.show_problem(problem.user_message)
            self.refresh()

    def _records_changed(self) -> None:
        self.refresh()
        self.sync.sync_now()

    def _stopped(self, ended: SyncProblem | None) -> None:
        from sync.errors import WipeOrdered

        if ended is None or isinstance(ended, WipeOrdered) or not self._current():
            return
        # Revoked (or another refusal waiting cannot fix): say so; the vault is untouched.
        self._stop_listening()
        self._window.sync_now_action.setEnabled(False)
        self._window.connect_action.setEnabled(self._window.enroll_with is not None)
        if self._revoked:  # still revoked, as the status bar has said since the unlock
            return
        self._window.sync_status.show_stopped(ended.user_message)
        box = QMessageBox(QMessageBox.Icon.Warning, self._window.tr("Homevisit"),
                          ended.user_message, QMessageBox.StandardButton.Ok, self._window)
        box.open()  # not exec(): nothing waits on the worker reading it

    def _wipe_ordered(self, message: str) -> None:
        from desktop_app.sync_thread import erase_after_wipe_order

        window, vault, on_wiped = self._window, self._services.session.vault, self._on_wiped
        directory = vault.directory
        log.warning("erasing the vault central reported lost")
        if self._current():
            window.lock("wipe ordered")  # queues the join and the close on the lane first

        def tell(text: str) -> None:
            on_wiped()
            QMessageBox(QMessageBox.Icon.Warning, window.tr("Homevisit"), text,
                        QMessageBox.StandardButton.Ok, window).open()

        def erased(_: object) -> None:
            tell(message)

        def not_erased(error: Exception) -> None:  # e.g. sync.wipe.WipeIncomplete: what is left
            log.error("erasing the vault failed: %s", type(error).__name__)
            tell(getattr(error, "user_message", message))

        run_in_background(lambda: erase_after_wipe_order(directory, vault), erased,
                          not_erased, owner=window)

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

    def _locking(self) -> None:
        window, thread = self._window, self.sync
        window.locking.disconnect(self._locking)
        self._stop_listening()
        thread.stop()
        for old in [t for t in _retired if not t.is_running()]:
            _retired.discard(old)
        _retired.add(thread)
        # On the lane, before the close `lock` queues next; bounded, so a lock never hangs.
        run_in_background(lambda: thread.wait(SYNC_JOIN_MS), owner=None)
        self.setParent(None)
        self.deleteLater()


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
