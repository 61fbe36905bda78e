"""The unit of work the use cases ask for: one transaction, its repositories, its outbox.

Use cases depend on these protocols, not on SQLAlchemy: ``adapters.uow`` fulfils them
on PostgreSQL, and the unit tests' fake fulfils them in memory (Cosmic Python's
pattern), so the rules of checks and contracts are tested without a database.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self
from uuid import UUID

from entitlement.domain.calendar import CalendarOverrides
from entitlement.domain.catalogue import Tier
from entitlement.domain.entitlement import PolicyKey, Snapshot
from entitlement.domain.maintenance import MaintenancePlan, Occurrence, Override
from entitlement.maintenance_io import StoredOverride, StoredPlan
from entitlement.readmodels import ContactRead, ContractRead, CustomerRead, ReleaseRead
from shared.events.base import EventData
from shared.events.policy import PolicyDocument

Instant = Literal["starts_at", "ends_at"]
Stamp = Literal["start_announced_at", "expired_at"]


class ContactTaken(Exception):
    """A concurrent change made the email or chat id another active contact's."""

    def __init__(self, *, chat: bool) -> None:
        super().__init__("chat_id taken" if chat else "email taken")
        self.chat = chat


class ReleaseExists(Exception):
    """This kind and version of the product is already published."""


class SnapshotCache(Protocol):
    """The process's cache of check snapshots (``adapters/cache.py``)."""

    @property
    def generation(self) -> int: ...
    def get(self, key: str) -> Any | None: ...
    def put(self, key: str, customer_id: UUID, row: Any, *, generation: int) -> None: ...


class Customers(Protocol):
    """Customers, read with their effective tier."""

    async def get(self, customer_id: UUID, *, now: datetime) -> CustomerRead | None: ...
    async def lock(self, customer_id: UUID) -> bool: ...
    async def add(self, customer_id: UUID, values: dict[str, Any]) -> None: ...
    async def update(self, customer_id: UUID, values: dict[str, Any]) -> None: ...
    async def page(
        self,
        *,
        now: datetime,
        limit: int,
        offset: int,
        name: str | None,
        tier: Tier | None,
        product: str | None,
        only: UUID | None,
    ) -> tuple[list[CustomerRead], int]: ...


class Contracts(Protocol):
    """Contracts of customers."""

    async def add(self, values: dict[str, Any], *, now: datetime) -> ContractRead: ...
    async def get(
        self, customer_id: UUID, contract_id: UUID, *, now: datetime
    ) -> ContractRead | None: ...
    async def of_customer(self, customer_id: UUID, *, now: datetime) -> list[ContractRead]: ...
    async def update(
        self, contract_id: UUID, values: dict[str, Any], *, now: datetime
    ) -> ContractRead: ...
    async def claim_passed(
        self, *, instant: Instant, stamp: Stamp, now: datetime, batch: int
    ) -> list[UUID]: ...
    async def stamp(self, contract_id: UUID, stamp: Stamp, *, now: datetime) -> ContractRead: ...


class Contacts(Protocol):
    """Contacts of customers."""

    async def count_active(self, customer_id: UUID) -> int: ...
    async def is_taken(
        self, *, email: str, chat_id: str | None, except_id: UUID | None = None
    ) -> bool: ...
    async def add(
        self, contact_id: UUID, customer_id: UUID, values: dict[str, Any]
    ) -> ContactRead: ...
    async def get(self, customer_id: UUID, contact_id: UUID) -> ContactRead | None: ...
    async def of_customer(self, customer_id: UUID, *, active: bool | None) -> list[ContactRead]: ...
    async def update(self, contact_id: UUID, values: dict[str, Any]) -> ContactRead: ...


class Checks(Protocol):
    """What an entitlement check reads, in one go."""

    async def by_email(self, email: str) -> Snapshot | None: ...
    async def by_chat(self, chat_id: str) -> Snapshot | None: ...
    async def by_customer(self, customer_id: UUID) -> Snapshot | None: ...


class CalendarVersionLike(Protocol):
    """A stored calendar version."""

    @property
    def version(self) -> str: ...
    @property
    def customer_id(self) -> UUID: ...
    @property
    def seq(self) -> int: ...
    @property
    def overrides(self) -> CalendarOverrides: ...
    @property
    def created_at(self) -> datetime: ...


class Calendars(Protocol):
    """Calendar versions."""

    async def next_seq(self, customer_id: UUID) -> int: ...
    async def add(
        self, *, version: str, customer_id: UUID, seq: int, overrides: CalendarOverrides
    ) -> CalendarVersionLike: ...
    async def get(self, version: str) -> CalendarVersionLike | None: ...


class Releases(Protocol):
    """Releases and public patches."""

    async def customers_served(
        self, product: str, *, at_least: Tier, now: datetime
    ) -> list[UUID]: ...
    async def add(self, values: dict[str, Any]) -> ReleaseRead: ...
    async def page(self, *, product: str | None, limit: int, offset: int) -> list[ReleaseRead]: ...
    async def get(self, release_id: UUID) -> ReleaseRead | None: ...


class Policies(Protocol):
    """Policy documents by version, and the calendars they are composed with."""

    async def add(self, document: PolicyDocument, *, contract_id: UUID) -> None: ...
    async def base(self, version: str) -> PolicyDocument | None: ...
    async def calendar_overrides(self, version: str) -> CalendarOverrides | None: ...
    async def effective(self, key: PolicyKey) -> PolicyDocument | None: ...


class Maintenance(Protocol):
    """Maintenance plans, agents' overrides, and the occurrences already announced."""

    async def add(self, plan: MaintenancePlan, **extra: Any) -> StoredPlan: ...
    async def get(self, plan_id: UUID, *, for_update: bool = False) -> StoredPlan | None: ...
    async def of_customer(self, customer_id: UUID) -> list[StoredPlan]: ...
    async def plan_ids(self) -> list[UUID]: ...
    async def replace(self, plan: MaintenancePlan, **extra: Any) -> StoredPlan: ...
    async def delete(self, plan_id: UUID) -> None: ...
    async def overrides(self, plan_id: UUID) -> dict[str, StoredOverride]: ...
    async def put_override(
        self, key: str, *, plan_id: UUID, override: Override, by: str | None
    ) -> None: ...
    async def announced(self, plan_id: UUID) -> set[str]: ...
    async def record(self, occurrence: Occurrence, *, now: datetime) -> bool: ...
    async def advance(self, plan_id: UUID, until: datetime) -> None: ...


class Outbox(Protocol):
    """Events staged in the transaction, published after it commits."""

    async def publish(self, data: EventData, *, subject: str) -> Any: ...


class UnitOfWork(Protocol):
    """One transaction: nothing it did stays unless :meth:`commit` is called.

    Members are read-only properties so that an implementation may hold any subtype.
    """

    @property
    def customers(self) -> Customers: ...
    @property
    def contracts(self) -> Contracts: ...
    @property
    def contacts(self) -> Contacts: ...
    @property
    def checks(self) -> Checks: ...
    @property
    def calendars(self) -> Calendars: ...
    @property
    def releases(self) -> Releases: ...
    @property
    def policies(self) -> Policies: ...
    @property
    def maintenance(self) -> Maintenance: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def entitlement_cache(self) -> SnapshotCache | None: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def customer_changed(self, customer_id: UUID) -> None:
        """Say, inside the transaction, that answers about this customer may change."""
