"""The one way Homevisit runs work off the UI thread.

`op(parent, work).success(...).failure(...).run()` queues `work` on the vault lane: a pool
with exactly one thread, so the vault connection is only ever used by one thread at a time
and jobs run in the order they were queued (an autosave queued before a lock is written
before the vault closes). The callbacks run on the UI thread with the result or the
exception. Key derivation, opening a vault, saving drafts and every query go through here,
so the window never freezes. (After Anki's `taskman`: one worker serialises the database.)

It is the only way to queue work (after Anki's operations; every call site uses it, so none
lacks a failure path). Work queued without a failure handler is not allowed to fail silently:
the default logs the error's type (never its text, which may hold a child's words) and,
when there is a window to show it on, says calmly what happened and that nothing was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)
T = TypeVar("T")
_FAILED = "background work failed: %s"  # a log line, never shown to the user

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


def quietly(error: Exception) -> None:
    """For a read whose answer is only a nicety (the next due date, the flags while typing):
    a failure is logged at INFO and the screen carries on without it."""
    log.info("background read skipped: %s", type(error).__name__)


def calm_failure(parent: QObject | None) -> Callable[[Exception], None]:
    """The failure handler for work that names none: log the type, tell the user calmly."""

    def report(error: Exception) -> None:
        log.warning(_FAILED, type(error).__name__)
        if not isinstance(parent, QWidget) or not shiboken6.isValid(parent):
            return
        text = getattr(error, "user_message", None) or QCoreApplication.translate(
            "background", "Something unexpected went wrong. Nothing was lost; try again, "
            "and contact IT if it recurs.")
        QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate(
            "background", "Homevisit"), text, QMessageBox.StandardButton.Ok,
            parent.window()).open()

    return report


class Op(Generic[T]):
    """Work for the vault lane, with its callbacks (`op(parent, work).success(f).run()`)."""

    def __init__(self, parent: QObject | None, work: Callable[[], T]) -> None:
        self._parent = parent
        self._work = work
        self._on_success: Callable[[T], None] = _ignore
        self._on_failure: Callable[[Exception], None] = calm_failure(parent)

    def success(self, on_success: Callable[[T], None]) -> Op[T]:
        self._on_success = on_success
        return self

    def failure(self, on_failure: Callable[[Exception], None]) -> Op[T]:
        self._on_failure = on_failure
        return self

    def run(self) -> None:
        """Queue the work; callbacks are skipped if `parent` is destroyed meanwhile."""
        _run_in_background(self._work, self._on_success, self._on_failure, owner=self._parent)


def op(parent: QObject | None, work: Callable[[], T]) -> Op[T]:
    return Op(parent, work)


def _run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None] = _ignore,
    on_failure: Callable[[Exception], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Queue `work` on the vault lane; exactly one callback runs, on the UI thread.

    With `owner`, the callbacks are skipped if that widget has been destroyed meanwhile
    (a screen closed by a lock while its save was still running).
    """
    failure = on_failure if on_failure is not None else calm_failure(owner)
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
            failure(error)
        elif on_failure is None:  # nobody left to tell, but the failure is still logged
            log.warning(_FAILED, type(error).__name__)

    task.relay.succeeded.connect(succeeded)
    task.relay.failed.connect(failed)
    vault_lane().start(task)


def wait_for_background_work(timeout_ms: int = 30_000) -> bool:
    """Block until the lane is idle (at shutdown, so a half-done write can finish)."""
    return vault_lane().waitForDone(timeout_ms)
