"""In-memory unit of work for the use-case tests: no database, no broker.

Cosmic Python's pattern, as intake's: repositories over dicts that keep the same
contracts as ``adapters.repository`` (a delivery key stored once, a claim that leases,
a settle that loses to a newer claim), the outbox's events in a list, and a commit count.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self
from uuid import UUID, uuid4

import pytest

from notification.domain import registration
from notification.domain.answers import FailingAddress
from notification.domain.delivery import (
    CLAIMABLE,
    Attempt,
    Delivery,
    Settled,
    Status,
    Subscription,
)
from notification.domain.keys import delivery_key
from notification.domain.planning import Addressed, ContactFacts, Planned, TicketFacts
from notification.uow import Claimed, DeliveryFilter
from shared.events.base import Envelope, EventData

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TICKET_FIELDS = {f.name for f in dataclasses.fields(TicketFacts)} - {"ticket_id"}


class FakeTickets:
    def __init__(self, contacts: FakeContacts, customers: FakeCustomers) -> None:
        self.items: dict[UUID, TicketFacts] = {}
        self._contacts = contacts
        self._customers = customers

    async def addressed(self, ticket_id: UUID) -> Addressed | None:
        found = self.items.get(ticket_id)
        return None if found is None else await self._addressed(found)

    async def _addressed(self, ticket: TicketFacts) -> Addressed:
        return Addressed(
            ticket,
            await self._contacts.get(ticket.contact_id),
            await self._customers.get(ticket.customer_id),
        )

    async def merge(self, ticket_id: UUID, changes: dict[str, Any]) -> Addressed:
        known = self.items.get(ticket_id) or TicketFacts(ticket_id=ticket_id)
        merged = dataclasses.replace(
            known, **{k: v for k, v in changes.items() if k in TICKET_FIELDS}
        )
        self.items[ticket_id] = merged
        return await self._addressed(merged)

    async def get(self, ticket_id: UUID) -> TicketFacts | None:
        return self.items.get(ticket_id)


class FakeContacts:
    def __init__(self) -> None:
        self.items: dict[UUID, ContactFacts] = {}

    async def put(self, contact: ContactFacts) -> None:
        self.items[contact.contact_id] = contact

    async def get(self, contact_id: UUID | None) -> ContactFacts | None:
        return None if contact_id is None else self.items.get(contact_id)

    async def of_customers(self, customer_ids: list[UUID]) -> list[ContactFacts]:
        found = [c for c in self.items.values() if c.customer_id in customer_ids]
        return sorted(found, key=lambda c: c.contact_id)


class FakeCustomers:
    def __init__(self) -> None:
        self.zones: dict[UUID, str] = {}

    async def put(self, customer_id: UUID, timezone: str) -> None:
        self.zones[customer_id] = timezone

    async def get(self, customer_id: UUID | None) -> str | None:
        return None if customer_id is None else self.zones.get(customer_id)


class FakeDeliveries:
    def __init__(self, tickets: FakeTickets, contacts: FakeContacts, failing: FakeFailing) -> None:
        self._tickets = tickets
        self._contacts = contacts
        self._failing = failing
        self.rows: dict[UUID, Delivery] = {}
        self.attempts: list[Attempt] = []
        self.notified = 0  # pg_notify calls: new rows wake the workers

    async def add(
        self,
        planned: Sequence[Planned],
        *,
        source: Envelope,
        ticket_id: UUID | None,
        customer_id: UUID | None,
        due: datetime,
    ) -> int:
        added = 0
        keys = {d.delivery_key for d in self.rows.values()}
        for item in planned:
            key = delivery_key(source.id, item.recipient, item.channel, item.template)
            if key in keys:
                continue
            keys.add(key)
            row = Delivery(
                id=uuid4(),
                delivery_key=key,
                channel=item.channel,
                recipient=item.recipient,
                template=item.template,
                language=item.language,
                ticket_id=ticket_id,
                customer_id=customer_id,
                subscription_id=item.subscription_id,
                source_event_id=source.id,
                source_event_type=source.type,
                context=item.context,
                in_reply_to=item.in_reply_to,
                message_id=None,
                status=Status.skipped if item.skip_reason else Status.pending,
                attempts=0,
                next_attempt_at=due,
                last_error=item.skip_reason,
                created_at=NOW,
                sent_at=None,
                updated_at=NOW,
            )
            self.rows[row.id] = row
            added += 1
        self.notified += bool(added)
        return added

    def _held(self, d: Delivery, now: datetime) -> bool:
        return (
            d.template == registration.TEMPLATE
            and d.status == Status.pending
            and d.next_attempt_at > now
        )

    async def held_registrations(self, *, contact_id: UUID, now: datetime) -> list[TicketFacts]:
        ids = {d.ticket_id for d in self.rows.values() if self._held(d, now)}
        return [
            t
            for t in self._tickets.items.values()
            if t.ticket_id in ids and t.contact_id == contact_id
        ]

    async def release_registration(self, ticket_id: UUID, now: datetime) -> None:
        for d in list(self.rows.values()):
            if d.ticket_id == ticket_id and self._held(d, now):
                self.rows[d.id] = dataclasses.replace(d, next_attempt_at=now)

    async def claim(self, now: datetime, *, batch: int, lease_until: datetime) -> list[Claimed]:
        due = sorted(
            (d for d in self.rows.values() if d.status in CLAIMABLE and d.next_attempt_at <= now),
            key=lambda d: d.next_attempt_at,
        )[:batch]
        claimed = []
        for d in due:
            leased = dataclasses.replace(
                d, status=Status.sending, attempts=d.attempts + 1, next_attempt_at=lease_until
            )
            self.rows[d.id] = leased
            claimed.append(await self._with_facts(leased))
        return claimed

    async def _with_facts(self, row: Delivery) -> Claimed:
        """As the SQL's joins: a registration's ticket, the context's contact, a failing email."""
        ticket = None
        if row.template == registration.TEMPLATE and row.ticket_id:
            ticket = await self._tickets.get(row.ticket_id)
        contact_id = row.context.get("contact_id")
        contact = await self._contacts.get(UUID(contact_id)) if contact_id else None
        failing = None
        if row.channel == "email":
            failing = (await self._failing.of([row.recipient])).get(row.recipient)
        return Claimed(row, ticket, contact, failing)

    async def earliest_open(self) -> datetime | None:
        open_ = [d.next_attempt_at for d in self.rows.values() if d.status in CLAIMABLE]
        return min(open_, default=None)

    async def settle(
        self,
        delivery: Delivery,
        settled: Settled,
        *,
        attempt: Attempt,
        message_id: str | None,
        at: datetime,
    ) -> bool:
        self.attempts.append(attempt)  # recorded whether or not the lease still holds
        now = self.rows[delivery.id]
        if now.status != Status.sending or now.attempts != delivery.attempts:
            return False
        self.rows[delivery.id] = dataclasses.replace(
            now,
            status=settled.status,
            next_attempt_at=settled.next_attempt_at or at,
            last_error=settled.error,
            message_id=message_id,
            sent_at=at if settled.status == Status.sent else None,
        )
        return True

    async def skip(self, row: Delivery, *, reason: str, at: datetime) -> bool:
        now = self.rows[row.id]
        if now.status != Status.sending or now.attempts != row.attempts:
            return False
        self.rows[row.id] = dataclasses.replace(
            now, status=Status.skipped, attempts=row.attempts - 1, last_error=reason
        )
        return True

    async def find(self, where: DeliveryFilter, *, limit: int) -> list[Delivery]:
        wanted = {k: v for k, v in dataclasses.asdict(where).items() if v is not None}
        found = [
            d for d in self.rows.values() if all(getattr(d, k) == v for k, v in wanted.items())
        ]
        return found[:limit]

    async def attempts_of(self, ids: list[UUID]) -> dict[UUID, list[Attempt]]:
        out: dict[UUID, list[Attempt]] = {}
        for a in self.attempts:
            if a.delivery_id in ids:
                out.setdefault(a.delivery_id, []).append(a)
        return out

    def of_template(self, template: str) -> list[Delivery]:
        return [d for d in self.rows.values() if d.template == template]


class FakeSubscriptions:
    def __init__(self) -> None:
        self.items: dict[UUID, Subscription] = {}
        self.reads = 0

    async def active(self) -> list[Subscription]:
        self.reads += 1
        return [s for s in self.items.values() if s.active]

    async def get(self, subscription_id: UUID) -> Subscription | None:
        return self.items.get(subscription_id)

    async def listed(self, *, customer_id: UUID | None) -> list[Subscription]:
        return [s for s in self.items.values() if customer_id in (None, s.customer_id)]

    async def add(self, subscription: Subscription) -> None:
        self.items[subscription.id] = subscription

    async def delete(self, subscription_id: UUID) -> None:
        self.items.pop(subscription_id, None)

    async def count_outcome(
        self, subscription_id: UUID, *, ok: bool, disable_after: int, reason: str
    ) -> None:
        sub = self.items.get(subscription_id)
        if sub is None:
            return
        if ok:
            self.items[sub.id] = dataclasses.replace(sub, consecutive_failures=0)
            return
        failures = sub.consecutive_failures + 1
        disable = failures >= disable_after and sub.active
        self.items[sub.id] = dataclasses.replace(
            sub,
            consecutive_failures=failures,
            active=sub.active and not disable,
            disabled_at=NOW if disable else sub.disabled_at,
            disabled_reason=reason if disable else sub.disabled_reason,
        )

    def make(
        self, *event_types: str, customer_id: UUID | None = None, url: str = ""
    ) -> Subscription:
        sub = Subscription(
            id=uuid4(),
            url=url or "https://hooks.example.com/in",
            event_types=list(event_types),
            customer_id=customer_id,
            secret="whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=",
            active=True,
            created_by="k",
            consecutive_failures=0,
            disabled_at=None,
            disabled_reason=None,
            created_at=NOW,
        )
        self.items[sub.id] = sub
        return sub


class FakeFailing:
    def __init__(self) -> None:
        self.items: dict[str, FailingAddress] = {}

    async def mark(self, failing: FailingAddress) -> None:
        self.items[failing.address] = failing

    async def of(self, addresses: Collection[str]) -> dict[str, FailingAddress]:
        return {a: self.items[a] for a in addresses if a in self.items}

    async def listed(self, *, limit: int) -> list[FailingAddress]:
        return sorted(self.items.values(), key=lambda f: f.bounced_at, reverse=True)[:limit]

    async def clear(self, address: str) -> bool:
        return self.items.pop(address, None) is not None


class FakeAnswers:
    """As the SQL one: the answer's slot is taken only when absent or older than the window."""

    def __init__(self) -> None:
        self.answered: dict[str, datetime] = {}

    async def claim(self, address: str, *, now: datetime, window: timedelta) -> datetime | None:
        before = self.answered.get(address)
        if before is not None and before > now - window:
            return before
        self.answered[address] = now
        return None


class FakeOutbox:
    def __init__(self) -> None:
        self.published: list[tuple[EventData, str]] = []

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        self.published.append((data, subject))
        return Envelope.wrap(data, source="notification", subject=subject)

    def types(self) -> list[str]:
        return [e.TYPE for e, _ in self.published]


class FakeUnitOfWork:
    """Repositories in memory."""

    def __init__(self) -> None:
        self.contacts = FakeContacts()
        self.customers = FakeCustomers()
        self.tickets = FakeTickets(self.contacts, self.customers)
        self.failing = FakeFailing()
        self.deliveries = FakeDeliveries(self.tickets, self.contacts, self.failing)
        self.subscriptions = FakeSubscriptions()
        self.answers = FakeAnswers()
        self.outbox = FakeOutbox()
        self.commits = 0
        self.entered = False

    async def __aenter__(self) -> Self:
        # As the real one: a nested transaction on one unit of work is a bug.
        assert not self.entered, "unit of work entered twice (nested transaction)"
        self.entered = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.entered = False

    async def commit(self) -> None:
        self.commits += 1


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def wrap(data: EventData) -> Envelope:
    """The envelope the consumer would hand a handler (``data`` as it is on the wire)."""
    return Envelope.wrap(data, source="test", subject="s")


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)
