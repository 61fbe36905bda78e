"""Events become delivery rows, once: read models, the registration rule, staff and releases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from notification.config import SCHEMA
from shared.events.contracts import ContactChanged, CustomerChanged, ReleasePublished
from shared.events.escalations import EscalationRaised, OlaBreached, Recipient
from shared.events.sla import TimerScheduled
from shared.events.tickets import TicketCommented, TicketCreated, TicketStatusChanged

from .conftest import Feed, rows

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]
NOW = datetime.now(UTC)


async def _contact(feed: Feed, customer: uuid.UUID, email: str, **kw: Any) -> uuid.UUID:
    contact_id = uuid.uuid4()
    contact = {"id": str(contact_id), "customer_id": str(customer), "name": "Anna", "email": email}
    await feed(
        ContactChanged(
            customer_id=customer,
            change="created",
            contact={**contact, "active": True, **kw},
            contact_id=contact_id,
        ),
        customer,
    )
    return contact_id


async def _ticket(
    feed: Feed, customer: uuid.UUID, contact: uuid.UUID, email: str, **kw: Any
) -> Any:
    ticket_id = uuid.uuid4()
    data = TicketCreated(
        ticket_id=ticket_id,
        customer_id=customer,
        status="new",
        registration_number=f"TP-2026-{ticket_id.int % 10**6:06d}",
        severity="high",
        tier="standard",
        channel=kw.pop("channel", "email"),
        subject="Posting fails",
        contact_id=contact,
        contact_email=email,
        received_at=NOW,
        source_message_id="<orig@customer.example>",
        **kw,
    )
    return ticket_id, await feed(data, ticket_id)


async def _deliveries(runtime: Any, **where: Any) -> list[Any]:
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "true"
    return await rows(
        runtime, f'SELECT * FROM "{SCHEMA}".delivery WHERE {clause} ORDER BY created_at', **where
    )


async def test_registration_waits_for_both_deadlines_and_is_planned_once(
    feed: Feed, runtime: Any
) -> None:
    customer = uuid.uuid4()
    await feed(
        CustomerChanged(
            customer_id=customer,
            change="created",
            customer={"id": str(customer), "timezone": "Asia/Tokyo"},
        ),
        customer,
    )
    contact = await _contact(feed, customer, "anna@x.io", language="en")
    ticket_id, created = await _ticket(feed, customer, contact, "Anna@X.io")

    [row] = await _deliveries(runtime, ticket_id=ticket_id)
    assert (row.template, row.recipient, row.in_reply_to) == (
        "ticket_registered",
        "anna@x.io",
        "<orig@customer.example>",
    )
    assert row.next_attempt_at > NOW + timedelta(seconds=60)  # held for the deadlines
    assert row.context["timezone"] == "Asia/Tokyo"

    for timer in ("response", "resolution"):
        await feed(
            TimerScheduled(
                ticket_id=ticket_id, timer=timer, due_at=NOW + timedelta(hours=4), started_at=NOW
            ),
            ticket_id,
        )
        [row] = await _deliveries(runtime, ticket_id=ticket_id)
        held = row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=60)
        assert held == (timer == "response")

    await feed.replay(created)  # redelivered: the inbox stops it
    fresh = created.model_copy(update={"id": created.id})
    async with runtime.uow() as uow:  # replayed under a new handler claim: the key stops it
        await feed.registry["ticket.created"][-1](fresh, uow)
        await uow.commit()
    assert len(await _deliveries(runtime, ticket_id=ticket_id)) == 1


async def test_registration_also_waits_for_a_contact_announced_after_the_ticket(
    feed: Feed, runtime: Any
) -> None:
    """contact.changed comes on another topic than ticket.created: the language waits for it."""
    customer, contact = uuid.uuid4(), uuid.uuid4()
    ticket_id, _ = await _ticket(feed, customer, contact, "late@x.io")
    for timer in ("response", "resolution"):
        await feed(
            TimerScheduled(
                ticket_id=ticket_id, timer=timer, due_at=NOW + timedelta(hours=4), started_at=NOW
            ),
            ticket_id,
        )
    [row] = await _deliveries(runtime, ticket_id=ticket_id)
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=60)  # held for the contact

    await feed(
        ContactChanged(
            customer_id=customer,
            change="created",
            contact={
                "id": str(contact),
                "customer_id": str(customer),
                "name": "Late",
                "email": "late@x.io",
                "active": True,
                "language": "en",
            },
            contact_id=contact,
        ),
        customer,
    )
    [row] = await _deliveries(runtime, ticket_id=ticket_id)
    assert row.next_attempt_at <= datetime.now(UTC)  # released by the contact's arrival


async def test_contact_hears_public_agent_comments_and_status_changes_only(
    feed: Feed, runtime: Any
) -> None:
    customer = uuid.uuid4()
    contact = await _contact(feed, customer, "boris@x.io")
    ticket_id, _ = await _ticket(feed, customer, contact, "boris@x.io")
    for public, kind in ((True, "agent"), (False, "agent"), (True, "customer")):
        await feed(
            TicketCommented(
                ticket_id=ticket_id,
                comment_id=uuid.uuid4(),
                public=public,
                author_kind=kind,
                body="b",
            ),
            ticket_id,
        )
    for to in ("in_progress", "waiting_customer", "resolved", "closed"):
        await feed(
            TicketStatusChanged(
                ticket_id=ticket_id, from_status="new", to_status=to, auto_close_at=NOW
            ),
            ticket_id,
        )
    templates = [r.template for r in await _deliveries(runtime, ticket_id=ticket_id)]
    assert sorted(templates) == sorted(
        ["ticket_registered", "agent_comment", "waiting_customer", "resolved", "closed"]
    )


async def test_chat_ticket_replies_go_to_its_chat(feed: Feed, runtime: Any) -> None:
    customer = uuid.uuid4()
    contact = await _contact(feed, customer, "chat@x.io")
    ticket_id, _ = await _ticket(feed, customer, contact, "", channel="chat", chat_id="tg-1")
    await feed(
        TicketCommented(
            ticket_id=ticket_id,
            comment_id=uuid.uuid4(),
            public=True,
            author_kind="agent",
            body="hi",
        ),
        ticket_id,
    )
    chat = await _deliveries(runtime, ticket_id=ticket_id, channel="chat")
    assert [(r.recipient, r.context["text"]) for r in chat] == [("tg-1", "hi")]
    emails = await _deliveries(runtime, ticket_id=ticket_id, channel="email")
    assert [r.template for r in emails] == ["ticket_registered"]  # the contact's address


async def test_escalation_recipients_are_each_told_once(feed: Feed, runtime: Any) -> None:
    ticket_id = uuid.uuid4()
    people = [
        Recipient(role="on_duty", email="duty@x.io", language="en"),
        Recipient(role="line_lead", email="lead@x.io"),
        Recipient(role="dedicated_manager", phone="+7"),
    ]
    raised = await feed(
        EscalationRaised(
            ticket_id=ticket_id, level=2, trigger="sla.timer.breached", recipients=people
        ),
        ticket_id,
    )
    await feed.replay(raised)
    await feed(OlaBreached(ticket_id=ticket_id, line=1, recipients=people[:1]), ticket_id)
    got = [
        (r.template, r.recipient, r.language)
        for r in await _deliveries(runtime, ticket_id=ticket_id)
    ]
    assert sorted(got) == [
        ("escalation", "duty@x.io", "en"),
        ("escalation", "lead@x.io", "ru"),
        ("ola", "duty@x.io", "en"),
    ]


async def test_release_reaches_each_contact_of_the_concerned_customers_once(
    feed: Feed, runtime: Any
) -> None:
    a, b, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await _contact(feed, a, "a1@x.io")
    await _contact(feed, a, "a2@x.io", language="en")
    await _contact(feed, b, "b1@x.io")
    await _contact(feed, other, "o1@x.io")
    release = ReleasePublished(
        release={"product": "Desk", "version": "5.2", "kind": "release", "notes": "n"},
        customer_ids=[a, b],
        product="Desk",
        version="5.2",
        kind="release",
    )
    envelope = await feed(release, uuid.uuid4())
    await feed.replay(envelope)
    got = await _deliveries(runtime, template="release_published")
    assert sorted(r.recipient for r in got) == ["a1@x.io", "a2@x.io", "b1@x.io"]
