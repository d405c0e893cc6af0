"""The app's sync: `SyncLoop` on its own thread with its own vault connection.

While central cannot be reached, the loop probes it (GET /v1/health, with its own short
backoff) and syncs as soon as it answers; the window also wakes it when Qt reports the
network back online (`desktop_app.sync_wiring`).

The UI thread only ever calls `start`, `sync_now` and `stop`, none of which waits for the
network or the disk (`sync_now` sets an event; `stop` asks and lets the thread finish on
its own). Results come back as Qt signals, delivered on the UI thread. A wipe order is
carried out here as far as it can be without the UI: the key slots are destroyed at once
(the vault is unreadable from that moment); the signal then tells the window to close its
own connection and remove the files (`sync.wipe.erase_vault`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.cli.review import run_and_index
from desktop_app.policy import Policy
from desktop_app.session import ACTOR
from storage.transactions import Connection
from storage.vault import Vault
from storage.vault_connection import close_connection
from storage.workspace import Workspace
from sync.backoff import Backoff
from sync.engine import SyncEngine, SyncReport
from sync.errors import NotEnrolled, SyncProblem, WipeOrdered
from sync.ledger import SyncLedger
from sync.loop import SyncLoop
from sync.lost import erased_message, send_wipe_receipt
from sync.transport import CentralClient
from sync.wipe import WipeIncomplete, destroy_key_slots, erase_vault

log = logging.getLogger("homevisit.sync.thread")


def retry_backoff(interval_seconds: float) -> Backoff:
    """How long the loop waits after failed syncs: 5 s doubling, at most the interval."""
    return Backoff(base_seconds=5.0, cap_seconds=interval_seconds)


def engine_backoff() -> Backoff:
    """Between the tries within one sync run (the engine's own): 1 s doubling."""
    return Backoff()


def probe_backoff() -> Backoff:
    """Between health probes while central is away: 1 s doubling, at most 30 s."""
    return Backoff(base_seconds=1.0, cap_seconds=30.0)


def central_answers(client: CentralClient) -> bool:
    """The probe while central is unreachable: one GET /v1/health, on the sync thread."""
    try:
        client.health()
    except SyncProblem:
        return False
    return True


class _Worker(QObject):
    run_started = Signal()
    run_finished = Signal()
    synced = Signal(object)  # SyncReport
    problem = Signal(object)  # SyncProblem
    ended = Signal(object)  # the SyncProblem that ended syncing, or None when stopped

    def __init__(self, vault: Vault, policy: Policy) -> None:
        super().__init__()
        self._vault = vault
        self._policy = policy
        self.loop: SyncLoop | None = None
        self._stop_requested = False

    def run(self) -> None:
        ended: SyncProblem | None = None
        try:
            ended = self._run()
        except SyncProblem as problem:
            ended = problem
        finally:
            if isinstance(ended, WipeOrdered):
                self._destroy_keys_and_tell_central(ended)
            self.ended.emit(ended)
            # End the thread from here, not only in the UI thread's `_ended`: a join made
            # while the UI thread is busy (the lane at lock, shutdown) must not wait for it.
            self.thread().quit()

    def _destroy_keys_and_tell_central(self, order: WipeOrdered) -> None:
        # The window still shows the vault until `ended` is emitted: one short try, and a
        # receipt central did not get is kept for the next start (sync.kept_receipt).
        """The engine has pushed what it could: the key slots go now (the vault can no longer
        be read), then central gets the signed receipt, and the worker's message says what
        became of their unsent visits. The window removes the rest of the files."""
        try:
            destroy_key_slots(self._vault.directory)
        except WipeIncomplete as incomplete:  # central still hears the keys are there
            log.error("the key slots could not be destroyed: %s", incomplete)
            send_wipe_receipt(order, datetime.now(UTC), erase=incomplete.outcome,
                              keep_in=self._vault.directory, ca_file=self._policy.ca_file,
                              timeout_seconds=QUICK_RECEIPT_SECONDS, attempts=1)
            return
        told = send_wipe_receipt(order, datetime.now(UTC), keep_in=self._vault.directory,
                                 ca_file=self._policy.ca_file,
                                 timeout_seconds=QUICK_RECEIPT_SECONDS, attempts=1)
        order.user_message = erased_message(order, told=told)

    def _run(self) -> SyncProblem | None:
        conn = self._vault.open_connection()
        try:
            workspace = Workspace.over(conn, actor=ACTOR, standards=self._policy.visit_standards)
            enrollment = SyncLedger(conn).enrollment()
            if enrollment is None:
                raise NotEnrolled()
            with CentralClient(enrollment.server_url, ca_file=self._policy.ca_file) as client:
                engine = SyncEngine(conn, workspace.device, client, audit=workspace.audit,
                                    days_on_device=self._policy.days_on_device,
                                    backoff=engine_backoff())
                interval = self._policy.sync_interval_minutes * 60
                self.loop = SyncLoop(partial(self._one_run, engine, conn),
                                     interval_seconds=interval,
                                     backoff=retry_backoff(interval),
                                     on_report=self.synced.emit, on_problem=self.problem.emit,
                                     probe=partial(central_answers, client),
                                     probe_backoff=probe_backoff())
                if self._stop_requested:
                    self.loop.stop()
                return self.loop.run()
        finally:
            close_connection(conn)  # frees the page cache without holding the GIL

    def _one_run(self, engine: SyncEngine, conn: Connection) -> SyncReport:
        # The collector is not switched here: it is process-wide, and tuned from the UI
        # thread only (desktop_app/collector.py), which hears `run_started`/`run_finished`.

        self.run_started.emit()
        try:
            return run_and_index(engine, conn, self._policy)
        finally:
            self.run_finished.emit()

    def request_stop(self) -> None:
        self._stop_requested = True
        if self.loop is not None:
            self.loop.stop()


# One try of a few seconds: the window holds the vault open until the receipt is sent.
QUICK_RECEIPT_SECONDS = 5.0


class SyncThread(QObject):
    """Owns the sync thread; create and use it on the UI thread."""

    synced = Signal(object)  # SyncReport: counts, `everything_synced`
    run_started = Signal()  # a run (a push, a pull and its indexing) begins on the thread
    run_finished = Signal()  # ...and is over, whatever its outcome
    problem = Signal(object)  # SyncProblem: show `user_message`; syncing goes on if transient
    stopped = Signal(object)  # SyncProblem that ended syncing (revoked, wipe...), or None
    wipe_ordered = Signal(str)  # the vault's key slots are gone; close it and erase the rest

    def __init__(self, vault: Vault, policy: Policy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory: Path = vault.directory
        self._thread = QThread()
        self._thread.setObjectName("sync")
        self._worker = _Worker(vault, policy)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.synced.connect(self.synced)
        self._worker.run_started.connect(self.run_started)
        self._worker.run_finished.connect(self.run_finished)
        self._worker.problem.connect(self.problem)
        self._worker.ended.connect(self._ended)

    def start(self) -> None:
        # What is alive (modules, widgets, the open vault) is already out of full
        # collections, frozen by the unlocked session (desktop_app/collector.py).
        self._thread.start()

    def sync_now(self) -> None:
        """On submit, on "Sync now", when the network comes back: run at once."""
        if self._worker.loop is not None:
            self._worker.loop.wake()

    def stop(self) -> None:
        """Ask the thread to finish; `stopped` is emitted when it has."""
        self._worker.request_stop()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, milliseconds: int) -> bool:
        """For shutdown and tests only: the window never waits on the sync thread."""
        return self._thread.wait(milliseconds)

    def _ended(self, ended: SyncProblem | None) -> None:
        self._thread.quit()
        if isinstance(ended, WipeOrdered):
            log.warning("central ordered this vault erased")
            self.wipe_ordered.emit(ended.user_message)
        self.stopped.emit(ended)


def erase_after_wipe_order(directory: Path, close_vault: Vault) -> None:
    """What the window does on `wipe_ordered`: key slots first, then the database files."""
    erase_vault(directory, close_vault.close)


__all__ = ["SyncReport", "SyncThread", "erase_after_wipe_order"]
