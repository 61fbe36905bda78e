"""Reads and writes of the notification schema: read models and deliveries.

Every repository works on the unit of work's session, inside the caller's transaction,
so a consumer's inbox claim, the read-model update and the planned deliveries commit
together. All of notification's SQL is here, but for the webhook subscriptions'
(``adapters.webhook_table``) and what inbound mail taught it (``adapters.mailstate``).

The statements that run for every ticket (the consumer's read-model merges and lookups,
the planned delivery; the worker's lease, its lookups and the settled attempt) are SQL
text built once and sent to asyncpg's own connection inside the session's transaction
(``shared.driver.SessionDriver``): through SQLAlchemy each cost about twice its CPU, and
an ``IN`` of a varying count was a new statement to prepare for each count. The rest
(the API's reads, subscriptions, rare events) stay SQLAlchemy Core.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notification.adapters.orm import (
    contact_view,
    customer_view,
    delivery,
    delivery_attempt,
    failing_address,
    ticket_view,
)
from notification.config import SCHEMA
from notification.domain import registration
from notification.domain.answers import FailingAddress
from notification.domain.delivery import (
    CLAIMABLE,
    Attempt,
    Delivery,
    Settled,
    Status,
)
from notification.domain.keys import delivery_key
from notification.domain.planning import EMAIL, Addressed, ContactFacts, Planned, TicketFacts
from notification.uow import Claimed, DeliveryFilter
from shared.driver import SessionDriver
from shared.events.base import Envelope, new_id
from shared.observability.tracing import current_traceparent

DUE_CHANNEL = "notification_due"
TICKET_FIELDS = [c.name for c in ticket_view.columns if c.name != "ticket_id"]
_CONTACT_FIELDS = [f.name for f in fields(ContactFacts)]
_FAILING_FIELDS = [f.name for f in fields(FailingAddress)]
_DELIVERY_FIELDS = [f.name for f in fields(Delivery)]
_ATTEMPT_FIELDS = [f.name for f in fields(Attempt)]
_OPEN = [str(s) for s in CLAIMABLE]


# Rows are mappings: asyncpg's records, or SQLAlchemy rows' ``_mapping``.
def _ticket(row: Mapping[Any, Any]) -> TicketFacts:
    return TicketFacts(ticket_id=row["ticket_id"], **{k: row[k] for k in TICKET_FIELDS})


def _contact(row: Mapping[Any, Any]) -> ContactFacts:
    return ContactFacts(**{k: row[k] for k in _CONTACT_FIELDS})


def _delivery(row: Mapping[Any, Any]) -> Delivery:
    return Delivery(**{k: row[k] for k in _DELIVERY_FIELDS})


def _columns(table: Any) -> str:
    return ", ".join(table.c.keys())


_TICKET_VIEW = f'"{SCHEMA}".ticket_view'
_TICKET = f"SELECT {_columns(ticket_view)} FROM {_TICKET_VIEW} WHERE ticket_id = $1"


# A ticket's contact and its customer's time zone, joined to the ticket row ``t``: what
# every message to the contact needs, read with the ticket in one round trip.
_CONTACT_AS = ", ".join(f"c.{name} AS addressee_{name}" for name in _CONTACT_FIELDS)
_ADDRESSED = (
    f"SELECT t.*, {_CONTACT_AS}, z.timezone AS customer_timezone FROM t "
    f'LEFT JOIN "{SCHEMA}".contact_view c ON c.contact_id = t.contact_id '
    f'LEFT JOIN "{SCHEMA}".customer_view z ON z.customer_id = t.customer_id'
)
_ADDRESSED_BY_ID = f"WITH t AS (SELECT * FROM {_TICKET_VIEW} WHERE ticket_id = $1) {_ADDRESSED}"


@functools.cache
def _merge_ticket(columns: tuple[str, ...]) -> str:
    """The upsert of ``columns`` (a merge: the other columns keep what they hold)."""
    names = ("ticket_id", *columns)
    values = ", ".join(f"${n}" for n in range(1, len(names) + 1))
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns) or "ticket_id = EXCLUDED.ticket_id"
    upsert = (
        f"INSERT INTO {_TICKET_VIEW} ({', '.join(names)}) VALUES ({values}) "
        f"ON CONFLICT (ticket_id) DO UPDATE SET {sets} RETURNING {_columns(ticket_view)}"
    )
    return f"WITH t AS ({upsert}) {_ADDRESSED}"


def _addressed(row: Mapping[Any, Any]) -> Addressed:
    contact = None
    if row["addressee_contact_id"] is not None:
        contact = ContactFacts(**{k: row[f"addressee_{k}"] for k in _CONTACT_FIELDS})
    return Addressed(_ticket(row), contact, row["customer_timezone"])


class SqlTicketViews:
    def __init__(self, session: AsyncSession, driver: SessionDriver) -> None:
        self.session = session
        self.driver = driver

    async def merge(self, ticket_id: UUID, changes: dict[str, Any]) -> Addressed:
        """Merge what one event says about a ticket (events of two topics arrive in any
        order); the merged ticket comes back with its contact and time zone, in one round
        trip."""
        values = {k: v for k, v in changes.items() if k in TICKET_FIELDS}
        row = await self.driver.fetchrow(_merge_ticket(tuple(values)), ticket_id, *values.values())
        assert row is not None  # an upsert always returns its row
        return _addressed(row)

    async def addressed(self, ticket_id: UUID) -> Addressed | None:
        row = await self.driver.fetchrow(_ADDRESSED_BY_ID, ticket_id)
        return None if row is None else _addressed(row)

    async def get(self, ticket_id: UUID) -> TicketFacts | None:
        row = await self.driver.fetchrow(_TICKET, ticket_id)
        return None if row is None else _ticket(row)


_CONTACT = f'SELECT {_columns(contact_view)} FROM "{SCHEMA}".contact_view WHERE contact_id = $1'


class SqlContactViews:
    def __init__(self, session: AsyncSession, driver: SessionDriver) -> None:
        self.session = session
        self.driver = driver

    async def put(self, contact: ContactFacts) -> None:
        values = asdict(contact)
        stmt = insert(contact_view).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["contact_id"], set_=values)
        )

    async def get(self, contact_id: UUID | None) -> ContactFacts | None:
        if contact_id is None:
            return None
        row = await self.driver.fetchrow(_CONTACT, contact_id)
        return None if row is None else _contact(row)

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
        return [_contact(r._mapping) for r in rows]


_ZONE = f'SELECT timezone FROM "{SCHEMA}".customer_view WHERE customer_id = $1'


class SqlCustomerZones:
    def __init__(self, session: AsyncSession, driver: SessionDriver) -> None:
        self.session = session
        self.driver = driver

    async def put(self, customer_id: UUID, timezone: str) -> None:
        stmt = insert(customer_view).values(customer_id=customer_id, timezone=timezone)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["customer_id"], set_={"timezone": timezone})
        )

    async def get(self, customer_id: UUID | None) -> str | None:
        if customer_id is None:
            return None
        found: str | None = await self.driver.fetchval(_ZONE, customer_id)
        return found


_DELIVERY = f'"{SCHEMA}".delivery'
_OPEN_SQL = ", ".join(f"'{status}'" for status in _OPEN)  # as ix_delivery_due's predicate says
_ADDED_COLUMNS = (
    "id, delivery_key, channel, recipient, template, language, ticket_id, customer_id, "
    "subscription_id, source_event_id, source_event_type, context, in_reply_to, status, "
    "last_error, attempts, next_attempt_at"
)
# The insert and the workers' wake-up in one round trip: the NOTIFY only for a row added,
# delivered at commit. Its payload is when the row falls due (:func:`announced_due`), so
# a worker whose next pass comes sooner (a registration email held for its deadlines)
# is not woken for nothing.
_ADD_DELIVERY = (
    f"WITH added AS (INSERT INTO {_DELIVERY} ({_ADDED_COLUMNS}, created_at, updated_at) "
    f"VALUES ({', '.join(f'${n}' for n in range(1, 18))}, now(), now()) "
    "ON CONFLICT (delivery_key) DO NOTHING RETURNING next_attempt_at) "
    f"SELECT pg_notify('{DUE_CHANNEL}', extract(epoch FROM next_attempt_at)::text) FROM added"
)


def announced_due(payload: str) -> datetime | None:
    """When the delivery a NOTIFY on ``DUE_CHANNEL`` announced falls due (None: unknown)."""
    try:
        return datetime.fromtimestamp(float(payload), UTC)
    except ValueError:
        return None


# A held registration email released (its deadlines are known) is announced as a new one
# is: it falls due now, and the worker's planned pass may be seconds away.
_RELEASE = (
    f"WITH released AS (UPDATE {_DELIVERY} SET next_attempt_at = $2, updated_at = now() "
    f"WHERE ticket_id = $1 AND template = '{registration.TEMPLATE}' "
    f"AND status = '{Status.pending}' AND next_attempt_at > $2 RETURNING next_attempt_at) "
    f"SELECT pg_notify('{DUE_CHANNEL}', extract(epoch FROM next_attempt_at)::text) "
    "FROM released"
)
_LEASE = (
    f"UPDATE {_DELIVERY} SET status = '{Status.sending}', attempts = attempts + 1, "
    "next_attempt_at = $3, updated_at = now() "
    f"WHERE id IN (SELECT id FROM {_DELIVERY} WHERE status IN ({_OPEN_SQL}) "
    "AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
    f"RETURNING {_columns(delivery)}"
)


def _prefixed(alias: str, table: Any) -> str:
    return ", ".join(f"{alias}.{c.name} AS {alias}__{c.name}" for c in table.c)


# The lease and what each leased row renders with, in one round trip: a registration's
# ticket, the contact its context names, an email address's failure.
_CLAIM = (
    f"WITH d AS ({_LEASE}) SELECT d.*, {_prefixed('t', ticket_view)}, "
    f"{_prefixed('c', contact_view)}, {_prefixed('f', failing_address)} FROM d "
    f"LEFT JOIN {_TICKET_VIEW} t ON t.ticket_id = d.ticket_id "
    f"AND d.template = '{registration.TEMPLATE}' "
    f'LEFT JOIN "{SCHEMA}".contact_view c '
    "ON c.contact_id = NULLIF(d.context ->> 'contact_id', '')::uuid "
    f'LEFT JOIN "{SCHEMA}".failing_address f ON f.address = d.recipient '
    f"AND d.channel = '{EMAIL}'"
)


def _part(row: Mapping[Any, Any], alias: str, names: Sequence[str]) -> dict[str, Any] | None:
    """The joined row ``alias`` (None when the join found none: its key is null)."""
    if row[f"{alias}__{names[0]}"] is None:
        return None
    return {name: row[f"{alias}__{name}"] for name in names}


def _claimed(row: Mapping[Any, Any]) -> Claimed:
    ticket = _part(row, "t", ["ticket_id", *TICKET_FIELDS])
    contact = _part(row, "c", _CONTACT_FIELDS)
    failing = _part(row, "f", _FAILING_FIELDS)
    return Claimed(
        _delivery(row),
        None if ticket is None else TicketFacts(**ticket),
        None if contact is None else ContactFacts(**contact),
        None if failing is None else FailingAddress(**failing),
    )


_EARLIEST = f"SELECT min(next_attempt_at) FROM {_DELIVERY} WHERE status IN ({_OPEN_SQL})"
# The attempt is recorded whatever happens; the outcome only while the lease holds
# (the row still ``sending`` at the attempt this worker claimed). One round trip.
_SETTLE = (
    f'WITH attempt AS (INSERT INTO "{SCHEMA}".delivery_attempt '
    "(delivery_id, attempt, attempted_at, ok, status_code, reply, latency_ms) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)) "
    f"UPDATE {_DELIVERY} SET status = $8, next_attempt_at = $9, last_error = $10, "
    "message_id = $11, sent_at = $12, updated_at = now() "
    f"WHERE id = $1 AND status = '{Status.sending}' AND attempts = $13 RETURNING id"
)
# A registration email still held (planned, waiting, not yet due).
_HELD = (
    delivery.c.template == registration.TEMPLATE,
    delivery.c.status == Status.pending,
)


TRACE_KEY = "traceparent"  # in a delivery's context: the trace its send continues


def with_trace(context: dict[str, Any], traceparent: str | None) -> dict[str, Any]:
    """``context`` plus the ``traceparent`` to continue (unchanged when tracing is off)."""
    return context if traceparent is None else {**context, TRACE_KEY: traceparent}


class SqlDeliveries:
    def __init__(self, session: AsyncSession, driver: SessionDriver) -> None:
        self.session = session
        self.driver = driver

    async def add(
        self,
        planned: Sequence[Planned],
        *,
        source: Envelope,
        ticket_id: UUID | None,
        customer_id: UUID | None,
        due: datetime,
    ) -> int:
        """Store planned deliveries; one already stored under the same key is left alone.

        Each keeps the trace of the event that planned it (``context.traceparent``), so
        the worker's send, later, shows in the same trace.
        """
        added = 0
        traceparent = current_traceparent() or source.traceparent
        for item in planned:
            notified = await self.driver.fetch(
                _ADD_DELIVERY,
                new_id(),
                delivery_key(source.id, item.recipient, item.channel, item.template),
                item.channel,
                item.recipient,
                item.template,
                item.language,
                ticket_id,
                customer_id,
                item.subscription_id,
                source.id,
                source.type,
                json.dumps(with_trace(item.context, traceparent)),
                item.in_reply_to,
                # A skipped one is kept as the record of why it was not sent.
                Status.skipped if item.skip_reason else Status.pending,
                item.skip_reason,
                0,
                due,
            )
            added += len(notified)  # the wake-up is sent only for a row added
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
        return [_ticket(r._mapping) for r in rows]

    async def release_registration(self, ticket_id: UUID, now: datetime) -> None:
        """The ticket's held registration email goes now."""
        await self.driver.fetch(_RELEASE, ticket_id, now)

    async def claim(self, now: datetime, *, batch: int, lease_until: datetime) -> list[Claimed]:
        """Lease due rows (``FOR UPDATE SKIP LOCKED``: replicas share the queue), with their
        facts."""
        return [_claimed(r) for r in await self.driver.fetch(_CLAIM, now, batch, lease_until)]

    async def earliest_open(self) -> datetime | None:
        """When the earliest waiting or leased row falls due."""
        found: datetime | None = await self.driver.fetchval(_EARLIEST)
        return found

    async def settle(
        self,
        delivery_: Delivery,
        settled: Settled,
        *,
        attempt: Attempt,
        message_id: str | None,
        at: datetime,
    ) -> bool:
        """Record the attempt; store the outcome unless the lease ran out and another claim
        owns the row (then False)."""
        moved = await self.driver.fetchrow(
            _SETTLE,
            attempt.delivery_id,
            attempt.attempt,
            attempt.attempted_at,
            attempt.ok,
            attempt.status_code,
            attempt.reply,
            attempt.latency_ms,
            settled.status,
            settled.next_attempt_at or at,
            settled.error,
            message_id,
            at if settled.status == Status.sent else None,
            delivery_.attempts,
        )
        return moved is not None

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
        return [_delivery(r._mapping) for r in rows]

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
