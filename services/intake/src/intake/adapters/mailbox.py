"""SQL for ``inbound_mail``: received messages, the processor's lease, and the agents' records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    Table,
    Text,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import UUID as PgUUID, insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.orm import metadata
from intake.uow import ClaimedMail, MailOutcome, MailRecord, MailStatus, NewMail
from shared.events.mail import MailEventData
from shared.messaging.outbox import Outbox

inbound_mail = Table(
    "inbound_mail",
    metadata,
    Column("id", PgUUID(as_uuid=True), primary_key=True),
    Column("message_id", Text, nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("envelope_from", Text),
    Column("recipients", ARRAY(Text), nullable=False, server_default="{}"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False, server_default="pending"),
    Column("reason", Text),
    Column("from_address", Text),
    Column("subject", Text),
    Column("ticket_id", PgUUID(as_uuid=True)),
    Column("comment_id", PgUUID(as_uuid=True)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("processed_at", DateTime(timezone=True)),
)

# The channel a commit of new mail announces itself on (``adapters.mail_listener``).
MAIL_CHANNEL = "intake_inbound_mail"
_RECORD = [c for c in inbound_mail.c if c.name != "raw"]


def _record(row: Any) -> MailRecord:
    data = dict(row._mapping)
    data["recipients"] = tuple(data["recipients"] or ())
    data["status"] = cast(MailStatus, data["status"])
    return MailRecord(**data)


class SqlMailbox:
    """Stores each message once by Message-ID; leases pending ones to one processor at a time."""

    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        self._session = session
        self._outbox = outbox

    async def add(self, mail: NewMail, *, due_at: datetime) -> UUID | None:
        """Insert the message; None when its Message-ID is already stored."""
        stmt = (
            pg_insert(inbound_mail)
            .values(
                id=mail.id,
                message_id=mail.message_id,
                source=mail.source,
                raw=mail.raw,
                size=len(mail.raw),
                envelope_from=mail.envelope_from,
                recipients=list(mail.recipients),
                received_at=mail.received_at,
                next_attempt_at=due_at,
            )
            .on_conflict_do_nothing(index_elements=["message_id"])
            .returning(inbound_mail.c.id)
        )
        found = await self._session.scalar(stmt)
        if found is None:
            return None
        # Delivered on commit: the processors listening wake at once instead of polling.
        await self._session.execute(select(func.pg_notify(MAIL_CHANNEL, str(found))))
        return UUID(str(found))

    async def id_of(self, message_id: str) -> UUID | None:
        found = await self._session.scalar(
            select(inbound_mail.c.id).where(inbound_mail.c.message_id == message_id)
        )
        return None if found is None else UUID(str(found))

    async def claim(
        self, *, now: datetime, lease_until: datetime, limit: int, mail_id: UUID | None = None
    ) -> list[ClaimedMail]:
        """Lease due pending rows (``FOR UPDATE SKIP LOCKED``): one attempt each, until then."""
        due = select(inbound_mail.c.id).where(
            inbound_mail.c.status == "pending", inbound_mail.c.next_attempt_at <= now
        )
        if mail_id is not None:
            due = due.where(inbound_mail.c.id == mail_id)
        due = (
            due.order_by(inbound_mail.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(inbound_mail)
            .where(inbound_mail.c.id.in_(due.scalar_subquery()))
            .values(attempts=inbound_mail.c.attempts + 1, next_attempt_at=lease_until)
            .returning(
                inbound_mail.c.id,
                inbound_mail.c.raw,
                inbound_mail.c.attempts,
                inbound_mail.c.received_at,
            )
        )
        rows = (await self._session.execute(stmt)).all()
        return [
            ClaimedMail(id=r.id, raw=bytes(r.raw), attempts=r.attempts, received_at=r.received_at)
            for r in rows
        ]

    async def settle(
        self,
        mail_id: UUID,
        outcome: MailOutcome,
        *,
        now: datetime,
        events: Sequence[MailEventData],
    ) -> bool:
        """Record the outcome and stage its events, once: False if it was settled already."""
        done = await self._session.scalar(
            update(inbound_mail)
            .where(inbound_mail.c.id == mail_id, inbound_mail.c.status == "pending")
            .values(
                status=outcome.status,
                reason=outcome.reason,
                from_address=outcome.from_address,
                subject=outcome.subject,
                ticket_id=outcome.ticket_id,
                comment_id=outcome.comment_id,
                processed_at=now,
            )
            .returning(inbound_mail.c.id)
        )
        if done is None:
            return False
        for data in events:
            await self._outbox.publish(data, subject=str(mail_id), key=data.address)
        return True

    async def postpone(self, mail_id: UUID, *, reason: str, until: datetime) -> None:
        await self._session.execute(
            update(inbound_mail)
            .where(inbound_mail.c.id == mail_id, inbound_mail.c.status == "pending")
            .values(reason=reason, next_attempt_at=until)
        )

    async def get(self, mail_id: UUID) -> MailRecord | None:
        row = (
            await self._session.execute(select(*_RECORD).where(inbound_mail.c.id == mail_id))
        ).one_or_none()
        return None if row is None else _record(row)

    async def raw(self, mail_id: UUID) -> bytes | None:
        found = await self._session.scalar(
            select(inbound_mail.c.raw).where(inbound_mail.c.id == mail_id)
        )
        return None if found is None else bytes(found)

    async def page(
        self,
        *,
        status: str | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
        message_id: str | None = None,
    ) -> list[MailRecord]:
        stmt = select(*_RECORD)
        if status is not None:
            stmt = stmt.where(inbound_mail.c.status == status)
        if message_id is not None:
            stmt = stmt.where(inbound_mail.c.message_id == message_id)
        if before is not None:
            stmt = stmt.where(
                tuple_(inbound_mail.c.received_at, inbound_mail.c.id) < tuple_(*before)
            )
        stmt = stmt.order_by(inbound_mail.c.received_at.desc(), inbound_mail.c.id.desc())
        rows = (await self._session.execute(stmt.limit(limit))).all()
        return [_record(r) for r in rows]

    async def next_due(self) -> datetime | None:
        found: datetime | None = await self._session.scalar(
            select(func.min(inbound_mail.c.next_attempt_at)).where(
                inbound_mail.c.status == "pending"
            )
        )
        return found
