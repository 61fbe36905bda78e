"""HTTP schemas of entitlement: ``XxxCreate``/``XxxUpdate`` in, ``XxxRead`` out."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from shared.escalation_policy import EscalationPolicy
from shared.events.policy import PolicyDocument

TierName = Literal["basic", "standard", "extended", "business", "premium"]
SeverityName = Literal["critical", "high", "medium"]
Language = Literal["ru", "en"]

# Bounds of every input, so that no request can make an event of more than a few
# hundred KB (the broker refuses large messages and the outbox relay would stall on one)
# and no date or number overflows the arithmetic or the database columns.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)
MAX_PRODUCTS = 100
MAX_PRODUCT_LENGTH = 200
MAX_TRAINED_SPECIALISTS = 10_000
MAX_RELEASE_NOTES = 20_000
MAX_OFFSET = 2**31 - 1


def _sane_date(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(
            f"date {value.isoformat()} is out of range; send a date from "
            f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
        )
    return value


SaneDate = Annotated[date, AfterValidator(_sane_date)]
"""A calendar date from 1900-01-01 to 2200-12-31."""


def _sane_instant(value: datetime) -> datetime:
    if not MIN_DATE.year <= value.year <= MAX_DATE.year:
        raise ValueError(
            f"instant {value.isoformat()} is out of range; send an instant from "
            f"{MIN_DATE.isoformat()}T00:00:00Z to {MAX_DATE.isoformat()}T23:59:59Z"
        )
    return value


SaneInstant = Annotated[datetime, AfterValidator(_sane_instant)]


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a working-hours time is local wall-clock time: drop the UTC offset")
    return value


# Opening hours and breaks are in the calendar's own time zone, never with an offset.
WallTime = Annotated[time, AfterValidator(_wall_clock)]
"""An instant in the years 1900 to 2200 (as written, whatever its offset)."""

Product = Annotated[str, Field(min_length=1, max_length=MAX_PRODUCT_LENGTH)]
Email = Annotated[EmailStr, Field(max_length=254)]


def _products(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    cleaned: list[str] = []
    for value in values:
        name = value.strip()
        if not name:
            raise ValueError("product names must not be blank")
        if name.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(name)
    return cleaned


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    trained_specialists: int = Field(default=0, ge=0, le=MAX_TRAINED_SPECIALISTS)
    warranty_until: SaneDate | None = None
    products: list[Product] = Field(default_factory=list, max_length=MAX_PRODUCTS)

    _clean = field_validator("products")(_products)


class CustomerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=300)
    trained_specialists: int | None = Field(default=None, ge=0, le=MAX_TRAINED_SPECIALISTS)
    warranty_until: SaneDate | None = None
    products: list[Product] | None = Field(default=None, max_length=MAX_PRODUCTS)

    _clean = field_validator("products")(_products)


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


class ScheduleIn(BaseModel):
    """A schedule for a contract's own policy; absent fields keep the rules' defaults."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["24x7", "8x5", "custom"]
    timezone: str | None = Field(default=None, min_length=1, max_length=100)
    opens: WallTime | None = None
    closes: WallTime | None = None
    breaks: list[tuple[WallTime, WallTime]] | None = Field(default=None, max_length=24)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] | None = Field(default=None, max_length=7)
    country: str | None = Field(default=None, max_length=10)


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


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    response: str | None = Field(max_length=50)
    resolution: str | None = Field(max_length=50)


class ContractPolicyIn(BaseModel):
    """Terms "determined by the support contract": other targets and/or other hours."""

    model_config = ConfigDict(extra="forbid")

    targets: dict[SeverityName, TargetIn] = Field(default_factory=dict)
    schedule: ScheduleIn | None = None
    # When the desk is warned, in per cent of a target's working time; the programme's
    # 50, 75, 90 when absent. Each strictly between 0 and 100.
    warning_percents: list[Annotated[int, Field(gt=0, lt=100)]] | None = Field(
        default=None, min_length=1, max_length=10
    )


class ContractCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: str = Field(min_length=1, max_length=50)
    starts_on: SaneDate
    ends_on: SaneDate
    dedicated_manager: DedicatedPerson | None = None
    dedicated_engineer: DedicatedPerson | None = None
    policy: ContractPolicyIn | None = None
    # The contract's own escalation policy (docs/escalation.md); default when absent.
    escalation_policy: EscalationPolicy | None = None
    shortened_pre_holidays: bool = False


class ContractUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ends_on: SaneDate | None = None
    dedicated_manager: DedicatedPerson | None = None
    dedicated_engineer: DedicatedPerson | None = None
    escalation_policy: EscalationPolicy | None = None


class ContractRead(BaseModel):
    id: UUID
    customer_id: UUID
    tier: TierName
    starts_on: date
    ends_on: date
    starts_at: datetime
    ends_at: datetime
    status: Literal["scheduled", "active", "ended"]
    dedicated_manager: DedicatedPerson | None
    dedicated_engineer: DedicatedPerson | None
    escalation_policy: dict[str, Any] | None = None
    policy_version: str
    shortened_pre_holidays: bool
    expiry_announced_at: datetime | None
    created_at: datetime


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    email: Email
    phone: str | None = Field(default=None, max_length=50)
    chat_id: str | None = Field(default=None, min_length=1, max_length=200)
    # The language notifications reach this contact in.
    language: Language = "ru"


class ContactUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=300)
    phone: str | None = Field(default=None, max_length=50)
    chat_id: str | None = Field(default=None, min_length=1, max_length=200)
    active: bool | None = None
    language: Language | None = None


class ContactRead(BaseModel):
    id: UUID
    customer_id: UUID
    name: str
    email: str
    phone: str | None
    chat_id: str | None
    active: bool
    language: Language = "ru"


class CalendarIn(BaseModel):
    """A customer's calendar overrides; the whole set replaces the previous version."""

    model_config = ConfigDict(extra="forbid")

    timezone: str | None = Field(default=None, max_length=100)
    opens: WallTime | None = None
    closes: WallTime | None = None
    breaks: list[tuple[WallTime, WallTime]] | None = Field(default=None, max_length=24)
    extra_days_off: list[SaneDate] = Field(default_factory=list, max_length=1000)
    extra_working_days: list[SaneDate] = Field(default_factory=list, max_length=1000)
    country: str | None = Field(default=None, max_length=10)


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


PolicyRead = PolicyDocument


class ReleaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=100)
    kind: Literal["release", "public_patch"]
    notes: str = Field(default="", max_length=MAX_RELEASE_NOTES)


class ReleaseRead(BaseModel):
    id: UUID
    product: str
    version: str
    kind: Literal["release", "public_patch"]
    notes: str
    customer_ids: list[UUID]
    published_at: datetime
