"""Commands and read models of maintenance plans (premium): what the routes take and answer.

Kept apart from ``commands``/``readmodels`` so the plan's shapes sit in one small module;
nothing here knows HTTP, and the rules themselves are in ``domain.maintenance``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from entitlement.domain.maintenance import (
    Frequency,
    MaintenancePlan,
    OccurrenceOutcome,
    OutsideWindow,
    Override,
    WindowKind,
)

MAX_NEXT = 50


class AgreedWindowIn(BaseModel):
    """Weekdays (0 = Monday) and a local time range; 22:00-02:00 runs past midnight."""

    model_config = ConfigDict(extra="forbid")

    weekdays: list[int] = Field(min_length=1, max_length=7)
    starts: time
    ends: time


class MaintenancePlanIn(BaseModel):
    """A plan as created or replaced (PUT): every field, defaults as in the rules."""

    model_config = ConfigDict(extra="forbid")

    what: str = Field(min_length=1, max_length=500)
    frequency: Frequency
    rrule: str = Field(min_length=1, max_length=500)
    timezone: str | None = Field(default=None, max_length=64)  # default: the customer's
    starts_at: datetime  # local wall-clock time, no offset
    lead: timedelta = timedelta(days=1)
    window: WindowKind = WindowKind.working_time
    agreed_window: AgreedWindowIn | None = None
    outside_window: OutsideWindow = OutsideWindow.move
    contact_id: UUID | None = None  # whom the tickets are for; default: first active contact


class SkipIn(BaseModel):
    """An agent's skip of one occurrence."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class MoveIn(BaseModel):
    """An agent's move of one occurrence (within 31 days of the rule's instant)."""

    model_config = ConfigDict(extra="forbid")

    to: AwareDatetime
    reason: str = Field(min_length=1, max_length=500)


class OccurrenceRead(BaseModel):
    """One coming occurrence: where the rule put it, where it happens, and why."""

    key: str
    occurrence_id: UUID
    outcome: OccurrenceOutcome
    original_at: datetime
    scheduled_at: datetime | None
    opens_at: datetime
    reason: str | None
    decided_by: str | None = None  # the agent of an override; None: the plan's rule
    announced: bool = False  # its events are published (the ticket is asked for)


class MaintenancePlanRead(BaseModel):
    """A plan with its next occurrences."""

    id: UUID
    customer_id: UUID
    contract_id: UUID | None
    contact_id: UUID | None
    what: str
    frequency: Frequency
    rrule: str
    timezone: str
    starts_at: datetime
    lead: timedelta
    window: WindowKind
    agreed_window: AgreedWindowIn | None
    outside_window: OutsideWindow
    created_at: datetime
    updated_at: datetime
    next_occurrences: list[OccurrenceRead] = Field(default_factory=list)


class StoredPlan(BaseModel):
    """A plan as stored: the domain plan's fields plus what the platform keeps beside it."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    plan: MaintenancePlan
    contract_id: UUID | None
    contact_id: UUID | None
    due_until: datetime
    created_at: datetime
    updated_at: datetime


class StoredOverride(BaseModel):
    """An agent's override as stored, with who decided."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    override: Override
    decided_by: str | None
