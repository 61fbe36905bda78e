"""Reads and writes of the notification schema: read models, deliveries, subscriptions.

Every repository works on the unit of work's session, inside the caller's transaction,
so a consumer's inbox claim, the read-model update and the planned deliveries commit
together. All of notification's SQL is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, select, text, update
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
from notification.domain import registration
from notification.domain.delivery import (
    CLAIMABLE,
    Attempt,
    Delivery,
    Settled,
    Status,
    Subscription,
)
from notification.domain.keys import delivery_key
from notification.domain.planning import ContactFacts, Planned, TicketFacts
from notification.uow import DeliveryFilter
from shared.events.base import Envelope, new_id
from shared.statements import upsert

DUE_CHANNEL = "notification_due"
TICKET_FIELDS = [c.name for c in ticket_view.columns if c.name != "ticket_id"]
_CONTACT_FIELDS = [f.name for f in fields(ContactFacts)]
_DELIVERY_FIELDS = [f.name for f in fields(Delivery)]
_ATTEMPT_FIELDS = [f.name for f in fields(Attempt)]
_SUBSCRIPTION_FIELDS = [f.name for f in fields(Subscription)]
_OPEN = [str(s) for s in CLAIMABLE]


def _ticket(row: Any) -> TicketFacts:
    return TicketFacts(ticket_id=row.ticket_id, **{k: getattr(row, k) for k in TICKET_FIELDS})


def _contact(row: Any) -> ContactFacts:
    return ContactFacts(**{k: getattr(row, k) for k in _CONTACT_FIELDS})


def _delivery(row: Any) -> Delivery:
    return Delivery(**{k: getattr(row, k) for k in _DELIVERY_FIELDS})


def _subscription(row: Any) -> Subscription:
    return Subscription(**{k: getattr(row, k) for k in _SUBSCRIPTION_FIELDS})


class SqlTicketViews:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def merge(self, ticket_id: UUID, changes: dict[str, Any]) -> TicketFacts:
        """Merge what one event says about a ticket (events of two topics arrive in any order)."""
        values = {k: v for k, v in changes.items() if k in TICKET_FIELDS}
        # One round trip: the merged row comes back with the upsert.
        stmt = upsert(
            ticket_view, conflict=["ticket_id"], update=values, touch=None, returning=True
        )
        row = (await self.session.execute(stmt, {"ticket_id": ticket_id, **values})).one()
        return _ticket(row)

    async def get(self, ticket_id: UUID) -> TicketFacts | None:
        row = (
            await self.session.execute(
                select(ticket_view).where(ticket_view.c.ticket_id == ticket_id)
            )
        ).one_or_none()
        return None if row is None else _ticket(row)

    async def many(self, ticket_ids: set[UUID]) -> dict[UUID, TicketFacts]:
        if not ticket_ids:
            return {}
        stmt = select(ticket_view).where(ticket_view.c.ticket_id.in_(ticket_ids))
        return {r.ticket_id: _ticket(r) for r in (await self.session.execute(stmt)).all()}


class SqlContactViews:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, contact: ContactFacts) -> None:
        values = asdict(contact)
        stmt = insert(contact_view).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["contact_id"], set_=values)
        )

    async def get(self, contact_id: UUID | None) -> ContactFacts | None:
        if contact_id is None:
            return None
        return (await self.many({contact_id})).get(contact_id)

    async def many(self, contact_ids: set[UUID]) -> dict[UUID, ContactFacts]:
        if not contact_ids:
            return {}
        stmt = select(contact_view).where(contact_view.c.contact_id.in_(contact_ids))
        return {r.contact_id: _contact(r) for r in (await self.session.execute(stmt)).all()}

    async def of_customers(self, customer_ids: list[UUID]) -> list[ContactFacts]:
        if not customer_ids:
            return []
        rows = (
            await self.session.execute(
                select(contact_view)
                .where(contact_view.c.customer_id.in_(customer_ids))
                .order_by(contact_view.c.contact_id)
            )
        ).all()
        return [_contact(r) for r in rows]


class SqlCustomerZones:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, customer_id: UUID, timezone: str) -> None:
        stmt = insert(customer_view).values(customer_id=customer_id, timezone=timezone)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["customer_id"], set_={"timezone": timezone})
        )

    async def get(self, customer_id: UUID | None) -> str | None:
        if customer_id is None:
            return None
        return await self.session.scalar(
            select(customer_view.c.timezone).where(customer_view.c.customer_id == customer_id)
        )


# Built once and executed with each row as parameters (see shared.statements).
_ADD_DELIVERY = (
    insert(delivery)
    .values(created_at=func.now(), updated_at=func.now())
    .on_conflict_do_nothing(index_elements=["delivery_key"])
    .returning(delivery.c.id)
)
# A registration email still held (planned, waiting, not yet due).
_HELD = (
    delivery.c.template == registration.TEMPLATE,
    delivery.c.status == Status.pending,
)


class SqlDeliveries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        planned: Sequence[Planned],
        *,
        source: Envelope,
        ticket_id: UUID | None,
        customer_id: UUID | None,
        due: datetime,
    ) -> int:
        """Store planned deliveries; one already stored under the same key is left alone."""
        added = 0
        for item in planned:
            row = {
                "id": new_id(),
                "delivery_key": delivery_key(
                    source.id, item.recipient, item.channel, item.template
                ),
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
                # A skipped one is kept as the record of why it was not sent.
                "status": Status.skipped if item.skip_reason else Status.pending,
                "last_error": item.skip_reason,
                "attempts": 0,
                "next_attempt_at": due,
            }
            added += (await self.session.execute(_ADD_DELIVERY, row)).first() is not None
        if added:
            # Delivered at commit (and once per transaction): wakes the workers at once.
            await self.session.execute(text(f"SELECT pg_notify('{DUE_CHANNEL}', '')"))
        return added

    async def held_registrations(self, *, contact_id: UUID, now: datetime) -> list[TicketFacts]:
        """The contact's tickets whose registration email is still held."""
        rows = (
            await self.session.execute(
                select(ticket_view)
                .distinct()
                .join(delivery, delivery.c.ticket_id == ticket_view.c.ticket_id)
                .where(ticket_view.c.contact_id == contact_id, *_HELD)
                .where(delivery.c.next_attempt_at > now)
            )
        ).all()
        return [_ticket(r) for r in rows]

    async def release_registration(self, ticket_id: UUID, now: datetime) -> None:
        """The ticket's held registration email goes now."""
        await self.session.execute(
            update(delivery)
            .where(delivery.c.ticket_id == ticket_id, *_HELD, delivery.c.next_attempt_at > now)
            .values(next_attempt_at=now, updated_at=func.now())
        )

    async def claim(self, now: datetime, *, batch: int, lease_until: datetime) -> list[Delivery]:
        """Lease due rows (``FOR UPDATE SKIP LOCKED``: replicas share the queue)."""
        due = (
            select(delivery.c.id)
            .where(delivery.c.status.in_(_OPEN))
            .where(delivery.c.next_attempt_at <= now)
            .order_by(delivery.c.next_attempt_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        rows = (
            await self.session.execute(
                update(delivery)
                .where(delivery.c.id.in_(due.scalar_subquery()))
                .values(
                    status=Status.sending,
                    attempts=delivery.c.attempts + 1,
                    next_attempt_at=lease_until,
                    updated_at=func.now(),
                )
                .returning(*delivery.c)
            )
        ).all()
        return [_delivery(r) for r in rows]

    async def earliest_open(self) -> datetime | None:
        """When the earliest waiting or leased row falls due."""
        found: datetime | None = await self.session.scalar(
            select(func.min(delivery.c.next_attempt_at)).where(delivery.c.status.in_(_OPEN))
        )
        return found

    async def settle(
        self, delivery_: Delivery, settled: Settled, *, message_id: str | None, at: datetime
    ) -> bool:
        """Store the outcome unless the lease ran out and another claim owns the row."""
        moved = await self.session.execute(
            update(delivery)
            .where(
                delivery.c.id == delivery_.id,
                delivery.c.status == Status.sending,
                delivery.c.attempts == delivery_.attempts,
            )
            .values(
                status=settled.status,
                next_attempt_at=settled.next_attempt_at or at,
                last_error=settled.error,
                message_id=message_id,
                sent_at=at if settled.status == Status.sent else None,
                updated_at=func.now(),
            )
            .returning(delivery.c.id)
        )
        return moved.first() is not None

    async def skip(self, row: Delivery, *, reason: str, at: datetime) -> bool:
        """Settle a leased row as skipped (never attempted); False when its lease was lost."""
        result = await self.session.execute(
            update(delivery)
            .where(
                delivery.c.id == row.id,
                delivery.c.status == Status.sending,
                delivery.c.attempts == row.attempts,
            )
            .values(
                status=Status.skipped,
                attempts=row.attempts - 1,  # the lease counted an attempt that never happened
                last_error=reason,
                next_attempt_at=at,
                updated_at=func.now(),
            )
            .returning(delivery.c.id)
        )
        return result.first() is not None

    async def record_attempt(self, attempt: Attempt) -> None:
        await self.session.execute(insert(delivery_attempt).values(**asdict(attempt)))

    async def find(self, where: DeliveryFilter, *, limit: int) -> list[Delivery]:
        """Deliveries matching every given field, oldest first."""
        conditions: list[ColumnElement[bool]] = []
        for name in ("customer_id", "ticket_id", "subscription_id", "recipient", "channel"):
            value = getattr(where, name)
            if value is not None:
                conditions.append(delivery.c[name] == value)
        if where.status is not None:
            conditions.append(delivery.c.status == where.status)
        rows = (
            await self.session.execute(
                select(delivery)
                .where(*conditions)
                .order_by(delivery.c.created_at, delivery.c.id)
                .limit(limit)
            )
        ).all()
        return [_delivery(r) for r in rows]

    async def attempts_of(self, ids: list[UUID]) -> dict[UUID, list[Attempt]]:
        if not ids:
            return {}
        rows = (
            await self.session.execute(
                select(delivery_attempt)
                .where(delivery_attempt.c.delivery_id.in_(ids))
                .order_by(delivery_attempt.c.id)
            )
        ).all()
        out: dict[UUID, list[Attempt]] = {}
        for r in rows:
            out.setdefault(r.delivery_id, []).append(
                Attempt(**{k: getattr(r, k) for k in _ATTEMPT_FIELDS})
            )
        return out


class SqlSubscriptions:
    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self.session = session
        self.schema = schema

    async def active(self) -> list[Subscription]:
        """Active subscriptions (few; the filter runs in Python, see planning.webhook_matches)."""
        stmt = select(webhook_subscription).where(webhook_subscription.c.active.is_(True))
        return [_subscription(r) for r in (await self.session.execute(stmt)).all()]

    async def get(self, subscription_id: UUID) -> Subscription | None:
        row = (
            await self.session.execute(
                select(webhook_subscription).where(webhook_subscription.c.id == subscription_id)
            )
        ).one_or_none()
        return None if row is None else _subscription(row)

    async def listed(self, *, customer_id: UUID | None) -> list[Subscription]:
        stmt = select(webhook_subscription).order_by(webhook_subscription.c.created_at)
        if customer_id is not None:
            stmt = stmt.where(webhook_subscription.c.customer_id == customer_id)
        return [_subscription(r) for r in (await self.session.execute(stmt)).all()]

    async def add(self, subscription: Subscription) -> None:
        await self.session.execute(webhook_subscription.insert().values(**asdict(subscription)))

    async def delete(self, subscription_id: UUID) -> None:
        await self.session.execute(
            delete(webhook_subscription).where(webhook_subscription.c.id == subscription_id)
        )

    async def count_outcome(
        self, subscription_id: UUID, *, ok: bool, disable_after: int, reason: str
    ) -> None:
        """A success resets the run of failures; a failure lengthens it, and may disable it.

        One statement: concurrent workers' failures count exactly (no read-modify-write).
        """
        if ok:
            await self.session.execute(
                update(webhook_subscription)
                .where(webhook_subscription.c.id == subscription_id)
                .values(consecutive_failures=0)
            )
            return
        await self.session.execute(
            text(
                f'UPDATE "{self.schema}".webhook_subscription SET '
                "consecutive_failures = consecutive_failures + 1, "
                "active = CASE WHEN consecutive_failures + 1 >= :limit THEN false ELSE active END, "
                "disabled_at = CASE WHEN consecutive_failures + 1 >= :limit AND active "
                "THEN now() ELSE disabled_at END, "
                "disabled_reason = CASE WHEN consecutive_failures + 1 >= :limit AND active "
                "THEN :reason ELSE disabled_reason END "
                "WHERE id = :id"
            ),
            {"limit": disable_after, "reason": reason, "id": subscription_id},
        )
