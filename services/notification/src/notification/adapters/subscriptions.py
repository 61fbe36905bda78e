"""The active webhook subscriptions, held in memory by the consumer.

Any event on notification's topics may be wanted by a webhook, yet subscriptions are
few and change seldom, while events come by the dozen per ticket. So the consumer asks
this cache, not the database, and skips an event no subscription wants before any
database work. A change made in this process (the API, the worker disabling one)
clears it at once; another replica's change is seen within ``ttl`` seconds, when the
next event that may be wanted reads the table again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notification.adapters import store


class SubscriptionCache:
    """Active subscriptions as last read, and whether that read is recent enough."""

    def __init__(self, *, ttl: float, now: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._now = now
        self._rows: list[Any] = []
        self._read_at = -float("inf")
        self._generation = 0  # bumped by invalidate: a read begun before it is not kept

    def invalidate(self) -> None:
        """Forget what was read: a subscription was created, deleted or disabled."""
        self._generation += 1
        self._read_at = -float("inf")

    def _fresh(self) -> bool:
        return self._now() - self._read_at < self._ttl

    def may_want(self, event_type: str) -> bool:
        """False only when a recent read shows no active subscription to ``event_type``."""
        if not self._fresh():
            return True
        return any("*" in s.event_types or event_type in s.event_types for s in self._rows)

    async def active(self, session: AsyncSession) -> list[Any]:
        """The active subscriptions, read again if the last read is stale."""
        if self._fresh():
            return self._rows
        generation, started = self._generation, self._now()
        rows = await store.matching_subscriptions(session)
        if generation == self._generation:
            self._rows, self._read_at = rows, started
        return rows


def forget_subscriptions(runtime: Any) -> None:
    """Clear the process's cache, if it keeps one, once a subscription change committed."""
    cache = getattr(runtime.state, "subscriptions", None)
    if cache is not None:
        cache.invalidate()
