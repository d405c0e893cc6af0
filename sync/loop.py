"""When to sync: now, then every interval; sooner when woken; backing off while it fails.

`SyncLoop.run` blocks its own thread until `stop()`; `wake()` (on submit, on "Sync now",
when the network comes back) starts a run at once instead of waiting out the interval or
the backoff. A refusal that waiting cannot fix (revoked, not enrolled, wipe) ends the loop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sync.backoff import Backoff
from sync.engine import SyncReport
from sync.errors import SyncProblem

log = logging.getLogger("homevisit.sync.loop")


class SyncLoop:
    def __init__(self, run_once: Callable[[], SyncReport], *, interval_seconds: float,
                 backoff: Backoff | None = None,
                 on_report: Callable[[SyncReport], None] = lambda _report: None,
                 on_problem: Callable[[SyncProblem], None] = lambda _problem: None) -> None:
        self._run_once = run_once
        self._interval = interval_seconds
        self._backoff = backoff or Backoff(base_seconds=5.0, cap_seconds=interval_seconds)
        self._on_report = on_report
        self._on_problem = on_problem
        self._woken = threading.Event()
        self._stopped = threading.Event()

    def wake(self) -> None:
        self._woken.set()

    def stop(self) -> None:
        self._stopped.set()
        self._woken.set()

    def run(self) -> SyncProblem | None:
        """Sync until stopped; returns the refusal that ended it, if one did."""
        failures = 0
        while not self._stopped.is_set():
            self._woken.clear()
            try:
                self._on_report(self._run_once())
                failures = 0
                wait = self._interval
            except SyncProblem as problem:
                self._on_problem(problem)
                if not problem.transient:
                    return problem
                failures += 1
                wait = self._backoff.delay(failures)
                log.info("sync failed %d times in a row; next try in %.0f s", failures, wait)
            self._woken.wait(wait)
        return None
