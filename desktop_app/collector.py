"""The garbage collector's tuning, in one place, touched only by the UI thread.

A full collection holds the interpreter lock while it walks every tracked object: with the
modules loaded at start-up, the open vault, its 5,000-row caseload and, during a sync run,
thousands of parsed visits alive, that stalled the window for 50-300 ms. So, while a vault
is unlocked:

- what is alive at unlock (modules, widgets, the session, the caseload) is frozen out of
  every collection (`gc.freeze`), and
- the youngest generation's threshold is raised, so the sync thread's and the lane's bursts
  of allocation (a pull, the review index) trigger far fewer collections; reference
  counting still frees everything that is not in a cycle at once.

At lock both are undone, so what the closed session leaves is collected. These were
switched from three places before (the lane, the sync thread, the window); the process's
collector is global, so a single owner on a single thread is the only safe shape.
"""

from __future__ import annotations

import gc
import threading

UNLOCKED_THRESHOLD_0 = 20_000  # Python's default is 700 objects between gen-0 collections


class _Tuning:
    held = False
    default_thresholds: tuple[int, int, int] = gc.get_threshold()


def _on_ui_thread() -> None:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the collector is tuned from the UI thread only")


def hold_for_session() -> None:
    """At unlock, on the UI thread, once the caseload is in: freeze what is alive now."""
    _on_ui_thread()
    if not _Tuning.held:
        _Tuning.held = True
        _Tuning.default_thresholds = gc.get_threshold()
        first, second, third = _Tuning.default_thresholds
        gc.set_threshold(max(first, UNLOCKED_THRESHOLD_0), second, third)
    gc.freeze()  # again on each call: what an enrolment or a review screen added joins it


def release_after_session() -> None:
    """At lock, on the UI thread: back to the interpreter's defaults."""
    _on_ui_thread()
    if _Tuning.held:
        _Tuning.held = False
        gc.set_threshold(*_Tuning.default_thresholds)
    gc.unfreeze()
