"""Unknown senders answered once, bounced addresses not mailed: PostgreSQL and real SMTP.

The consumer's handlers (inbox claim, one commit) fed with ``support.mail.v1`` events,
the worker sending to a real SMTP server (the mail catcher), the API's failing-address
routes with their roles.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from fastapi import FastAPI

from notification.adapters.mailstate import SqlSenderAnswers
from notification.config import SCHEMA
from notification.worker import DeliveryWorker
from shared.events.contracts import ContactChanged
from shared.events.mail import MailBounced, MailSenderUnknown
from shared.events.tickets import TicketStatusChanged
from shared.infra.mailcatcher import MailCatcher

from .conftest import Feed, api, created, mail_files, rows

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


def unknown(address: str, **kw: Any) -> MailSenderUnknown:
    fields: dict[str, Any] = {
        "inbound_id": uuid.uuid4(),
        "message_id": f"{uuid.uuid4().hex}@mail.freemail.example",
        "address": address,
        "subject": "Вопрос по лицензии",
        "language": "ru",
    }
    return MailSenderUnknown(**{**fields, **kw})


def bounced(address: str) -> MailBounced:
    return MailBounced(
        inbound_id=uuid.uuid4(),
        message_id=f"{uuid.uuid4().hex}@mx.example",
        address=address,
        original_message_id="notif.x@support-desk.local",
        status="5.1.1",
        diagnostic="550 5.1.1 User unknown",
    )


async def _answers(runtime: Any, address: str) -> list[Any]:
    return await rows(
        runtime,
        f'SELECT * FROM "{SCHEMA}".delivery WHERE template = :t AND recipient = :r '
        "ORDER BY created_at, status",
        t="sender_unknown",
        r=address,
    )


async def test_two_events_of_one_sender_send_exactly_one_bilingual_answer(
    feed: Feed, worker: DeliveryWorker, runtime: Any, catcher: MailCatcher
) -> None:
    address = f"stranger-{uuid.uuid4().hex[:8]}@freemail.example"
    first = unknown(address)
    before = len(mail_files(catcher))

    await feed(first, address)
    await feed(unknown(address.upper()), address)
    assert await worker.deliver_due() == 1
    assert await worker.deliver_due() == 0

    [sent] = [
        message_from_bytes(f.read_bytes(), policy=policy.default)
        for f in mail_files(catcher)[before:]
    ]
    assert sent["To"] == address
    assert sent["In-Reply-To"] == f"<{first.message_id}>"
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["Subject"] == "Письмо не зарегистрировано / Your message was not registered"
    body = sent.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert text.index("Здравствуйте!") < text.index("Hello,")  # Russian first: its language
    assert "«Вопрос по лицензии»" in text
    assert "ask the vendor to add you as a contact" in text
    state = await _answers(runtime, address)
    assert sorted(r.status for r in state) == ["sent", "skipped"]
    [skipped] = [r for r in state if r.status == "skipped"]
    assert "one answer per address per 24 h" in skipped.last_error
    assert skipped.attempts == 0


async def test_the_rate_limit_holds_under_concurrent_claims(runtime: Any) -> None:
    address = f"race-{uuid.uuid4().hex[:8]}@freemail.example"
    now = datetime.now(UTC)

    async def claim() -> datetime | None:
        async with runtime.uow() as uow:
            taken = await SqlSenderAnswers(uow.session).claim(
                address, now=now, window=timedelta(hours=24)
            )
            await uow.commit()
            return taken

    results = await asyncio.gather(*(claim() for _ in range(4)))

    assert sum(r is None for r in results) == 1
    later = now + timedelta(hours=25)
    async with runtime.uow() as uow:
        again = await SqlSenderAnswers(uow.session).claim(
            address, now=later, window=timedelta(hours=24)
        )
    assert again is None


async def _staff_see_it_and_an_admin_clears_it(
    app: FastAPI, address: str, skipped_id: uuid.UUID
) -> None:
    """An agent lists the address and the skipped delivery but may not clear it; an admin may."""
    async with api(app, "agent") as agent, api(app, "admin") as admin:
        listed = (await agent.get("/api/v1/notifications/failing-addresses")).json()
        assert [f["address"] for f in listed] == [address]
        assert listed[0]["status"] == "5.1.1"
        log = await agent.get("/api/v1/notifications", params={"status": "skipped"})
        assert skipped_id in {uuid.UUID(d["id"]) for d in log.json()}
        assert (
            await agent.delete(f"/api/v1/notifications/failing-addresses/{address}")
        ).status_code == 403
        assert (
            await admin.delete(f"/api/v1/notifications/failing-addresses/{address}")
        ).status_code == 204
        again = await admin.delete(f"/api/v1/notifications/failing-addresses/{address}")
        assert again.status_code == 404
        assert again.headers["content-type"].startswith("application/problem+json")
        assert address in again.json()["detail"]


async def test_a_bounced_contact_is_not_mailed_until_an_admin_clears_it(
    app: FastAPI, feed: Feed, worker: DeliveryWorker, runtime: Any, catcher: MailCatcher
) -> None:
    customer, contact = uuid.uuid4(), uuid.uuid4()
    address = f"gone-{uuid.uuid4().hex[:8]}@customer.example"
    await feed(
        ContactChanged(
            customer_id=customer,
            change="created",
            contact={"id": str(contact), "customer_id": str(customer), "email": address},
        ),
        customer,
    )
    ticket = created(customer, contact_id=contact, contact_email=address)
    await feed(ticket, ticket.ticket_id)
    await feed(bounced(address.upper()), address)
    before = len(mail_files(catcher))

    resolved = TicketStatusChanged(
        ticket_id=ticket.ticket_id,
        customer_id=customer,
        from_status="in_progress",
        to_status="resolved",
    )
    await feed(resolved, ticket.ticket_id)
    await worker.deliver_due()

    assert mail_files(catcher)[before:] == []
    [row] = await rows(
        runtime,
        f'SELECT * FROM "{SCHEMA}".delivery WHERE ticket_id = :t AND template = :n',
        t=ticket.ticket_id,
        n="resolved",
    )
    assert (row.status, row.attempts) == ("skipped", 0)
    assert row.last_error.startswith(f"{address} is failing: mail to it bounced at")
    assert "(5.1.1: 550 5.1.1 User unknown)" in row.last_error

    await _staff_see_it_and_an_admin_clears_it(app, address, row.id)

    closed = TicketStatusChanged(
        ticket_id=ticket.ticket_id, customer_id=customer, from_status="resolved", to_status="closed"
    )
    await feed(closed, ticket.ticket_id)
    assert await worker.deliver_due() >= 1
    assert any(
        message_from_bytes(f.read_bytes(), policy=policy.default)["To"] == address
        for f in mail_files(catcher)[before:]
    )


@pytest.mark.parametrize("role", ["customer", "bot", "system"])
async def test_failing_addresses_are_staffs_only(app: FastAPI, role: str) -> None:
    customer = uuid.uuid4() if role in ("customer", "bot") else None
    async with api(app, role, customer) as client:
        listed = await client.get("/api/v1/notifications/failing-addresses")
        cleared = await client.delete("/api/v1/notifications/failing-addresses/a@b.example")
    assert (listed.status_code, cleared.status_code) == (403, 403)
    assert listed.headers["content-type"].startswith("application/problem+json")


async def test_clearing_no_address_is_a_422_that_says_how(app: FastAPI) -> None:
    async with api(app, "admin") as admin:
        r = await admin.delete("/api/v1/notifications/failing-addresses/not-an-address")
    assert r.status_code == 422
    problem = r.json()
    assert "user@example.com" in problem["detail"]
    assert problem["errors"][0]["field"] == "address"
