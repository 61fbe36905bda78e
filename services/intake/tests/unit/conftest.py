"""In-memory unit of work and entitlement for the use-case tests: no database, no HTTP.

Cosmic Python's pattern: repositories over dicts, the events every stored ticket handed
over in the order the outbox would have received them, and a ``committed`` flag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Self
from uuid import UUID, uuid4

import pytest

from intake.adapters.entitlement import Entitlement, TierInfo
from intake.domain.admission import OpenTicketRef
from intake.domain.ticket import Comment, Ticket
from intake.domain.visits import Visit
from intake.uow import ArticleHit, MessageKey, SeenMessage
from shared.errors import Forbidden
from shared.events.policy import PolicyDocument
from shared.events.tickets import TicketEventData
from shared.events.vocabulary import FINAL_STATUSES, Feature, Severity, TicketStatus, Tier

PRIORITY = {Tier.premium: 1, Tier.business: 2, Tier.extended: 3, Tier.standard: 4, Tier.basic: 5}
EIGHT_FIVE = {"kind": "8x5", "timezone": "Europe/Moscow", "opens": "09:00", "closes": "18:00"}


def make_policy(**caps: Severity) -> PolicyDocument:
    """A policy as entitlement writes it: premium and business 24x7, the others 8x5."""
    schedules: dict[str, Any] = dict.fromkeys(Tier, EIGHT_FIVE)
    schedules.update({Tier.premium: {"kind": "24x7"}, Tier.business: {"kind": "24x7"}})
    return PolicyDocument.model_validate(
        {"version": "v-test", "schedules": schedules, "targets": {}, "severity_caps": caps}
    )


def make_terms(
    tier: Tier = Tier.standard,
    *,
    customer_id: UUID | None = None,
    max_open_tickets: int | None = None,
    features: dict[str, bool] | None = None,
    policy: PolicyDocument | None = None,
) -> Entitlement:
    """Entitlement's answer for a contact of ``tier``."""
    return Entitlement(
        customer_id=customer_id or uuid4(),
        contact_id=uuid4(),
        tier=tier,
        policy_version="v-test",
        max_open_tickets=max_open_tickets,
        policy=policy or make_policy(basic=Severity.medium),
        features=features if features is not None else {Feature.on_site_visit: False},
        priority=PRIORITY[tier],
    )


class FakeTickets:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.items: dict[UUID, Ticket] = {}
        self.numbers = 0

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None:
        return self.items.get(ticket_id)

    async def add(self, ticket: Ticket) -> None:
        self.items[ticket.id] = ticket
        self._uow.events.extend(ticket.pull_events())

    async def save(self, ticket: Ticket) -> None:
        self.items[ticket.id] = ticket
        self._uow.events.extend(ticket.pull_events())

    async def set_remote_access(self, ticket_id: UUID, available: bool) -> None:
        self.items[ticket_id].remote_access_available = available

    async def by_occurrence_key(self, key: str) -> UUID | None:
        found = [t.id for t in self.items.values() if t.maintenance_occurrence_key == key]
        return found[0] if found else None

    async def open_by_fingerprint(
        self, customer_id: UUID, fingerprints: Sequence[str]
    ) -> dict[str, UUID]:
        return {
            t.alert_fingerprint: t.id
            for t in self.items.values()
            if t.customer_id == customer_id and t.alert_fingerprint in fingerprints and t.is_open
        }

    async def lock_customer(self, customer_id: UUID) -> None:
        self._uow.locks.append(customer_id)

    async def lock_idempotency_key(self, customer_id: UUID, key: str) -> None:
        self._uow.key_locks.append((customer_id, key))

    async def open_of(self, customer_id: UUID) -> list[OpenTicketRef]:
        return [
            OpenTicketRef(t.id, t.registration_number)
            for t in self.items.values()
            if t.customer_id == customer_id and t.is_open
        ]

    async def not_final_of(self, customer_id: UUID) -> list[Ticket]:
        return [
            t
            for t in self.items.values()
            if t.customer_id == customer_id and t.status not in FINAL_STATUSES
        ]

    async def by_idempotency_key(self, customer_id: UUID, key: str) -> Ticket | None:
        return next(
            (
                t
                for t in self.items.values()
                if t.customer_id == customer_id and t.idempotency_key == key
            ),
            None,
        )

    async def next_number(self) -> int:
        self.numbers += 1
        return self.numbers

    async def due_for_auto_close(self, now: datetime, *, batch: int) -> list[Ticket]:
        due = [
            t
            for t in self.items.values()
            if t.status == TicketStatus.resolved and t.auto_close_at and t.auto_close_at <= now
        ]
        return due[:batch]

    async def next_auto_close(self) -> datetime | None:
        return min(
            (
                t.auto_close_at
                for t in self.items.values()
                if t.status == TicketStatus.resolved and t.auto_close_at
            ),
            default=None,
        )

    async def customer_of(self, ticket_id: UUID) -> UUID | None:
        found = self.items.get(ticket_id)
        return None if found is None else found.customer_id

    async def id_by_number(self, registration_number: str) -> UUID | None:
        return next(
            (t.id for t in self.items.values() if t.registration_number == registration_number),
            None,
        )


class FakeComments:
    def __init__(self) -> None:
        self.items: list[Comment] = []

    async def add(self, comment: Comment) -> None:
        self.items.append(comment)

    async def of_ticket(self, ticket_id: UUID, *, include_internal: bool) -> list[Comment]:
        return [
            c for c in self.items if c.ticket_id == ticket_id and (include_internal or c.public)
        ]


class FakeMessages:
    def __init__(self) -> None:
        self.items: dict[MessageKey, SeenMessage] = {}

    async def lock(self, key: MessageKey) -> None:
        return None

    async def seen(self, key: MessageKey) -> SeenMessage | None:
        return self.items.get(key)

    async def thread_of_reply(self, key: MessageKey, reply_to: str) -> UUID | None:
        return next(
            (
                m.ticket_id
                for k, m in self.items.items()
                if (k.channel, k.customer_id, k.external_id)
                == (key.channel, key.customer_id, reply_to)
            ),
            None,
        )

    async def record(self, key: MessageKey, message: SeenMessage) -> None:
        self.items[key] = message


class FakeArticles:
    def __init__(self) -> None:
        self.hits: list[ArticleHit] = []

    async def suggest(self, text: str, limit: int) -> Sequence[ArticleHit]:
        return self.hits[:limit]


class FakeVisits:
    def __init__(self) -> None:
        self.rows: dict[UUID, Visit] = {}

    async def add(self, visit: Visit) -> None:
        self.rows[visit.visit_id] = visit

    async def save(self, visit: Visit) -> None:
        self.rows[visit.visit_id] = visit

    async def get(self, ticket_id: UUID, visit_id: UUID) -> Visit | None:
        found = self.rows.get(visit_id)
        return found if found is not None and found.ticket_id == ticket_id else None

    async def of_ticket(self, ticket_id: UUID) -> list[Visit]:
        return [v for v in self.rows.values() if v.ticket_id == ticket_id]


class FakeUnitOfWork:
    """Repositories in memory; ``events`` is what the outbox would hold after commits."""

    def __init__(self) -> None:
        self.events: list[tuple[int, TicketEventData]] = []
        self.locks: list[UUID] = []
        self.key_locks: list[tuple[UUID, str]] = []
        self.tickets = FakeTickets(self)
        self.comments = FakeComments()
        self.visits = FakeVisits()
        self.messages = FakeMessages()
        self.articles = FakeArticles()
        self.committed = False
        self.entered = False

    async def __aenter__(self) -> Self:
        # As the real one: a nested transaction on one unit of work is a bug.
        assert not self.entered, "unit of work entered twice (nested transaction)"
        self.entered = True
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.entered = False

    async def commit(self) -> None:
        self.committed = True

    def event_types(self) -> list[str]:
        return [event.TYPE for _, event in self.events]


class FakeEntitlements:
    """Entitlement's answers by contact email or chat id, and its tier catalogue."""

    def __init__(self) -> None:
        self.contacts: dict[str, Entitlement] = {}
        self.customers: dict[UUID, Entitlement] = {}
        self.catalogue = [
            TierInfo(tier=t, priority=p, features={Feature.on_site_visit: p <= 2})
            for t, p in sorted(PRIORITY.items(), key=lambda tp: tp[1])
        ]

    async def for_contact(
        self, *, email: str | None = None, chat_id: str | None = None
    ) -> Entitlement:
        found = self.contacts.get(email or chat_id or "")
        if found is None:
            raise Forbidden("Ticket refused: not an active contact", slug="not-entitled")
        return found

    async def for_customer(self, customer_id: UUID) -> Entitlement:
        found = self.customers.get(customer_id)
        if found is None:
            raise Forbidden("No active contract", slug="not-entitled")
        return found

    async def tiers_with(self, feature: str) -> list[Tier]:
        return [t.tier for t in self.catalogue if t.features.get(feature)]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def entitlements() -> FakeEntitlements:
    return FakeEntitlements()


@pytest.fixture
def contact(entitlements: FakeEntitlements) -> Callable[..., Entitlement]:
    """Register an active contact ``email`` of a customer on ``tier``; return its terms."""

    def register(
        email: str = "ann@example.com",
        *,
        caps: dict[str, Severity] | None = None,
        **kwargs: Any,
    ) -> Entitlement:
        if caps is not None:
            kwargs["policy"] = make_policy(**caps)
        terms = make_terms(**kwargs)
        entitlements.contacts[email] = terms
        return terms

    return register
