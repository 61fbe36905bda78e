"""Per-key rate limits: a token bucket per API key, in this gateway replica's memory.

Why memory and not PostgreSQL: the bucket is consulted on every request, and a
database round trip (or a row lock on a hot key) on the hot path would cost
more than the authorisation itself. So the limits are shared by division: with
``REPLICAS=N`` each replica admits ``per_second / N`` sustained and a burst of
``ceil(burst / N)``, and the N replicas together admit the configured rate for
one key when a load balancer spreads its requests evenly (round robin does). A
client pinned to one replica gets its share, not the whole; a restart refills
that replica's buckets.

A bucket holds up to ``burst`` tokens and refills at ``per_second``; a request
takes one. Every answer to an authenticated request carries ``RateLimit-Limit``
(the burst), ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds until the
bucket is full again); a refused one is 429 with ``Retry-After`` (seconds until
one token is back).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from shared.auth import Role
from shared.errors import DomainError


class Limit(BaseModel):
    """One role's bucket: ``per_second`` sustained, ``burst`` at once."""

    per_second: float = Field(gt=0)
    burst: int = Field(ge=1)


DEFAULT_LIMITS: dict[str, Limit] = {
    Role.admin: Limit(per_second=50, burst=200),
    Role.manager: Limit(per_second=20, burst=100),
    Role.agent: Limit(per_second=20, burst=100),
    Role.system: Limit(per_second=200, burst=1000),
    Role.customer: Limit(per_second=5, burst=30),
    Role.bot: Limit(per_second=10, burst=60),
}


def share(limit: Limit, replicas: int) -> Limit:
    """One replica's share of ``limit`` when ``replicas`` gateways split a key's traffic."""
    if replicas <= 1:
        return limit
    return Limit(per_second=limit.per_second / replicas, burst=math.ceil(limit.burst / replicas))


class RateLimited(DomainError):
    status, slug, title = 429, "rate-limited", "Too many requests"


@dataclass
class Decision:
    """The bucket after one request: admitted or not, and the headers that say so."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        out = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            out["Retry-After"] = str(self.retry_after)
        return out


class RateLimiter:
    """Token buckets keyed by API key id; O(1) per request, no I/O."""

    def __init__(
        self,
        limits: dict[str, Limit],
        *,
        clock: Callable[[], float] = time.monotonic,
        replicas: int = 1,
    ) -> None:
        self._limits = {
            role: share(limit, replicas) for role, limit in {**DEFAULT_LIMITS, **limits}.items()
        }
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def take(self, key: str, role: str) -> Decision:
        """Take one token from ``key``'s bucket (created full on first use)."""
        limit = self._limits[role]
        now = self._clock()
        tokens, at = self._buckets.get(key, (float(limit.burst), now))
        tokens = min(float(limit.burst), tokens + (now - at) * limit.per_second)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        if len(self._buckets) > 100_000:
            self._buckets.clear()  # bounded memory; a cleared bucket starts full
        self._buckets[key] = (tokens, now)
        return Decision(
            allowed=allowed,
            limit=limit.burst,
            remaining=int(tokens),
            reset_seconds=math.ceil((limit.burst - tokens) / limit.per_second),
            retry_after=0 if allowed else max(1, math.ceil((1.0 - tokens) / limit.per_second)),
        )
