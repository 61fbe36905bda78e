"""Inbound messages are known per customer and conversation; reopening respects the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deskstack.stack import RunningStack
from shared.testing.builders import (
    act_as_customer,
    make_contact,
    make_customer,
    make_customer_contact,
    make_ticket,
    move,
    unique,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def chat(api: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await api.post("/api/v1/intake/chat", json=body)


async def chat_customer(api: httpx.AsyncClient) -> tuple[dict[str, Any], str]:
    customer = await make_customer(api)
    chat_id = unique("chat")
    await make_contact(api, customer["id"], chat_id=chat_id)
    return customer, chat_id


@pytest_asyncio.fixture(loop_scope="session")
async def bound_key(
    stack: RunningStack, api: httpx.AsyncClient
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, Any], dict[str, Any]]]:
    """A bot key bound to a new customer B, with B and B's contact."""
    customer, contact = await make_customer_contact(api)
    r = await api.post(
        "/api/v1/api-keys",
        json={"name": unique("portal"), "role": "bot", "customer_id": customer["id"]},
    )
    assert r.status_code == 201, r.text
    async with httpx.AsyncClient(
        base_url=stack.gateway_url,
        headers={"Authorization": f"Bearer {r.json()['key']}"},
        timeout=30,
    ) as client:
        yield client, customer, contact


class TestChatMessageIdsArePerChat:
    async def test_the_same_message_id_in_another_chat_is_a_new_message(
        self, api: httpx.AsyncClient
    ) -> None:
        customer_a, chat_a = await chat_customer(api)
        customer_b, chat_b = await chat_customer(api)
        first = await chat(api, chat_id=chat_a, message_id="1", text="A: printer on fire")
        assert first.status_code == 201, first.text
        other = await chat(api, chat_id=chat_b, message_id="1", text="B: login fails")
        assert other.status_code == 201, other.text
        assert (other.json()["duplicate"], other.json()["outcome"]) == (False, "ticket_created")
        ticket_b = other.json()["ticket"]
        assert (ticket_b["customer_id"], ticket_b["subject"]) == (
            customer_b["id"],
            "B: login fails",
        )
        assert ticket_b["id"] != first.json()["ticket"]["id"]
        # A repeat within a chat is still a duplicate of that chat's message.
        again = await chat(api, chat_id=chat_a, message_id="1", text="A: printer on fire")
        assert (again.status_code, again.json()["duplicate"]) == (200, True)
        assert again.json()["ticket"]["customer_id"] == customer_a["id"]

    async def test_a_reply_threads_to_the_message_of_its_own_chat(
        self, api: httpx.AsyncClient
    ) -> None:
        _, chat_a = await chat_customer(api)
        _, chat_b = await chat_customer(api)
        a = await chat(api, chat_id=chat_a, message_id="7", text="A: export hangs")
        b = await chat(api, chat_id=chat_b, message_id="7", text="B: import hangs")
        assert (a.status_code, b.status_code) == (201, 201), (a.text, b.text)
        reply = await chat(
            api, chat_id=chat_b, message_id="8", text="B: still hangs", reply_to_message_id="7"
        )
        assert reply.status_code == 201, reply.text
        assert (reply.json()["outcome"], reply.json()["ticket"]["id"]) == (
            "comment_added",
            b.json()["ticket"]["id"],
        )
        theirs = (await api.get(f"/api/v1/tickets/{a.json()['ticket']['id']}/comments")).json()
        # Nothing of B's on A's ticket. (A basic ticket may carry the knowledge base's
        # suggestions, when another test's article matches "export": not a reply.)
        assert [c["body"] for c in theirs if c["author"] != "knowledge-base"] == []


class TestEmailRepeatsNeverLeakAnotherCustomersTicket:
    async def test_a_bound_key_reusing_a_message_id_gets_no_foreign_ticket(
        self,
        api: httpx.AsyncClient,
        bound_key: tuple[httpx.AsyncClient, dict[str, Any], dict[str, Any]],
    ) -> None:
        portal, customer_b, contact_b = bound_key
        _, contact_a = await make_customer_contact(api)
        message_id = f"<{unique('m')}@a.example>"
        sent = {"subject": "Confidential outage", "body": "details", "message_id": message_id}
        first = await api.post("/api/v1/intake/email", json={"from": contact_a["email"], **sent})
        assert first.status_code == 201, first.text
        ticket_a = first.json()["ticket"]

        # B's key replaying A's message as A: the scope check comes before any replay.
        stolen = await portal.post(
            "/api/v1/intake/email", json={"from": contact_a["email"], **sent}
        )
        assert stolen.status_code == 403, stolen.text
        assert stolen.headers["content-type"].startswith("application/problem+json")
        assert ticket_a["id"] not in stolen.text

        # B's own contact with A's Message-ID: a new message of B, not A's ticket.
        own = await portal.post(
            "/api/v1/intake/email",
            json={"from": contact_b["email"], **sent, "subject": "Our own question"},
        )
        assert own.status_code == 201, own.text
        body = own.json()
        assert (body["duplicate"], body["ticket"]["customer_id"]) == (False, customer_b["id"])
        assert body["ticket"]["id"] != ticket_a["id"]


class TestReopeningRespectsTheOpenTicketLimit:
    async def test_reopen_at_the_limit_is_409_naming_the_open_ticket(
        self, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        email = contact["email"]
        first = await make_ticket(api, email, subject="First")
        for action, body in (("take", {"assignee": "eng-1"}), ("resolve", {})):
            r = await move(api, first["id"], action, **body)
            assert r.status_code == 200, r.text
        # A resolved ticket does not count, so a second one is admitted...
        second = await make_ticket(api, email, subject="Second")
        # ...and reopening the first would make two open tickets on a limit-1 tier.
        r = await move(api, first["id"], "reopen", actor=act_as_customer(email))
        assert r.status_code == 409, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["type"].endswith("/open-ticket-limit")
        assert problem["open_tickets"] == [second["id"]]
        assert problem["limit"] == 1
        assert second["registration_number"] in problem["detail"]
        assert first["registration_number"] in problem["detail"]
        still = (await api.get(f"/api/v1/tickets/{first['id']}")).json()
        assert still["status"] == "resolved"

        # Once the other ticket is no longer open, the reopen goes through.
        for action, body in (("take", {"assignee": "eng-1"}), ("resolve", {})):
            r = await move(api, second["id"], action, **body)
            assert r.status_code == 200, r.text
        r = await move(api, first["id"], "reopen", actor=act_as_customer(email))
        assert (r.status_code, r.json()["status"]) == (200, "in_progress")
