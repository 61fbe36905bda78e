"""The live stream end to end: resumption, customer isolation, filters and heartbeats."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.testing.builders import make_customer_contact, make_key, make_ticket
from shared.testing.sse import SseEvent, SseReader

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def _customer_with_contact(api: httpx.AsyncClient) -> tuple[str, str]:
    """A customer whose tier has no open-ticket limit, and one contact."""
    customer, contact = await make_customer_contact(api, "extended")
    return customer["id"], contact["email"]


def created(ticket_id: str) -> Any:
    return lambda e: e.type == "ticket.created" and e.payload.get("ticket_id") == ticket_id


def of_customer(e: SseEvent) -> set[str]:
    p = e.payload
    return {str(c) for c in [p.get("customer_id"), *p.get("customer_ids", [])] if c}


class TestResumption:
    async def test_a_client_that_reconnects_with_last_event_id_loses_nothing(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer, email = await _customer_with_contact(api)
        mine = {"customer": customer}
        url, key = stack.gateway_url, stack.admin_key
        async with SseReader(url, key, params=mine) as steady:
            async with SseReader(url, key, params=mine) as first:
                one = await make_ticket(api, email)
                await first.wait_for(created(one["id"]))
                left_at = first.last_id
            two = await make_ticket(api, email)  # while the client is away
            three = await make_ticket(api, email)
            await steady.wait_for(created(three["id"]))
            async with SseReader(url, key, params=mine, last_event_id=left_at) as again:
                four = await make_ticket(api, email)
                await again.wait_for(created(four["id"]))
                await steady.wait_for(created(four["id"]))
                await asyncio.sleep(0.5)

        assert left_at is not None
        [four_seen] = steady.matching(created(four["id"]))
        # Ids are the tail's positions: the steady client saw the same id where the first left.
        ids = [e.id for e in steady.events]
        expected = ids[ids.index(left_at) + 1 :]
        expected = expected[: expected.index(four_seen.id) + 1]
        got = [e.id for e in again.events]
        assert got[: len(expected)] == expected  # the same events, in order, none twice
        assert {two["id"], three["id"]} <= {e.payload.get("ticket_id") for e in again.events}
        assert all(e.kind == "message" for e in again.events)

    async def test_a_page_resumes_from_the_position_it_was_rendered_at(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        """``since`` (a page's render position; EventSource cannot send a header on its
        first connection) replays what came after it; a reconnect's header goes first."""
        customer, email = await _customer_with_contact(api)
        mine = {"customer": customer}
        url, key = stack.gateway_url, stack.admin_key
        async with SseReader(url, key, params=mine) as steady:
            one = await make_ticket(api, email)
            await steady.wait_for(created(one["id"]))
            rendered_at = steady.last_id
            assert rendered_at is not None
            two = await make_ticket(api, email)  # after the render, before the subscription
            await steady.wait_for(created(two["id"]))
            async with SseReader(url, key, params={**mine, "since": rendered_at}) as page:
                await page.wait_for(created(two["id"]))
            header_wins = {**mine, "since": "someone-else.42"}
            async with SseReader(url, key, params=header_wins, last_event_id=rendered_at) as again:
                await again.wait_for(created(two["id"]))

        assert not page.matching(created(one["id"]))  # nothing from before the render
        assert all(e.kind == "message" for e in page.events + again.events)

    async def test_an_unknown_id_is_answered_with_a_gap(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with SseReader(
            stack.gateway_url, stack.admin_key, last_event_id="someone-else.42"
        ) as reader:
            [gap] = await reader.wait_for(lambda e: e.kind == "gap")

        assert gap.id is not None


class TestIsolationAndFilters:
    async def test_customer_a_never_sees_customer_b_and_filters_admit_only_theirs(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        a, a_email = await _customer_with_contact(api)
        b, b_email = await _customer_with_contact(api)
        url = stack.gateway_url
        a_key, bot_key = await make_key(api, "customer", a), await make_key(api, "bot", a)
        async with (
            SseReader(url, a_key) as as_a,
            SseReader(url, bot_key) as as_bot,
            SseReader(url, stack.admin_key, params={"customer": b, "type": "ticket.*"}) as only_b,
            SseReader(url, stack.admin_key, params={"line": 2, "customer": b}) as line_two,
        ):
            ta = await make_ticket(api, a_email)
            tb = await make_ticket(api, b_email)
            r = await api.post(f"/api/v1/tickets/{tb['id']}/escalations", json={"line": 2})
            assert r.status_code in (200, 201), r.text
            await line_two.wait_for(lambda e: e.type == "ticket.escalated")
            await as_a.wait_for(created(ta["id"]))
            await as_bot.wait_for(created(ta["id"]))
            await only_b.wait_for(created(tb["id"]))
            await asyncio.sleep(1.0)  # B's sla.* and escalation events have had time to arrive

        for reader in (as_a, as_bot):
            assert reader.events
            assert all(of_customer(e) == {a} for e in reader.events), [
                (e.type, of_customer(e)) for e in reader.events
            ]
        assert {e.payload["ticket_id"] for e in only_b.events} == {tb["id"]}
        assert all(e.type.startswith("ticket.") for e in only_b.events)
        assert {e.payload["ticket_id"] for e in line_two.events} == {tb["id"]}
        assert "ticket.created" not in {e.type for e in line_two.events}  # it was on line 1

    async def test_a_customer_key_asking_for_another_customer_gets_404(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        a, _ = await _customer_with_contact(api)
        b, _ = await _customer_with_contact(api)
        key = await make_key(api, "customer", a)
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=stack.gateway_url, headers=headers) as client:
            refused = await client.get("/api/v1/stream", params={"customer": b})
            own = await client.get("/api/v1/stream", params={"customer": a})

        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert own.status_code == 200
        assert set(own.json()) == {"last_event_id", "gap", "items"}


class TestHeartbeat:
    async def test_an_idle_stream_gets_heartbeats(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        quiet, _ = await _customer_with_contact(api)
        # Its ticket events only: the customer's own creation events may still be on their
        # way through the relay when the stream opens; a customer without tickets is idle.
        params = {"customer": quiet, "type": "ticket.*", "heartbeat": 1}
        async with SseReader(stack.gateway_url, stack.admin_key, params=params) as reader:
            for _ in range(100):
                if reader.heartbeats >= 2:
                    break
                await asyncio.sleep(0.05)

        assert reader.heartbeats >= 2
        assert reader.events == []
