"""Reads and writes of the notification schema: read models, deliveries, attempts.

Every function takes the unit of work's session and runs inside the caller's
transaction, so a consumer's inbox claim, the read-model update and the planned
deliveries commit together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notification.adapters.orm import (
    contact_view,
    customer_view,
    delivery,
    delivery_attempt,
    ticket_view,
    webhook_subscription,
)
from notification.domain.keys import delivery_key
from notification.domain.planning import ContactFacts, Planned, TicketFacts
from shared.events.base import Envelope, new_id
from shared.statements import upsert

DUE_CHANNEL = "notification_due"
TICKET_FIELDS = [c.name for c in ticket_view.columns if c.name != "ticket_id"]


async def upsert_customer_timezone(session: AsyncSession, customer_id: UUID, tz: str) -> None:
    stmt = insert(customer_view).values(customer_id=customer_id, timezone=tz)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["customer_id"], set_={"timezone": tz})
    )


async def customer_timezone(session: AsyncSession, customer_id: UUID | None) -> str | None:
    if customer_id is None:
        return None
    return await session.scalar(
        select(customer_view.c.timezone).where(customer_view.c.customer_id == customer_id)
    )


async def upsert_contact(session: AsyncSession, facts: ContactFacts) -> None:
    values = {
        "contact_id": facts.contact_id,
        "customer_id": facts.customer_id,
        "name": facts.name,
        "email": facts.email,
        "chat_id": facts.chat_id,
        "language": facts.language,
        "active": facts.active,
    }
    stmt = insert(contact_view).values(**values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["contact_id"], set_=values))


def _contact(row: Any) -> ContactFacts:
    return ContactFacts(**{k: getattr(row, k) for k in ContactFacts.__dataclass_fields__})


async def get_contact(session: AsyncSession, contact_id: UUID | None) -> ContactFacts | None:
    if contact_id is None:
        return None
    row = (
        await session.execute(select(contact_view).where(contact_view.c.contact_id == contact_id))
    ).one_or_none()
    return _contact(row) if row else None


async def contacts_of(session: AsyncSession, customer_ids: list[UUID]) -> list[ContactFacts]:
    rows = (
        await session.execute(
            select(contact_view)
            .where(contact_view.c.customer_id.in_(customer_ids))
            .order_by(contact_view.c.contact_id)
        )
    ).all()
    return [_contact(r) for r in rows]


async def upsert_ticket(session: AsyncSession, ticket_id: UUID, **values: Any) -> TicketFacts:
    """Merge what one event says about a ticket (events of two topics arrive in any order)."""
    values = {k: v for k, v in values.items() if k in TICKET_FIELDS}
    # One round trip: the merged row comes back with the upsert.
    stmt = upsert(ticket_view, conflict=["ticket_id"], update=values, touch=None, returning=True)
    row = (await session.execute(stmt, {"ticket_id": ticket_id, **values})).one()
    return _ticket(row)


def _ticket(row: Any) -> TicketFacts:
    return TicketFacts(ticket_id=row.ticket_id, **{k: getattr(row, k) for k in TICKET_FIELDS})


async def get_ticket(session: AsyncSession, ticket_id: UUID) -> TicketFacts | None:
    row = (
        await session.execute(select(ticket_view).where(ticket_view.c.ticket_id == ticket_id))
    ).one_or_none()
    return None if row is None else _ticket(row)


# Built once and executed with each row as parameters (see shared.statements).
_ADD_DELIVERY = (
    insert(delivery)
    .values(created_at=func.now(), updated_at=func.now())
    .on_conflict_do_nothing(index_elements=["delivery_key"])
    .returning(delivery.c.id)
)


async def add_deliveries(
    session: AsyncSession,
    planned: list[Planned],
    *,
    source: Envelope,
    ticket_id: UUID | None,
    customer_id: UUID | None,
    due: datetime,
) -> int:
    """Store planned deliveries; one already stored under the same key is left alone."""
    added = 0
    for item in planned:
        key = delivery_key(source.id, item.recipient, item.channel, item.template)
        row = {
            "id": new_id(),
            "delivery_key": key,
            "channel": item.channel,
            "recipient": item.recipient,
            "template": item.template,
            "language": item.language,
            "ticket_id": ticket_id,
            "customer_id": customer_id,
            "subscription_id": item.subscription_id,
            "source_event_id": source.id,
            "source_event_type": source.type,
            "context": item.context,
            "in_reply_to": item.in_reply_to,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": due,
        }
        added += (await session.execute(_ADD_DELIVERY, row)).first() is not None
    if added:
        # Delivered at commit (and once per transaction): wakes the workers at once.
        await session.execute(text(f"SELECT pg_notify('{DUE_CHANNEL}', '')"))
    return added


async def release_registration(session: AsyncSession, ticket_id: UUID, now: datetime) -> None:
    """Both deadlines are known: the waiting registration email may go now."""
    await session.execute(
        update(delivery)
        .where(
            delivery.c.ticket_id == ticket_id,
            delivery.c.template == "ticket_registered",
            delivery.c.status == "pending",
            delivery.c.next_attempt_at > now,
        )
        .values(next_attempt_at=now, updated_at=func.now())
    )


async def release_registrations_of(session: AsyncSession, contact_id: UUID, now: datetime) -> None:
    """The contact is known now: its held registration emails whose deadlines are known go."""
    await session.execute(
        update(delivery)
        .where(
            delivery.c.ticket_id == ticket_view.c.ticket_id,
            ticket_view.c.contact_id == contact_id,
            ticket_view.c.response_due.is_not(None),
            ticket_view.c.resolution_due.is_not(None),
            delivery.c.template == "ticket_registered",
            delivery.c.status == "pending",
            delivery.c.next_attempt_at > now,
        )
        .values(next_attempt_at=now, updated_at=func.now())
    )


async def matching_subscriptions(session: AsyncSession) -> list[Any]:
    """Active subscriptions (few; the filter runs in Python, see planning.webhook_matches)."""
    return list(
        (
            await session.execute(
                select(webhook_subscription).where(webhook_subscription.c.active.is_(True))
            )
        ).all()
    )


async def record_attempt(
    session: AsyncSession,
    *,
    delivery_id: UUID,
    attempt: int,
    at: datetime,
    ok: bool,
    status_code: int | None,
    reply: str,
    latency_ms: float,
) -> None:
    await session.execute(
        insert(delivery_attempt).values(
            delivery_id=delivery_id,
            attempt=attempt,
            attempted_at=at,
            ok=ok,
            status_code=status_code,
            reply=reply,
            latency_ms=latency_ms,
        )
    )
