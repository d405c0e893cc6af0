"""How long to wait before trying central again: exponential, capped, with full jitter.

Full jitter (a uniform draw between zero and the exponential ceiling) keeps hundreds of
laptops that lost the network together from all coming back in the same second.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sync.errors import CentralTooOld, SyncProblem

log = logging.getLogger("homevisit.sync")

T = TypeVar("T")


@dataclass
class Backoff:
    base_seconds: float = 1.0
    cap_seconds: float = 300.0
    rng: random.Random = field(default_factory=random.SystemRandom)

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` failures in a row (1 for the first)."""
        if failures <= 0:
            return 0.0
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** min(failures - 1, 30))
        return self.rng.uniform(0.0, ceiling)


def retrying(call: Callable[[], T], *, attempts: int, backoff: Backoff,
             sleep: Callable[[float], None] = time.sleep) -> T:
    """`call()`, tried again after network trouble or a server error (a transient
    `SyncProblem`), up to `attempts` tries with backoff. A central too old for this laptop
    is not tried again: only its upgrade changes the answer."""
    failures = 0
    while True:
        try:
            return call()
        except CentralTooOld:
            raise
        except SyncProblem as problem:
            if not problem.transient:
                raise
            failures += 1
            if failures >= max(1, attempts):
                raise
            delay = backoff.delay(failures)
            log.info("sync: %s; trying again in %.1f s", problem, delay)
            sleep(delay)
