"""What notification's use cases need from storage: the unit of work and its parts, as protocols.

``adapters.uow.SqlNotificationUnitOfWork`` is the SQLAlchemy one; the unit tests use an
in-memory one (``tests/unit/conftest.py``). The use cases see only these protocols, so
who is told what, the registration email's wait and the retry rules run without a
database.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from notification.domain.answers import FailingAddress
from notification.domain.delivery import Attempt, Delivery, Settled, Subscription
from notification.domain.planning import Addressed, ContactFacts, Planned, TicketFacts
from shared.events.base import Envelope, EventData


class TicketViews(Protocol):
    """What notification keeps of each ticket, merged from events of two topics."""

    async def merge(self, ticket_id: UUID, changes: dict[str, Any]) -> Addressed:
        """Merge what an event says; the merged ticket with its contact and time zone."""
        ...

    async def get(self, ticket_id: UUID) -> TicketFacts | None: ...

    async def addressed(self, ticket_id: UUID) -> Addressed | None:
        """The ticket with its contact and time zone, in one read; None if unknown."""
        ...


class ContactViews(Protocol):
    """Customers' contacts as ``contact.changed`` described them."""

    async def put(self, contact: ContactFacts) -> None: ...
    async def get(self, contact_id: UUID | None) -> ContactFacts | None: ...
    async def of_customers(self, customer_ids: list[UUID]) -> list[ContactFacts]: ...


class CustomerZones(Protocol):
    """Each customer's time zone, for the instants an email shows."""

    async def put(self, customer_id: UUID, timezone: str) -> None: ...
    async def get(self, customer_id: UUID | None) -> str | None: ...


@dataclass(frozen=True)
class DeliveryFilter:
    """Which deliveries a reader asks for (every field optional)."""

    customer_id: UUID | None = None
    ticket_id: UUID | None = None
    subscription_id: UUID | None = None
    recipient: str | None = None
    channel: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Claimed:
    """A delivery just leased, with the facts read in the same statement.

    What may have changed since it was planned: the ticket a registration email shows
    (its deadlines), the contact the context names (their name and language), and
    whether an email's address has begun failing (it is then skipped, not sent).
    """

    delivery: Delivery
    ticket: TicketFacts | None = None  # a registration's ticket, else None
    contact: ContactFacts | None = None
    failing: FailingAddress | None = None  # an email's address, while it is failing


class Deliveries(Protocol):
    """The delivery queue and its attempts."""

    async def add(
        self,
        planned: Sequence[Planned],
        *,
        source: Envelope,
        ticket_id: UUID | None,
        customer_id: UUID | None,
        due: datetime,
    ) -> int: ...
    async def held_registrations(self, *, contact_id: UUID, now: datetime) -> list[TicketFacts]: ...
    async def release_registration(self, ticket_id: UUID, now: datetime) -> None: ...
    async def claim(self, now: datetime, *, batch: int, lease_until: datetime) -> list[Claimed]: ...
    async def earliest_open(self) -> datetime | None: ...
    async def settle(
        self,
        delivery: Delivery,
        settled: Settled,
        *,
        attempt: Attempt,
        message_id: str | None,
        at: datetime,
    ) -> bool:
        """Record ``attempt``; store the outcome unless the lease ran out (then False)."""
        ...

    async def skip(self, row: Delivery, *, reason: str, at: datetime) -> bool: ...
    async def find(self, where: DeliveryFilter, *, limit: int) -> list[Delivery]: ...
    async def attempts_of(self, ids: list[UUID]) -> dict[UUID, list[Attempt]]: ...


class Subscriptions(Protocol):
    """Webhook subscriptions."""

    async def active(self) -> list[Subscription]: ...
    async def get(self, subscription_id: UUID) -> Subscription | None: ...
    async def listed(self, *, customer_id: UUID | None) -> list[Subscription]: ...
    async def add(self, subscription: Subscription) -> None: ...
    async def delete(self, subscription_id: UUID) -> None: ...
    async def count_outcome(
        self, subscription_id: UUID, *, ok: bool, disable_after: int, reason: str
    ) -> None: ...


class FailingAddresses(Protocol):
    """Addresses whose mail bounced (``mail.bounced``), until staff clear them."""

    async def mark(self, failing: FailingAddress) -> None: ...
    async def of(self, addresses: Collection[str]) -> dict[str, FailingAddress]: ...
    async def listed(self, *, limit: int) -> list[FailingAddress]: ...
    async def clear(self, address: str) -> bool: ...


class SenderAnswers(Protocol):
    """The per-address rate limit of answers to unknown senders."""

    async def claim(self, address: str, *, now: datetime, window: timedelta) -> datetime | None: ...


class Publisher(Protocol):
    """The outbox: events staged in the transaction, sent after it commits."""

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope: ...


class NotificationUnitOfWork(Protocol):
    """One transaction over notification's storage, its outbox and its record of events."""

    tickets: TicketViews
    contacts: ContactViews
    customers: CustomerZones
    deliveries: Deliveries
    subscriptions: Subscriptions
    failing: FailingAddresses
    answers: SenderAnswers

    @property
    def outbox(self) -> Publisher: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
