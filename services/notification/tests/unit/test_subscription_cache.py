"""Which events reach a handler: the subscription cache and the one-handler registry."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest

from notification.adapters import subscriptions
from notification.adapters.subscriptions import SubscriptionCache
from notification.config import Settings
from notification.handlers import NotificationHandlers
from shared.settings import DatabaseSettings

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _sub(*event_types: str) -> Any:
    return SimpleNamespace(id=uuid4(), event_types=list(event_types), customer_id=None)


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The subscription table the cache reads (no database)."""
    rows: list[Any] = []

    async def read(session: Any) -> list[Any]:
        return list(rows)

    monkeypatch.setattr(subscriptions.store, "matching_subscriptions", read)
    return rows


class TestSubscriptionCache:
    async def test_unread_or_stale_cache_may_want_anything(self, table: list[Any]) -> None:
        clock = Clock()
        cache = SubscriptionCache(ttl=1.0, now=clock)
        assert cache.may_want("sla.timer.unchanged")

        await cache.active(session=None)  # type: ignore[arg-type]
        assert not cache.may_want("sla.timer.unchanged")

        clock.t += 1.5
        assert cache.may_want("sla.timer.unchanged")

    async def test_wants_only_subscribed_types_until_invalidated(self, table: list[Any]) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())
        table.append(_sub("ticket.assigned"))
        await cache.active(session=None)  # type: ignore[arg-type]
        assert cache.may_want("ticket.assigned")
        assert not cache.may_want("sla.timer.unchanged")

        table.append(_sub("*"))
        assert not cache.may_want("sla.timer.unchanged")  # not read again yet
        cache.invalidate()
        assert len(await cache.active(session=None)) == 2  # type: ignore[arg-type]
        assert cache.may_want("sla.timer.unchanged")

    async def test_a_read_overtaken_by_a_change_is_not_kept(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())

        async def read_then_change(session: Any) -> list[Any]:
            cache.invalidate()  # a subscription committed while the read was in flight
            return []

        monkeypatch.setattr(subscriptions.store, "matching_subscriptions", read_then_change)
        assert await cache.active(session=None) == []  # type: ignore[arg-type]
        assert cache.may_want("ticket.assigned")


class TestRegistry:
    def _registry(self, cache: SubscriptionCache) -> Any:
        settings = Settings(database=DatabaseSettings(url="postgresql+asyncpg://x@localhost/x"))
        return NotificationHandlers(settings, subscriptions=cache).registry()

    async def test_a_type_nobody_wants_is_absent_once_the_cache_says_so(
        self, table: list[Any]
    ) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())
        registry = self._registry(cache)
        assert len(registry.get("sla.timer.unchanged", ())) == 1  # unknown yet: may be wanted

        await cache.active(session=None)  # type: ignore[arg-type]
        assert registry.get("sla.timer.unchanged", ()) == ()
        assert "sla.timer.unchanged" in list(registry)

    async def test_a_type_with_its_own_use_has_one_handler_named_after_it(
        self, table: list[Any]
    ) -> None:
        cache = SubscriptionCache(ttl=60.0, now=Clock())
        await cache.active(session=None)  # type: ignore[arg-type]
        registry = self._registry(cache)
        [handler] = registry["ticket.created"]
        assert handler.__qualname__ == "NotificationHandlers.on_ticket_created"
        [deadline] = registry["sla.timer.scheduled"]
        assert deadline.__qualname__ == "NotificationHandlers.on_deadline"
