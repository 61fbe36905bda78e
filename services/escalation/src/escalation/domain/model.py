"""Escalation's records: the read models it keeps from events, its people, escalations, OLAs.

Plain frozen dataclasses: the repositories in ``adapters/`` build them from rows and the
fake unit of work of the unit tests keeps them in dictionaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from shared.events.escalations import Recipient

OlaStage = Literal["warning", "breach"]


@dataclass(frozen=True)
class TicketFacts:
    """What an event says of a ticket; the None fields leave the stored ones as they are."""

    customer_id: UUID | None = None
    registration_number: str | None = None
    tier: str | None = None
    severity: str | None = None
    status: str | None = None
    line: int | None = None
    assignee: str | None = None
    schedule: dict[str, Any] | None = None

    def known(self) -> dict[str, Any]:
        """The fields the event carries (the rest stay as stored)."""
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class TimerChange:
    """A timer's new state and due instant (``keep_due``: the event does not move it)."""

    state: str | None
    due_at: datetime | None = None
    keep_due: bool = False


@dataclass(frozen=True)
class DedicatedPerson:
    """A contract's dedicated engineer or manager: a staff reference or a named address."""

    staff_id: UUID | None = None
    name: str | None = None
    email: str | None = None
    language: str = "ru"

    @classmethod
    def of(cls, value: object) -> DedicatedPerson | None:
        """The person a contract document names (``{staff_id}`` or ``{name, email}``)."""
        if not isinstance(value, Mapping):
            return None  # the old free-text form: a name without an address is not told
        return cls(
            staff_id=UUID(str(value["staff_id"])) if value.get("staff_id") else None,
            name=value.get("name"),
            email=value.get("email") or None,
            language=value.get("language") or "ru",
        )


@dataclass(frozen=True)
class Contract:
    """A customer's contract as entitlement announced it (the documents kept as sent)."""

    contract_id: UUID
    customer_id: UUID
    tier: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    dedicated_engineer: Any = None  # the JSON document; read with DedicatedPerson.of
    dedicated_manager: Any = None
    escalation_policy: dict[str, Any] | None = None

    @classmethod
    def of(cls, document: Mapping[str, Any], customer_id: UUID) -> Contract:
        """The contract a ``contract.changed`` document describes (it must carry an ``id``)."""
        return cls(
            contract_id=UUID(str(document["id"])),
            customer_id=customer_id,
            tier=document.get("tier"),
            starts_at=_instant(document.get("starts_at")),
            ends_at=_instant(document.get("ends_at")),
            dedicated_engineer=document.get("dedicated_engineer"),
            dedicated_manager=document.get("dedicated_manager"),
            escalation_policy=document.get("escalation_policy"),
        )

    def in_force(self, at: datetime) -> bool:
        """Whether the contract covers instant ``at``."""
        return (self.starts_at is None or self.starts_at <= at) and (
            self.ends_at is None or self.ends_at > at
        )


@dataclass(frozen=True)
class Contact:
    """A customer's contact with its addresses."""

    contact_id: UUID
    customer_id: UUID
    name: str | None = None
    email: str | None = None
    chat_id: str | None = None
    phone: str | None = None
    language: str = "ru"
    active: bool = True

    @classmethod
    def of(cls, document: Mapping[str, Any], customer_id: UUID) -> Contact:
        """The contact a ``contact.changed`` document describes (it must carry an ``id``)."""
        return cls(
            contact_id=UUID(str(document["id"])),
            customer_id=customer_id,
            name=document.get("name"),
            email=document.get("email"),
            chat_id=document.get("chat_id"),
            phone=document.get("phone"),
            language=document.get("language") or "ru",
            active=bool(document.get("active", True)),
        )

    def recipient(self) -> Recipient:
        """The contact as someone to tell."""
        return Recipient(
            role="contacts",
            name=self.name,
            email=self.email,
            chat_id=self.chat_id,
            phone=self.phone,
            language=self.language,
            contact_id=self.contact_id,
        )


@dataclass(frozen=True)
class StaffMember:
    """A member of the vendor's support staff."""

    id: UUID
    name: str
    email: str
    line: int
    chat_id: str | None = None
    phone: str | None = None
    language: str = "ru"
    role: str = "engineer"
    active: bool = True
    # Signs in to the desk as an admin (the gateway maps it; docs/web.md).
    admin: bool = False

    def recipient(self, role: str) -> Recipient:
        """The staff member as someone to tell in ``role``."""
        return Recipient(
            role=role,
            name=self.name,
            email=self.email,
            chat_id=self.chat_id,
            phone=self.phone,
            language=self.language,
            staff_id=self.id,
        )


@dataclass(frozen=True)
class Shift:
    """A staff member on duty for a line over an interval."""

    id: UUID
    staff_id: UUID
    staff_name: str
    line: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class StoredPolicy:
    """A version of a contract's own escalation policy (``contract_id`` None: the default)."""

    version: str
    contract_id: UUID | None
    document: dict[str, Any]
    default: bool = False


@dataclass(frozen=True)
class Escalation:
    """One stored decision: who was told, which line, and whether someone took it."""

    id: UUID
    ticket_id: UUID
    customer_id: UUID | None
    trigger: str
    timer: str | None
    percent: int | None
    from_line: int
    to_line: int | None
    out_of_hours: bool
    assign_to: UUID | None
    recipients: list[dict[str, Any]]
    reason: str | None
    policy_version: str | None
    raised_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None

    @property
    def line(self) -> int:
        """The line that must act on it."""
        return self.to_line or self.from_line


@dataclass(frozen=True)
class OlaTarget:
    """A support line's own response target for one ticket."""

    id: UUID
    ticket_id: UUID
    line: int
    escalation_id: UUID | None
    started_at: datetime
    warning_at: datetime
    warning_percent: int
    due_at: datetime
    warned_at: datetime | None = None
    breached_at: datetime | None = None
    met_at: datetime | None = None


def _instant(value: object) -> datetime | None:
    """An instant as a document writes it (ISO 8601 text), or None."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
