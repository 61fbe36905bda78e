"""Commands of entitlement: validated requests its use cases carry out.

They are pydantic models so that one declaration both bounds the input (the API
answers 422 with problem+json) and types the use case's argument; nothing here knows
HTTP, so use cases and their unit tests import them without the web layer.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from entitlement.readmodels import DedicatedPerson, Email, Language, SeverityName
from shared.escalation_policy import EscalationPolicy
from shared.events.policy import CriticalResolutionStart
from shared.events.vocabulary import Severity

# Bounds of every input, so that no request can make an event of more than a few
# hundred KB (the broker refuses large messages and the outbox relay would stall on one)
# and no date or number overflows the arithmetic or the database columns.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)
MAX_PRODUCTS = 100
MAX_PRODUCT_LENGTH = 200
MAX_TRAINED_SPECIALISTS = 10_000
MAX_RELEASE_NOTES = 20_000


def _sane_date(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(
            f"date {value.isoformat()} is out of range; send a date from "
            f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
        )
    return value


SaneDate = Annotated[date, AfterValidator(_sane_date)]
"""A calendar date from 1900-01-01 to 2200-12-31."""


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a working-hours time is local wall-clock time: drop the UTC offset")
    return value


# Opening hours and breaks are in the calendar's own time zone, never with an offset.
WallTime = Annotated[time, AfterValidator(_wall_clock)]
"""A wall-clock time of day in the calendar's own zone."""

Product = Annotated[str, Field(min_length=1, max_length=MAX_PRODUCT_LENGTH)]


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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Acme", "warranty_until": "2027-12-31"}]},
    )

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
    # Where a critical ticket's resolution clock starts: at registration (the default) or
    # at the customer's confirmation by phone (docs/premium-services.md, section 5).
    critical_resolution_starts: CriticalResolutionStart | None = None


# A Prometheus label name, and a map of label values (compared lower-case) to severities.
AlertLabel = Annotated[str, Field(pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,99}$")]
AlertSeverityMap = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=100)], Severity],
    Field(min_length=1, max_length=50),
]


class ContractCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"tier": "business", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}]
        },
    )

    tier: str = Field(min_length=1, max_length=50)
    starts_on: SaneDate
    ends_on: SaneDate
    dedicated_manager: DedicatedPerson | None = None
    dedicated_engineer: DedicatedPerson | None = None
    policy: ContractPolicyIn | None = None
    # The contract's own escalation policy (docs/escalation.md); default when absent.
    escalation_policy: EscalationPolicy | None = None
    shortened_pre_holidays: bool = False
    # How a monitoring alert's severity label maps to a ticket's severity (premium;
    # docs/premium-services.md, section 2). Absent: the built-in mapping.
    alert_severity_map: AlertSeverityMap | None = None
    alert_severity_label: AlertLabel | None = None


class ContractUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ends_on: SaneDate | None = None
    dedicated_manager: DedicatedPerson | None = None
    dedicated_engineer: DedicatedPerson | None = None
    escalation_policy: EscalationPolicy | None = None
    alert_severity_map: AlertSeverityMap | None = None
    alert_severity_label: AlertLabel | None = None


class ContactCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "Ivan Petrov", "email": "ivan@acme.example", "language": "ru"}]
        },
    )

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


class ReleaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=100)
    kind: Literal["release", "public_patch"]
    notes: str = Field(default="", max_length=MAX_RELEASE_NOTES)
