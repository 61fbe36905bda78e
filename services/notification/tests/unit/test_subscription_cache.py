"""Which events reach a handler: the subscription cache and the one-handler registry."""

from __future__ import annotations

from typing import Any

import pytest

from notification.adapters.subscriptions import SubscriptionCache
from notification.config import Settings
from notification.handlers import NotificationHandlers
from shared.messaging.handlers import inbox_name
from shared.settings import DatabaseSettings

from .conftest import FakeSubscriptions

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def table() -> FakeSubscriptions:
    """The subscription table the cache reads (no database)."""
    return FakeSubscriptions()


class TestSubscriptionCache:
    async def test_unread_or_stale_cache_may_want_anything(self, table: FakeSubscriptions) -> None:
        clock = Clock()
        cache = SubscriptionCache(ttl=1.0, now=clock)
        assert cache.may_want("sla.timer.unchanged")

        await cache.active(table)
        assert not cache.may_want("sla.timer.unchanged")

        clock.t += 1.5
        assert cache.may_want("sla.timer.unchanged")

    async def test_wants_only_subscribed_types_until_invalidated(
        self, table: FakeSubscriptions
    ) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())
        table.make("ticket.assigned")
        await cache.active(table)
        assert cache.may_want("ticket.assigned")
        assert not cache.may_want("sla.timer.unchanged")

        table.make("*")
        assert not cache.may_want("sla.timer.unchanged")  # not read again yet
        cache.invalidate()
        assert len(await cache.active(table)) == 2
        assert cache.may_want("sla.timer.unchanged")

    async def test_a_read_overtaken_by_a_change_is_not_kept(self) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())

        class Racing(FakeSubscriptions):
            async def active(self) -> list[Any]:
                cache.invalidate()  # a subscription committed while the read was in flight
                return []

        assert await cache.active(Racing()) == []
        assert cache.may_want("ticket.assigned")


class TestRegistry:
    def _registry(self, cache: SubscriptionCache) -> Any:
        settings = Settings(database=DatabaseSettings(url="postgresql+asyncpg://x@localhost/x"))
        return NotificationHandlers(settings, subscriptions=cache).registry()

    async def test_a_type_nobody_wants_is_absent_once_the_cache_says_so(
        self, table: FakeSubscriptions
    ) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())
        registry = self._registry(cache)
        assert len(registry.get("sla.timer.unchanged", ())) == 1  # unknown yet: may be wanted

        await cache.active(table)
        assert registry.get("sla.timer.unchanged", ()) == ()
        assert "sla.timer.unchanged" in list(registry)

    async def test_a_type_with_its_own_use_has_one_handler_named_after_it(
        self, table: FakeSubscriptions
    ) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())
        await cache.active(table)
        registry = self._registry(cache)
        [handler] = registry["ticket.created"]
        assert inbox_name(handler).endswith("NotificationHandlers.on_ticket_created")
        [deadline] = registry["sla.timer.scheduled"]
        assert inbox_name(deadline).endswith("NotificationHandlers.on_deadline")
