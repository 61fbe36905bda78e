"""The entitlement-check cache never answers with what a committed change made false."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import SystemClock

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


async def cache_on(api) -> object:
    cache = api.app.state.runtime.state.entitlement_cache
    deadline = asyncio.get_running_loop().time() + 10
    while not cache.enabled:
        assert asyncio.get_running_loop().time() < deadline, "cache listener never connected"
        await asyncio.sleep(0.01)
    return cache


class TestEntitlementCache:
    async def test_repeated_checks_are_served_from_memory_and_writes_are_seen_at_once(
        self, ent
    ) -> None:
        cache = await cache_on(ent)
        customer = await ent.customer(trained_specialists=1)
        contact = await ent.contact(customer["id"])
        first = await ent.entitlement(contact_email=contact["email"])
        # (The first read may race the contact's own change notification and not be kept.)
        await ent.entitlement(contact_email=contact["email"])
        hits = cache.hits

        second = await ent.entitlement(contact_email=contact["email"])
        assert cache.hits == hits + 1
        assert second == {**first, "at": second["at"]}

        # Each write on this replica is visible to the very next check.
        await ent.contract(
            customer["id"],
            tier="business",
            starts_on=(datetime.now(UTC).date() - timedelta(days=1)).isoformat(),
            ends_on=(datetime.now(UTC).date() + timedelta(days=30)).isoformat(),
        )
        assert (await ent.entitlement(contact_email=contact["email"]))["tier"] == "business"
        await ent.http.put(
            f"/api/v1/customers/{customer['id']}/calendar", json={"timezone": "Asia/Omsk"}
        )
        assert (await ent.entitlement(contact_email=contact["email"]))["timezone"] == "Asia/Omsk"
        await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contacts/{contact['id']}/deactivate"
        )
        gone = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": contact["email"]}
        )
        assert gone.status_code == 404

    async def test_a_change_made_by_another_replica_reaches_this_replicas_cache(
        self, ent, open_app
    ) -> None:
        await cache_on(ent)
        customer = await ent.customer()
        contact = await ent.contact(customer["id"], chat_id=f"tg-cache-{customer['id']}")
        assert (await ent.entitlement(chat_id=contact["chat_id"]))["tier"] == "basic"  # now cached

        async with open_app(clock=SystemClock()) as other:
            patched = await other.http.patch(
                f"/api/v1/customers/{customer['id']}",
                json={"warranty_until": (datetime.now(UTC).date() + timedelta(days=9)).isoformat()},
            )
            assert patched.status_code == 200

        deadline = asyncio.get_running_loop().time() + 5
        while (await ent.entitlement(chat_id=contact["chat_id"]))["tier"] != "standard":
            assert asyncio.get_running_loop().time() < deadline, "stale answer outlived the change"
            await asyncio.sleep(0.01)
