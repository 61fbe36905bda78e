"""Notification's side of inbound mail, end to end: events on support.mail.v1, mail out over SMTP.

The events are produced straight onto the broker, as intake's relay would, built as
the platform's envelopes; what they cause is read back through the gateway and from
the stack's mail catcher (``stack.mail_dir``). Two ``mail.sender_unknown`` of one
address make exactly one answer; after ``mail.bounced`` for a contact's address, the
contact's ticket mail is recorded as skipped, and nothing reaches the catcher.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from deskstack.stack import RunningStack
from shared.events.base import Envelope
from shared.events.mail import MailBounced, MailEventData, MailSenderUnknown
from shared.events.topics import MAIL
from shared.infra.mailcatcher import read_mail
from shared.testing.builders import make_customer_contact, make_ticket, unique

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def _eventually(
    probe: Callable[[], Awaitable[Any]], *, what: str, timeout: float = 60
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = await probe()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.3)


async def _produce(stack: RunningStack, *events: MailEventData) -> None:
    """Each event as intake's relay sends it: an envelope keyed by the address."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap, acks="all")
    await producer.start()
    try:
        for data in events:
            address = data.address
            envelope = Envelope.wrap(data, source="intake", subject=address)
            await producer.send_and_wait(
                MAIL, value=envelope.model_dump_json().encode(), key=address.encode()
            )
    finally:
        await producer.stop()


def _mail_to(stack: RunningStack, address: str) -> list[EmailMessage]:
    return [m for m in read_mail(stack.mail_dir) if m["To"] == address]


async def _deliveries(api: httpx.AsyncClient, address: str) -> list[dict[str, Any]]:
    r = await api.get("/api/v1/notifications", params={"recipient": address})
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()
    return found


async def test_two_events_of_one_unknown_sender_make_exactly_one_answer(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    address = f"{unique('stranger')}@freemail.example"
    events = [
        MailSenderUnknown(
            inbound_id=uuid.uuid4(),
            message_id=f"{unique('m')}@freemail.example",
            address=address,
            subject="Licence question",
            language="en",
        )
        for _ in range(2)
    ]

    await _produce(stack, *events)

    async def both_recorded() -> list[dict[str, Any]] | None:
        found = await _deliveries(api, address)
        done = sorted(d["status"] for d in found)
        return found if done == ["sent", "skipped"] else None

    records = await _eventually(both_recorded, what="one answer sent and one skipped")
    [answer] = _mail_to(stack, address)
    assert answer["Subject"] == "Your message was not registered / Письмо не зарегистрировано"
    assert answer["In-Reply-To"] == f"<{events[0].message_id}>"
    body = answer.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert text.index("Hello,") < text.index("Здравствуйте!")  # English first: its language
    assert "ask the vendor to add you as a contact" in text
    [skipped] = [d for d in records if d["status"] == "skipped"]
    assert "one answer per address per 24 h" in skipped["last_error"]
    assert skipped["attempt_log"] == []


async def test_after_a_bounce_the_contacts_ticket_mail_is_skipped_not_sent(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    _, contact = await make_customer_contact(api, "standard", language="en")
    address = contact["email"].lower()
    await _produce(
        stack,
        MailBounced(
            inbound_id=uuid.uuid4(),
            message_id=f"{unique('dsn')}@mx.example",
            address=address,
            original_message_id=f"{unique('notif')}@support-desk.local",
            status="5.1.1",
            diagnostic="550 5.1.1 User unknown",
        ),
    )

    async def failing() -> bool:
        r = await api.get("/api/v1/notifications/failing-addresses", params={"limit": 1000})
        assert r.status_code == 200, r.text
        return address in {f["address"] for f in r.json()}

    await _eventually(failing, what="the address marked failing")
    ticket = await make_ticket(api, contact["email"])

    async def registration() -> dict[str, Any] | None:
        r = await api.get(f"/api/v1/tickets/{ticket['id']}/notifications")
        if r.status_code == 404:  # notification has not read ticket.created yet
            return None
        assert r.status_code == 200, r.text
        found = [n for n in r.json() if n["template"] == "ticket_registered"]
        return found[0] if found else None

    record = await _eventually(registration, what="the registration's delivery record")
    assert record["status"] == "skipped"
    assert record["recipient"] == address
    assert record["last_error"].startswith(f"{address} is failing: mail to it bounced at")
    assert record["attempts"] == 0
    assert _mail_to(stack, contact["email"]) == []
    assert _mail_to(stack, address) == []
