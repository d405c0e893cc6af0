"""The one way Homevisit runs work off the UI thread.

`run_in_background(work, on_success, on_failure)` runs `work` on the shared thread pool and
calls back on the UI thread with its result or its exception. Key derivation, opening a
vault and any disk-heavy query go through here, so the window never freezes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_running: set[_Task] = set()


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


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None],
) -> None:
    """Run `work` on a pool thread; exactly one of the callbacks runs, on the UI thread."""
    task = _Task(work)
    _running.add(task)

    def succeeded(result: object) -> None:
        _running.discard(task)
        on_success(result)

    def failed(error: object) -> None:
        _running.discard(task)
        assert isinstance(error, Exception)
        on_failure(error)

    task.relay.succeeded.connect(succeeded)
    task.relay.failed.connect(failed)
    QThreadPool.globalInstance().start(task)


def wait_for_background_work(timeout_ms: int = 30_000) -> bool:
    """Block until the pool is idle (at shutdown, so a half-done write can finish)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
