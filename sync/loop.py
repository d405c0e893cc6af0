"""When to sync: now, then every interval; sooner when woken; backing off while it fails.

`SyncLoop.run` blocks its own thread until `stop()`; `wake()` (on submit, on "Sync now",
when the network comes back) starts a run at once instead of waiting out the interval or
the backoff. A refusal that waiting cannot fix (revoked, not enrolled, wipe) ends the loop.

While the last run failed because central could not be reached, the wait is spent probing
it (`probe`, a cheap GET /v1/health) with a short backoff of its own: the moment central
answers, the loop syncs, instead of sleeping out a backoff that may have grown to the
interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sync.backoff import Backoff
from sync.engine import SyncReport
from sync.errors import CentralUnreachable, SyncProblem

log = logging.getLogger("homevisit.sync.loop")


class SyncLoop:
    def __init__(self, run_once: Callable[[], SyncReport], *, interval_seconds: float,
                 backoff: Backoff | None = None,
                 on_report: Callable[[SyncReport], None] = lambda _report: None,
                 on_problem: Callable[[SyncProblem], None] = lambda _problem: None,
                 probe: Callable[[], bool] | None = None,
                 probe_backoff: Backoff | None = None) -> None:
        self._run_once = run_once
        self._interval = interval_seconds
        self._backoff = backoff or Backoff(base_seconds=5.0, cap_seconds=interval_seconds)
        self._on_report = on_report
        self._on_problem = on_problem
        self._probe = probe
        self._probe_backoff = probe_backoff or Backoff(base_seconds=1.0, cap_seconds=30.0)
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
                if self._probe is not None and isinstance(problem, CentralUnreachable):
                    self._wait_probing(wait)
                    continue
            self._woken.wait(wait)
        return None

    def _wait_probing(self, limit: float) -> None:
        """Wait up to `limit`, less if woken or if central answers a probe meanwhile."""
        assert self._probe is not None
        deadline = time.monotonic() + limit
        probes = 0
        while not self._stopped.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            probes += 1
            if self._woken.wait(min(self._probe_backoff.delay(probes), remaining)):
                return
            if self._probe():
                log.info("central answers again after %d probes: syncing now", probes)
                return
