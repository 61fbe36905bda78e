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
from typing import TYPE_CHECKING

from notification.domain.delivery import Subscription
from notification.uow import Subscriptions

if TYPE_CHECKING:
    from notification.runtime import NotificationRuntime


class SubscriptionCache:
    """Active subscriptions as last read, and whether that read is recent enough."""

    def __init__(self, *, ttl: float, now: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._now = now
        self._rows: list[Subscription] = []
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
        return any(s.wants_type(event_type) for s in self._rows)

    async def active(self, table: Subscriptions) -> list[Subscription]:
        """The active subscriptions, read again if the last read is stale."""
        if self._fresh():
            return self._rows
        generation, started = self._generation, self._now()
        rows = await table.active()
        if generation == self._generation:
            self._rows, self._read_at = rows, started
        return rows


def forget_subscriptions(runtime: NotificationRuntime) -> None:
    """Clear the process's cache, if it keeps one, once a subscription change committed."""
    cache = runtime.state.subscriptions
    if cache is not None:
        cache.invalidate()
