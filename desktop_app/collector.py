"""The garbage collector's tuning, in one place, touched only by the UI thread.

A full collection holds the interpreter lock while it walks every tracked object: with the
modules loaded at start-up, the open vault, its 5,000-row caseload and, during a sync run,
thousands of parsed visits alive, that stalled the window for 50-300 ms. So:

- at unlock, what is alive (modules, widgets, the session, the caseload) is frozen out of
  every collection (`gc.freeze`), until the lock;
- while a sync run (a push, a pull and its review indexing) is under way on the sync
  thread, cyclic collection is paused (reference counting still frees everything not in a
  cycle), and resumed when the run is over and its objects are gone. The sync thread only
  says when a run starts and ends (`SyncThread.run_started` / `run_finished`, queued to
  the UI thread); it never switches the collector itself.

At lock everything is given back, so what the closed session leaves is collected. These
were switched from three places before (the lane, the sync thread, the window); the
process's collector is global, so a single owner on a single thread is the only safe shape.
"""

from __future__ import annotations

import gc
import threading


class _Tuning:
    held = False  # an unlocked session holds the frozen heap
    paused = False  # a sync run is under way: no automatic collection


def _on_ui_thread() -> None:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the collector is tuned from the UI thread only")


def hold_for_session() -> None:
    """At unlock, once the caseload is in: freeze what is alive now."""
    _on_ui_thread()
    _Tuning.held = True
    gc.freeze()  # again on each call: what an enrolment or a review screen added joins it


def pause_during_sync() -> None:
    """A sync run began: no cyclic collection until it is over (only while unlocked)."""
    _on_ui_thread()
    if _Tuning.held and not _Tuning.paused:
        _Tuning.paused = gc.isenabled()
        gc.disable()


def resume_after_sync() -> None:
    _on_ui_thread()
    if _Tuning.paused:
        _Tuning.paused = False
        gc.enable()


def release_after_session() -> None:
    """At lock: collection as the interpreter does it by default, nothing frozen."""
    _on_ui_thread()
    resume_after_sync()
    _Tuning.held = False
    gc.unfreeze()
