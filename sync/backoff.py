"""How long to wait before trying central again: exponential, capped, with full jitter.

Full jitter (a uniform draw between zero and the exponential ceiling) keeps hundreds of
laptops that lost the network together from all coming back in the same second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


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
