"""The one way Homevisit runs work off the UI thread.

`run_in_background(work, on_success, on_failure)` queues `work` on the vault lane: a pool
with exactly one thread, so the vault connection is only ever used by one thread at a time
and jobs run in the order they were queued (an autosave queued before a lock is written
before the vault closes). The callbacks run on the UI thread with the result or the
exception. Key derivation, opening a vault, saving drafts and every query go through here,
so the window never freezes. (After Anki's `taskman`: one worker serialises the database.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_running: set[_Task] = set()
_lane: QThreadPool | None = None


def vault_lane() -> QThreadPool:
    """The single-thread pool every vault job runs on."""
    global _lane
    if _lane is None:
        _lane = QThreadPool()
        _lane.setObjectName("vault-lane")
        _lane.setMaxThreadCount(1)
    return _lane


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.relay = _Relay()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:
            self.relay.failed.emit(error)
        else:
            self.relay.succeeded.emit(result)


def _ignore(_: object) -> None:
    return None


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None] = _ignore,
    on_failure: Callable[[Exception], None] = _ignore,
    *,
    owner: QObject | None = None,
) -> None:
    """Queue `work` on the vault lane; exactly one callback runs, on the UI thread.

    With `owner`, the callbacks are skipped if that widget has been destroyed meanwhile
    (a screen closed by a lock while its save was still running).
    """
    task = _Task(work)
    _running.add(task)

    def alive() -> bool:
        return owner is None or shiboken6.isValid(owner)

    def succeeded(result: object) -> None:
        _running.discard(task)
        if alive():
            on_success(result)

    def failed(error: object) -> None:
        _running.discard(task)
        assert isinstance(error, Exception)
        if alive():
            on_failure(error)

    task.relay.succeeded.connect(succeeded)
    task.relay.failed.connect(failed)
    vault_lane().start(task)


def wait_for_background_work(timeout_ms: int = 30_000) -> bool:
    """Block until the lane is idle (at shutdown, so a half-done write can finish)."""
    return vault_lane().waitForDone(timeout_ms)
