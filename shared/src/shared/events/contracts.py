"""Events owned by entitlement, on ``support.contracts.v1`` keyed by customer id."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from shared.events.base import EventData
from shared.events.topics import CONTRACTS


class ContractsEventData(EventData):
    """Fields every entitlement event carries."""

    TOPIC: ClassVar[str] = CONTRACTS

    customer_id: UUID | None = None


class CustomerChanged(ContractsEventData):
    TYPE: ClassVar[str] = "customer.changed"
    change: str  # created | updated
    customer: dict[str, Any]


class ContractChanged(ContractsEventData):
    TYPE: ClassVar[str] = "contract.changed"
    change: str  # created | updated | expired
    contract: dict[str, Any]


class ContactChanged(ContractsEventData):
    TYPE: ClassVar[str] = "contact.changed"
    change: str  # created | updated | deactivated
    contact: dict[str, Any]


class CalendarChanged(ContractsEventData):
    TYPE: ClassVar[str] = "calendar.changed"
    calendar: dict[str, Any]


class ReleasePublished(ContractsEventData):
    TYPE: ClassVar[str] = "release.published"
    release: dict[str, Any]
    customer_ids: list[UUID] = []
