"""When the next attempt of a failed delivery runs: exponential backoff with jitter.

Attempt ``n`` (1-based, the one that just failed) waits ``min(cap, base * 2**(n-1))``
scaled by a random factor in ``[1 - jitter, 1 + jitter]``, so receivers that fail together
are not retried together. With the webhook defaults (base 60 s, cap 8 h, 14 attempts)
the retries span more than a day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how far apart one channel retries."""

    max_attempts: int
    base_seconds: float
    cap_seconds: float
    jitter: float = 0.2

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based)."""
        raw = min(self.cap_seconds, self.base_seconds * 2.0 ** max(0, attempt - 1))
        if self.jitter <= 0:
            return raw
        factor: float = (rng or random).uniform(1 - self.jitter, 1 + self.jitter)
        return max(0.0, float(raw) * factor)

    def gives_up_after(self, attempt: int) -> bool:
        """True when ``attempt`` was the last one allowed."""
        return attempt >= self.max_attempts

    def span_seconds(self) -> float:
        """The nominal time from the first attempt to the last (no jitter)."""
        return float(
            sum(
                min(self.cap_seconds, self.base_seconds * 2.0 ** (n - 1))
                for n in range(1, self.max_attempts)
            )
        )
