"""A unit of work in memory (Cosmic Python's fake), so use cases run without PostgreSQL.

The fake repositories keep plain rows and answer through the same domain functions the
service uses (``Snapshot.resolve``, ``effective_policy``), so a unit test exercises the
rules, not a copy of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from entitlement.domain.calendar import DEFAULT_CALENDAR_VERSION, CalendarOverrides
from entitlement.domain.catalogue import DEFAULT_POLICY_VERSION
from entitlement.domain.entitlement import ContractTerm, PolicyKey, Snapshot, TermExtras
from entitlement.domain.policy import default_policy, effective_policy
from entitlement.readmodels import ContactRead, ContractRead, CustomerRead
from shared.events.base import EventData
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Tier

MSK = "Europe/Moscow"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


class FakeCustomers:
    def __init__(self, desk: FakeUnitOfWork) -> None:
        self._desk = desk
        self.rows: dict[UUID, dict[str, Any]] = {}
        self.locked: list[UUID] = []

    async def get(self, customer_id: UUID, *, now: datetime) -> CustomerRead | None:
        row = self.rows.get(customer_id)
        if row is None:
            return None
        snap = await self._desk.checks.by_customer(customer_id)
        assert snap is not None
        return CustomerRead(**row, tier=snap.resolve(now)[0].tier.value)

    async def lock(self, customer_id: UUID) -> bool:
        self.locked.append(customer_id)
        return customer_id in self.rows

    async def add(self, customer_id: UUID, values: dict[str, Any]) -> None:
        self.rows[customer_id] = {
            "id": customer_id,
            "trained_specialists": 0,
            "warranty_until": None,
            "products": [],
            "timezone": MSK,
            "calendar_version": DEFAULT_CALENDAR_VERSION,
            "created_at": CREATED,
            "updated_at": CREATED,
            **values,
        }

    async def update(self, customer_id: UUID, values: dict[str, Any]) -> None:
        self.rows[customer_id].update(values)


class FakeContracts:
    def __init__(self) -> None:
        self.rows: dict[UUID, dict[str, Any]] = {}

    @staticmethod
    def _read(row: dict[str, Any], now: datetime) -> ContractRead:
        status = "active" if row["starts_at"] <= now < row["ends_at"] else "ended"
        if now < row["starts_at"]:
            status = "scheduled"
        fields = set(ContractRead.model_fields) - {"status", "expiry_announced_at"}
        return ContractRead(
            **{k: row[k] for k in fields},
            status=status,
            expiry_announced_at=row.get("expired_at"),
        )

    async def add(self, values: dict[str, Any], *, now: datetime) -> ContractRead:
        self.rows[values["id"]] = {"created_at": now, "expired_at": None, **values}
        return self._read(self.rows[values["id"]], now)

    async def get(
        self, customer_id: UUID, contract_id: UUID, *, now: datetime
    ) -> ContractRead | None:
        row = self.rows.get(contract_id)
        if row is None or row["customer_id"] != customer_id:
            return None
        return self._read(row, now)

    async def of_customer(self, customer_id: UUID, *, now: datetime) -> list[ContractRead]:
        rows = [r for r in self.rows.values() if r["customer_id"] == customer_id]
        return [self._read(r, now) for r in sorted(rows, key=lambda r: r["starts_at"])][::-1]

    async def update(
        self, contract_id: UUID, values: dict[str, Any], *, now: datetime
    ) -> ContractRead:
        self.rows[contract_id].update(values)
        return self._read(self.rows[contract_id], now)

    async def claim_passed(
        self, *, instant: str, stamp: str, now: datetime, batch: int
    ) -> list[UUID]:
        due = [r for r in self.rows.values() if r.get(stamp) is None and r[instant] <= now]
        return [r["id"] for r in sorted(due, key=lambda r: r[instant])][:batch]

    async def stamp(self, contract_id: UUID, stamp: str, *, now: datetime) -> ContractRead:
        self.rows[contract_id][stamp] = now
        return self._read(self.rows[contract_id], now)

    async def next_passing(self, *, instant: str, stamp: str) -> datetime | None:
        pending = [r[instant] for r in self.rows.values() if r.get(stamp) is None]
        return min(pending, default=None)


class FakeContacts:
    def __init__(self) -> None:
        self.rows: dict[UUID, ContactRead] = {}

    def active(self, **match: object) -> ContactRead | None:
        for contact in self.rows.values():
            if contact.active and all(getattr(contact, k) == v for k, v in match.items()):
                return contact
        return None


class FakeChecks:
    def __init__(self, desk: FakeUnitOfWork) -> None:
        self._desk = desk

    async def by_email(self, email: str) -> Snapshot | None:
        found = self._desk.contacts.active(email=email.lower())
        return None if found is None else self._snapshot(found.customer_id, found.id)

    async def by_chat(self, chat_id: str) -> Snapshot | None:
        found = self._desk.contacts.active(chat_id=chat_id)
        return None if found is None else self._snapshot(found.customer_id, found.id)

    async def by_customer(self, customer_id: UUID) -> Snapshot | None:
        if customer_id not in self._desk.customers.rows:
            return None
        return self._snapshot(customer_id, None)

    def _snapshot(self, customer_id: UUID, contact_id: UUID | None) -> Snapshot:
        row = self._desk.customers.rows[customer_id]
        contracts = self._desk.contracts.rows.values()
        return Snapshot(
            customer_id=customer_id,
            name=row["name"],
            warranty_until=row["warranty_until"],
            timezone=row["timezone"],
            calendar_version=row["calendar_version"],
            products=tuple(row["products"]),
            contact_id=contact_id,
            terms=tuple(_term(k) for k in contracts if k["customer_id"] == customer_id),
        )


def _term(row: dict[str, Any]) -> tuple[ContractTerm, TermExtras]:
    fields = ("id", "tier", "starts_on", "ends_on", "starts_at", "ends_at")
    term = ContractTerm(**{k: row[k] for k in fields} | {"tier": Tier(row["tier"])})
    extras = TermExtras(
        policy_version=row["policy_version"],
        shortened=row["shortened_pre_holidays"],
        dedicated_manager=row["dedicated_manager"],
        dedicated_engineer=row["dedicated_engineer"],
    )
    return term, extras


class FakePolicies:
    def __init__(self) -> None:
        self.stored: dict[str, PolicyDocument] = {DEFAULT_POLICY_VERSION: default_policy()}

    async def add(self, document: PolicyDocument, *, contract_id: UUID) -> None:
        self.stored[document.version] = document

    async def base(self, version: str) -> PolicyDocument | None:
        return self.stored.get(version)

    async def calendar_overrides(self, version: str) -> CalendarOverrides | None:
        return CalendarOverrides() if version == DEFAULT_CALENDAR_VERSION else None

    async def effective(self, key: PolicyKey) -> PolicyDocument | None:
        base = await self.base(key.base_version)
        if base is None or key.calendar_version != DEFAULT_CALENDAR_VERSION:
            return None
        return effective_policy(
            base, calendar_version=key.calendar_version, overrides=None, shortened=key.shortened
        )


class FakeOutbox:
    def __init__(self) -> None:
        self.staged: list[EventData] = []

    async def publish(self, data: EventData, *, subject: str) -> None:
        self.staged.append(data)


@dataclass
class FakeUnitOfWork:
    """Repositories in memory; events land in ``published`` only when committed."""

    entitlement_cache: Any = None
    committed: bool = False
    published: list[EventData] = field(default_factory=list)
    changed: set[UUID] = field(default_factory=set)
    versions: dict[UUID, int] = field(default_factory=dict)  # each customer's change version
    _versioned: set[UUID] = field(default_factory=set)  # bumped in the open transaction

    def __post_init__(self) -> None:
        self.customers = FakeCustomers(self)
        self.contracts = FakeContracts()
        self.contacts = FakeContacts()
        self.checks = FakeChecks(self)
        self.policies = FakePolicies()
        self.outbox = FakeOutbox()

    async def __aenter__(self) -> FakeUnitOfWork:
        self.outbox.staged = []
        self._versioned = set()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.outbox.staged = []  # rolled back unless committed

    async def commit(self) -> None:
        self.committed = True
        self.published.extend(self.outbox.staged)
        self.outbox.staged = []

    async def customer_changed(self, customer_id: UUID) -> int:
        self.changed.add(customer_id)
        if customer_id not in self._versioned:
            self._versioned.add(customer_id)
            self.versions[customer_id] = self.versions.get(customer_id, 0) + 1
        return self.versions[customer_id]

    # ---------------------------------------------------------------- test data

    async def customer(self, **values: Any) -> UUID:
        """Register a customer directly (no event), as a test's starting point."""
        customer_id = uuid4()
        await self.customers.add(customer_id, {"name": f"Customer {customer_id}", **values})
        return customer_id

    def contact(self, customer_id: UUID, *, email: str, chat_id: str | None = None) -> UUID:
        """Name an active contact directly."""
        contact_id = uuid4()
        self.contacts.rows[contact_id] = ContactRead(
            id=contact_id,
            customer_id=customer_id,
            name="Contact",
            email=email,
            phone=None,
            chat_id=chat_id,
            active=True,
        )
        return contact_id


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """A fresh in-memory unit of work."""
    return FakeUnitOfWork()
