"""SQL for the Ticket aggregate and its comments: rows in, aggregates out, events to the outbox."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.orm import comment, ticket
from intake.domain.admission import OpenTicketRef
from intake.domain.ticket import Comment, Ticket
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Severity,
    TicketStatus,
    TicketType,
    Tier,
)
from shared.messaging.outbox import Outbox

_FIELDS = frozenset(f.name for f in dataclasses.fields(Ticket)) - {"events"}


def _policy(value: Any) -> PolicyDocument | None:
    """The ticket's policy snapshot; a snapshot this reader cannot parse counts as none."""
    if value is None:
        return None
    try:
        return PolicyDocument.model_validate(value)
    except ValidationError:
        return None


def to_domain(row: Any) -> Ticket:
    """The Ticket a ``ticket`` row holds."""
    return ticket_of(row._mapping)


def ticket_of(columns: Mapping[str, Any]) -> Ticket:
    """The Ticket of a ``ticket`` row's columns by name (an ORM row's or asyncpg's record)."""
    data = {k: v for k, v in columns.items() if k in _FIELDS}
    data["policy"] = _policy(data.get("policy"))
    data["type"] = TicketType(data["type"])
    data["status"] = TicketStatus(data["status"])
    data["severity"] = Severity(data["severity"])
    data["requested_severity"] = Severity(data["requested_severity"])
    data["tier"] = Tier(data["tier"])
    return Ticket(**data)


def admission_lock(customer_id: UUID) -> str:
    """The advisory lock of a customer's admissions (every adapter takes this one)."""
    return f"intake.admission.{customer_id}"


def idempotency_lock(customer_id: UUID, key: str) -> str:
    """The advisory lock of one Idempotency-Key of a customer."""
    return f"intake.admission.{customer_id}.key.{key}"


def _values(item: Ticket) -> dict[str, Any]:
    values = {f: getattr(item, f) for f in _FIELDS}
    values["policy"] = item.policy.model_dump(mode="json") if item.policy else None
    return values


# Built once, executed with the row as parameters (their keys are the columns written):
# building ``.values(**row)`` over forty columns per call cost more than running it.
_INSERT = insert(ticket)
_UPDATE = update(ticket).where(ticket.c.id == bindparam("_id"))


class SqlTicketRepository:
    """Loads and stores tickets in intake's schema; storing publishes their events."""

    def __init__(self, session: AsyncSession, outbox: Outbox, *, schema: str) -> None:
        self._session = session
        self._outbox = outbox
        self._schema = schema

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None:
        stmt = select(ticket).where(ticket.c.id == ticket_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).one_or_none()
        return None if row is None else to_domain(row)

    async def _publish(self, item: Ticket) -> None:
        for sequence, event in item.pull_events():
            await self._outbox.publish(event, subject=str(item.id), sequence=sequence)

    async def add(self, item: Ticket) -> None:
        await self._session.execute(_INSERT, _values(item))
        await self._publish(item)

    async def save(self, item: Ticket) -> None:
        if not item.events:
            return
        now = item.events[-1].occurred_at or datetime.now().astimezone()
        await self._session.execute(_UPDATE, {**_values(item), "updated_at": now, "_id": item.id})
        await self._publish(item)

    async def set_remote_access(self, ticket_id: UUID, available: bool) -> None:
        """A fact about the customer's system, not a move of the ticket: no event, no version."""
        await self._session.execute(
            update(ticket)
            .where(ticket.c.id == ticket_id)
            .values(remote_access_available=available, updated_at=func.now())
        )

    async def open_by_fingerprint(
        self, customer_id: UUID, fingerprints: Sequence[str]
    ) -> dict[str, UUID]:
        """The customer's open tickets a monitoring alert opened, by the alert's fingerprint."""
        rows = await self._session.execute(
            select(ticket.c.alert_fingerprint, ticket.c.id).where(
                ticket.c.customer_id == customer_id,
                ticket.c.alert_fingerprint.in_(list(fingerprints)),
                ticket.c.status.in_([str(s) for s in OPEN_STATUSES]),
            )
        )
        return {r.alert_fingerprint: r.id for r in rows}

    async def by_occurrence_key(self, key: str) -> UUID | None:
        """The ticket a maintenance occurrence opened (its key is the ticket's unique source)."""
        found = await self._session.scalar(
            select(ticket.c.id).where(ticket.c.maintenance_occurrence_key == key)
        )
        return None if found is None else UUID(str(found))

    async def _advisory_lock(self, key: str) -> None:
        await self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})

    async def lock_customer(self, customer_id: UUID) -> None:
        """One admission or reopening per customer at a time, so the open-ticket limit holds."""
        await self._advisory_lock(admission_lock(customer_id))

    async def lock_idempotency_key(self, customer_id: UUID, key: str) -> None:
        """The same key sent twice at once: the second waits, then replays the first's ticket.

        Without it the second insert would wait on ``uq_ticket_idempotency`` and then fail.
        """
        await self._advisory_lock(idempotency_lock(customer_id, key))

    async def open_of(self, customer_id: UUID) -> list[OpenTicketRef]:
        rows = await self._session.execute(
            select(ticket.c.id, ticket.c.registration_number)
            .where(
                ticket.c.customer_id == customer_id,
                ticket.c.status.in_([str(s) for s in OPEN_STATUSES]),
            )
            .order_by(ticket.c.received_at)
        )
        return [OpenTicketRef(r.id, r.registration_number) for r in rows]

    async def not_final_of(self, customer_id: UUID) -> list[Ticket]:
        rows = await self._session.execute(
            select(ticket)
            .where(
                ticket.c.customer_id == customer_id,
                ticket.c.status.not_in([str(s) for s in FINAL_STATUSES]),
            )
            .order_by(ticket.c.received_at, ticket.c.id)
            .with_for_update()
        )
        return [to_domain(r) for r in rows]

    async def by_idempotency_key(self, customer_id: UUID, key: str) -> Ticket | None:
        row = (
            await self._session.execute(
                select(ticket).where(
                    ticket.c.customer_id == customer_id, ticket.c.idempotency_key == key
                )
            )
        ).one_or_none()
        return None if row is None else to_domain(row)

    async def next_number(self) -> int:
        number = await self._session.scalar(
            text(f"SELECT nextval('\"{self._schema}\".registration_number_seq')")
        )
        return int(number or 0)

    async def due_for_auto_close(self, now: datetime, *, batch: int) -> list[Ticket]:
        rows = await self._session.execute(
            select(ticket)
            .where(ticket.c.status == "resolved", ticket.c.auto_close_at <= now)
            .order_by(ticket.c.auto_close_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        return [to_domain(r) for r in rows]

    async def next_auto_close(self) -> datetime | None:
        """The earliest agreed close of a resolved ticket (the auto-close job sleeps until it)."""
        at: datetime | None = await self._session.scalar(
            select(func.min(ticket.c.auto_close_at)).where(ticket.c.status == "resolved")
        )
        return at

    async def customer_of(self, ticket_id: UUID) -> UUID | None:
        found = await self._session.scalar(
            select(ticket.c.customer_id).where(ticket.c.id == ticket_id)
        )
        return None if found is None else UUID(str(found))

    async def id_by_number(self, registration_number: str) -> UUID | None:
        found = await self._session.scalar(
            select(ticket.c.id).where(ticket.c.registration_number == registration_number)
        )
        return None if found is None else UUID(str(found))


def comment_of(row: Any) -> Comment:
    """The Comment a ``comment`` row holds."""
    return Comment(**dict(row._mapping))


class SqlCommentRepository:
    """Comments in intake's schema."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, note: Comment) -> None:
        await self._session.execute(insert(comment).values(**dataclasses.asdict(note)))

    async def of_ticket(self, ticket_id: UUID, *, include_internal: bool) -> list[Comment]:
        stmt = select(comment).where(comment.c.ticket_id == ticket_id)
        if not include_internal:
            stmt = stmt.where(comment.c.public)
        rows = await self._session.execute(stmt.order_by(comment.c.created_at, comment.c.id))
        return [comment_of(r) for r in rows]
