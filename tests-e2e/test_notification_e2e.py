"""Notification end to end: real SMTP (the stack's aiosmtpd catcher), real webhook receivers.

Everything goes through the gateway; mail is read back from ``stack.mail_dir`` and
webhooks from HTTP servers of the test's own on 127.0.0.1 (the stack allows private
receivers). The stack's notification process retries with a 0.5 s backoff base.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from deskstack.stack import RunningStack
from notification.config import Settings as NotificationSettings
from notification.domain.signing import new_secret
from shared.infra.mailcatcher import read_mail
from shared.testing.builders import make_contact, make_customer, make_customer_contact, unique
from shared.testing.receiver import WebhookReceiver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def receiver() -> Iterator[Callable[..., WebhookReceiver]]:
    made: list[WebhookReceiver] = []

    def make(statuses: list[int] | None = None) -> WebhookReceiver:
        made.append(WebhookReceiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


async def _eventually(probe: Callable[[], Any], *, timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def _mail_to(stack: RunningStack, address: str) -> list[EmailMessage]:
    return [m for m in read_mail(stack.mail_dir) if m["To"] == address]


async def _email_ticket(api: httpx.AsyncClient, email: str, original: str, **kw: Any) -> Any:
    r = await api.post(
        "/api/v1/intake/email",
        json={
            "from": email,
            "subject": "Invoices do not post",
            "body": "Since this morning no invoice posts.",
            "message_id": original,
            **kw,
        },
    )
    assert r.status_code in (200, 201), r.text
    assert r.json()["outcome"] == "ticket_created"
    return r.json()["ticket"]


async def _subscribe(api: httpx.AsyncClient, url: str, types: list[str], customer: str) -> Any:
    r = await api.post(
        "/api/v1/webhooks", json={"url": url, "event_types": types, "customer_id": customer}
    )
    assert r.status_code == 201, r.text
    assert r.json()["secret"].startswith("whsec_")
    return r.json()


class TestEmail:
    async def test_email_ticket_is_answered_threaded_and_agent_replies_reach_the_customer(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard", language="en")
        original = f"<{unique('orig')}@customer.example>"
        ticket = await _email_ticket(api, contact["email"], original)
        number = ticket["registration_number"]

        [registered] = await _eventually(
            lambda: _mail_to(stack, contact["email"]), what="registration email"
        )
        assert f"[{number}]" in registered["Subject"]
        assert registered["Subject"].startswith(f"[{number}] Request registered")
        assert registered["In-Reply-To"] == original
        assert registered["References"] == original
        assert registered.get_content_type() == "multipart/alternative"
        text = registered.get_body(preferencelist=("plain",))
        html = registered.get_body(preferencelist=("html",))
        assert text is not None
        assert html is not None
        assert "Response due: 20" in text.get_content()  # both deadlines were known
        assert "Resolution due: 20" in text.get_content()

        r = await api.post(
            f"/api/v1/tickets/{ticket['id']}/comments",
            json={"body": "Please send the log file.", "actor": {"kind": "agent", "name": "Ivan"}},
        )
        assert r.status_code == 201, r.text
        r = await api.post(
            f"/api/v1/tickets/{ticket['id']}/comments",
            json={"body": "internal note", "public": False, "actor": {"kind": "agent"}},
        )
        assert r.status_code == 201, r.text

        mails = await _eventually(
            lambda: [m for m in _mail_to(stack, contact["email"]) if "Reply" in m["Subject"]],
            what="agent comment email",
        )
        [reply] = mails
        assert f"[{number}]" in reply["Subject"]
        assert reply["In-Reply-To"] == original
        body = reply.get_body(preferencelist=("plain",))
        assert body is not None
        assert "Please send the log file." in body.get_content()
        assert reply["Message-ID"] != registered["Message-ID"]
        await asyncio.sleep(1.0)  # the internal note must not follow
        assert len(_mail_to(stack, contact["email"])) == 2

        r = await api.get(f"/api/v1/tickets/{ticket['id']}/notifications")
        assert r.status_code == 200, r.text
        sent = [(n["template"], n["status"], n["message_id"]) for n in r.json()]
        assert sorted(sent) == sorted(
            [
                ("agent_comment", "sent", reply["Message-ID"]),
                ("ticket_registered", "sent", registered["Message-ID"]),
            ]
        )
        assert all(n["attempt_log"][0]["status_code"] == 250 for n in r.json())

    async def test_customer_keys_see_only_their_own_notifications(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        mine, contact = await make_customer_contact(api, "standard")
        other, _ = await make_customer_contact(api, "standard")
        ticket = await _email_ticket(api, contact["email"], f"<{unique('m')}@c.example>")
        await _eventually(lambda: _mail_to(stack, contact["email"]), what="registration")

        async def client_for(customer: dict[str, Any]) -> httpx.AsyncClient:
            r = await api.post(
                "/api/v1/api-keys",
                json={"name": "portal bot", "role": "bot", "customer_id": customer["id"]},
            )
            assert r.status_code == 201, r.text
            return httpx.AsyncClient(
                base_url=stack.gateway_url,
                headers={"Authorization": f"Bearer {r.json()['key']}"},
                timeout=30,
            )

        async with await client_for(mine) as own, await client_for(other) as foreign:
            r = await own.get(f"/api/v1/tickets/{ticket['id']}/notifications")
            assert r.status_code == 200, r.text
            assert [n["template"] for n in r.json()] == ["ticket_registered"]
            r = await foreign.get(f"/api/v1/tickets/{ticket['id']}/notifications")
            assert r.status_code == 404, r.text
            r = await foreign.get("/api/v1/notifications", params={"ticket": ticket["id"]})
            assert r.status_code == 200
            assert r.json() == []
            # A bound key's subscription is forced onto its own customer.
            r = await foreign.post(
                "/api/v1/webhooks",
                json={
                    "url": "http://127.0.0.1:9/h",
                    "event_types": ["*"],
                    "customer_id": mine["id"],
                },
            )
            assert r.status_code == 404, r.text
            r = await foreign.post(
                "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/h", "event_types": ["*"]}
            )
            assert r.status_code == 201, r.text
            assert r.json()["customer_id"] == other["id"]
            r = await own.get(f"/api/v1/webhooks/{r.json()['id']}")
            assert r.status_code == 404
        r = await api.post(
            "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/h", "event_types": ["nope"]}
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "event_types"


class TestWebhooks:
    async def test_subscriber_gets_ticket_created_and_breach_signed(
        self, stack: RunningStack, api: httpx.AsyncClient, receiver: Callable[..., WebhookReceiver]
    ) -> None:
        customer = await make_customer(api, trained_specialists=1)
        today = datetime.now(UTC).date()
        r = await api.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={
                "tier": "premium",
                "starts_on": (today - timedelta(days=1)).isoformat(),
                "ends_on": (today + timedelta(days=365)).isoformat(),
                "policy": {
                    "schedule": {"kind": "24x7"},
                    "targets": {"critical": {"response": "2s", "resolution": "4s"}},
                },
            },
        )
        assert r.status_code == 201, r.text
        contact = await make_contact(api, customer["id"])
        hook = receiver()
        sub = await _subscribe(
            api, hook.url, ["ticket.created", "sla.timer.breached"], customer["id"]
        )
        ticket = await _email_ticket(
            api, contact["email"], f"<{unique('b')}@c.example>", severity="critical"
        )

        def got_all() -> list[dict[str, Any]] | None:
            # One event per webhook-id: a receiver drops a retried copy by its id.
            by_id = {h["webhook-id"]: json.loads(b) for h, b in list(hook.requests)}
            events = [e for e in by_id.values() if e["subject"] == ticket["id"]]
            breaches = [e for e in events if e["type"] == "sla.timer.breached"]
            return events if len(breaches) >= 2 else None

        events = await _eventually(got_all, timeout=90, what="ticket.created and two breaches")
        assert sorted(e["type"] for e in events) == [
            "sla.timer.breached",
            "sla.timer.breached",
            "ticket.created",
        ]
        assert {e["data"]["timer"] for e in events if e["type"] == "sla.timer.breached"} == {
            "response",
            "resolution",
        }
        verifier = Webhook(sub["secret"])
        for headers, body in hook.requests:
            assert verifier.verify(body, headers)["specversion"] == "1.0"

    async def test_a_receiver_failing_twice_gets_the_third_attempt(
        self, stack: RunningStack, api: httpx.AsyncClient, receiver: Callable[..., WebhookReceiver]
    ) -> None:
        customer, contact = await make_customer_contact(api, "standard")
        hook = receiver([500, 500])
        sub = await _subscribe(api, hook.url, ["ticket.created"], customer["id"])
        ticket = await _email_ticket(api, contact["email"], f"<{unique('f')}@c.example>")

        await _eventually(lambda: len(hook.requests) >= 3, timeout=60, what="three attempts")
        await asyncio.sleep(1.5)  # no fourth attempt after the success
        assert len(hook.requests) == 3
        assert len({h["webhook-id"] for h, _ in hook.requests}) == 1  # one delivery, retried
        assert all(json.loads(b)["subject"] == ticket["id"] for _, b in hook.requests)
        for headers, body in hook.requests:
            Webhook(sub["secret"]).verify(body, headers)

        async def logged() -> Any:
            r = await api.get(f"/api/v1/webhooks/{sub['id']}/deliveries")
            assert r.status_code == 200, r.text
            return r.json()

        deliveries = await logged()
        for _ in range(50):
            if deliveries and deliveries[0]["status"] == "sent":
                break
            await asyncio.sleep(0.1)
            deliveries = await logged()
        [delivery] = deliveries
        assert delivery["status"] == "sent"
        assert delivery["attempts"] == 3
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 204]
        assert all(a["latency_ms"] >= 0 for a in delivery["attempt_log"])
        r = await api.get("/api/v1/webhooks")
        assert sub["id"] in [w["id"] for w in r.json()]
        assert all("secret" not in w for w in r.json())


class TestChat:
    async def test_agent_reply_on_a_chat_ticket_goes_back_to_its_chat_signed(
        self, stack: RunningStack, api: httpx.AsyncClient, receiver: Callable[..., WebhookReceiver]
    ) -> None:
        bot = receiver()
        secret = new_secret()
        stack.extra_env["notification"] = {
            "NOTIFICATION_CHAT_CALLBACK_URL": bot.url,
            "NOTIFICATION_CHAT_SECRET": secret,
        }
        stack.stop("notification")
        stack.start("notification")
        try:
            stack.wait_ready(["notification"], timeout=60)
            chat_id = unique("tg")
            await make_customer_contact(api, "standard", chat_id=chat_id)
            r = await api.post(
                "/api/v1/intake/chat",
                json={"chat_id": chat_id, "message_id": "101", "text": "Printer is on fire"},
            )
            assert r.status_code in (200, 201), r.text
            ticket = r.json()["ticket"]
            r = await api.post(
                f"/api/v1/tickets/{ticket['id']}/comments",
                json={"body": "Unplug it, please.", "actor": {"kind": "agent", "name": "Ivan"}},
            )
            assert r.status_code == 201, r.text
            await _eventually(lambda: bot.requests, what="the chat callback")
            [(headers, body)] = bot.requests
            payload = Webhook(secret).verify(body, headers)
            assert payload["chat_id"] == chat_id
            assert payload["text"] == "Unplug it, please."
            assert payload["reply_to_message_id"] == "101"
            assert payload["registration_number"] == ticket["registration_number"]
        finally:
            stack.extra_env.pop("notification", None)
            stack.stop("notification")
            stack.start("notification")
            stack.wait_ready(["notification"], timeout=60)


class TestRestart:
    async def test_killing_notification_midway_sends_no_email_twice(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard", language="en")
        ticket = await _email_ticket(api, contact["email"], f"<{unique('k')}@c.example>")
        await _eventually(lambda: _mail_to(stack, contact["email"]), what="registration")
        comments = 12
        for n in range(comments):
            r = await api.post(
                f"/api/v1/tickets/{ticket['id']}/comments",
                json={"body": f"Step {n}", "actor": {"kind": "agent", "name": "Ivan"}},
            )
            assert r.status_code == 201, r.text
            if n == comments // 2:
                stack.stop("notification", kill=True)
        stack.start("notification")
        stack.wait_ready(["notification"], timeout=60)

        mails = await _eventually(
            lambda: (m := _mail_to(stack, contact["email"])) and len(m) >= comments + 1 and m,
            timeout=90,
            what="every comment email after the restart",
        )

        # A delivery caught mid-send by the kill is sent again when its lease runs out.
        async def all_sent() -> list[dict[str, Any]] | None:
            r = await api.get(f"/api/v1/tickets/{ticket['id']}/notifications")
            done = [n for n in r.json() if n["status"] == "sent"]
            return done if len(done) == comments + 1 else None

        deadline = time.monotonic() + 60
        while (sent := await all_sent()) is None:
            assert time.monotonic() < deadline, "not every delivery was settled"
            await asyncio.sleep(0.3)
        await asyncio.sleep(1.0)  # a second copy would show up now
        mails = _mail_to(stack, contact["email"])
        ids = [m["Message-ID"] for m in mails]
        # Every email is there once. Only a kill between the SMTP 250 and the commit can
        # re-send a message: at most one per delivery in flight (the worker sends up to
        # NOTIFICATION_WORKER_CONCURRENCY at once), and it carries the same Message-ID, so
        # the customer's mail client shows it once.
        assert len(set(ids)) == comments + 1
        assert len(ids) - len(set(ids)) <= NotificationSettings().worker_concurrency
        assert sorted(n["message_id"] for n in sent) == sorted(set(ids))
        steps = sorted(
            {
                found.group(0)
                for m in mails
                if (p := m.get_body(preferencelist=("plain",)))
                and (found := re.search(r"Step \d+", p.get_content()))
            }
        )
        assert steps == sorted(f"Step {n}" for n in range(comments))
