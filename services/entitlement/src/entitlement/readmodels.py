"""Read models of entitlement: what its use cases return, its API answers and its events carry.

One shape per resource, defined once: the events promise the resource "as the service's
HTTP API reads it" (``shared.events.contracts``), so the API's answer and the event's
payload are the same model. Nothing here knows HTTP.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, model_validator

from shared.events.policy import PolicyDocument

TierName = Literal["basic", "standard", "extended", "business", "premium"]
SeverityName = Literal["critical", "high", "medium"]
Language = Literal["ru", "en"]
Email = Annotated[EmailStr, Field(max_length=254)]
ContractStatus = Literal["scheduled", "active", "ended"]


def _person_from_text(value: Any) -> Any:
    """The old free-text form: a plain name stays accepted and reads back as ``{name}``."""
    if isinstance(value, str):
        if not 1 <= len(value) <= 300:
            raise ValueError("a name has 1 to 300 characters")
        return {"name": value}
    return value


class Person(BaseModel):
    """A contract's dedicated person: a staff reference, or a name with an address."""

    model_config = ConfigDict(extra="forbid")

    staff_id: UUID | None = None
    name: str | None = Field(default=None, min_length=1, max_length=300)
    email: Email | None = None
    language: Literal["ru", "en"] | None = None

    @model_validator(mode="after")
    def _someone(self) -> Person:
        if self.staff_id is None and self.name is None and self.email is None:
            raise ValueError("name a staff_id, or a name and an email")
        return self


DedicatedPerson = Annotated[Person, BeforeValidator(_person_from_text)]


class CustomerRead(BaseModel):
    id: UUID
    name: str
    trained_specialists: int
    warranty_until: date | None
    products: list[str]
    timezone: str
    calendar_version: str
    tier: TierName | None = None  # effective tier now (lists and reads)
    created_at: datetime
    updated_at: datetime


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class ContractRead(BaseModel):
    id: UUID
    customer_id: UUID
    tier: TierName
    starts_on: date
    ends_on: date
    starts_at: datetime
    ends_at: datetime
    status: ContractStatus
    dedicated_manager: DedicatedPerson | None
    dedicated_engineer: DedicatedPerson | None
    escalation_policy: dict[str, Any] | None = None
    alert_severity_map: dict[str, str] | None = None
    alert_severity_label: str | None = None
    policy_version: str
    shortened_pre_holidays: bool
    expiry_announced_at: datetime | None
    created_at: datetime


class ContactRead(BaseModel):
    id: UUID
    customer_id: UUID
    name: str
    email: str
    phone: str | None
    chat_id: str | None
    active: bool
    language: Language = "ru"


class CalendarRead(BaseModel):
    version: str
    customer_id: UUID | None
    seq: int
    overrides: dict[str, Any]
    timezone: str
    schedules: dict[str, dict[str, Any]]  # tier -> schedule, as sla-clock runs it
    created_at: datetime | None


class EntitlementRead(BaseModel):
    customer_id: UUID
    customer_name: str
    contact_id: UUID | None = None
    at: datetime
    tier: TierName
    priority: int
    reason: str
    contract_id: UUID | None
    contract_ends_on: date | None
    policy_version: str
    policy: PolicyDocument
    calendar_version: str
    timezone: str
    schedule: dict[str, Any]
    targets: dict[str, dict[str, str | None]]
    features: dict[str, bool]
    max_open_tickets: int | None
    dedicated_manager: DedicatedPerson | None
    dedicated_engineer: DedicatedPerson | None
    customer_obligations: list[str]
    products: list[str]
    # The effective contract's alert mapping (monitoring alerts); None: the built-in one.
    alert_severity_map: dict[str, str] | None = None
    alert_severity_label: str | None = None


class TierRead(BaseModel):
    tier: TierName
    priority: int
    period: str
    price: str
    needs_contract: bool
    features: dict[str, bool]
    critical_incidents_schedule: str | None
    max_open_tickets: int | None
    schedule: dict[str, Any]
    targets: dict[str, dict[str, str | None]]
    customer_obligations: list[str]


class ReleaseRead(BaseModel):
    id: UUID
    product: str
    version: str
    kind: Literal["release", "public_patch"]
    notes: str
    customer_ids: list[UUID]
    published_at: datetime


PolicyRead = PolicyDocument
"""A policy version as tickets registered with it were given it."""
