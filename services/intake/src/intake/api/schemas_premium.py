"""Bodies and answers of the premium services' routes (on-site visits, remote access, phone)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from intake.api.schemas import ActorIn
from intake.domain.visits import VisitStep


class RemoteAccessSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    available: bool
    actor: ActorIn | None = None


class PhoneConfirmationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirmed_by: str = Field(min_length=1, max_length=200)
    confirmed_at: AwareDatetime


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: str = Field(max_length=2000)
    wished_date: date
    within_ring_road: bool = False
    actor: ActorIn | None = None


class VisitStepCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: VisitStep
    scheduled_at: AwareDatetime | None = None
    engineer: str | None = Field(default=None, max_length=200)
    time_spent_minutes: int | None = Field(default=None, ge=0, le=100_000)
    reason: str | None = Field(default=None, max_length=2000)
    actor: ActorIn | None = None

    @property
    def time_spent(self) -> timedelta | None:
        """The time spent as the workflow checks it."""
        if self.time_spent_minutes is None:
            return None
        return timedelta(minutes=self.time_spent_minutes)


class VisitRead(BaseModel):
    visit_id: UUID
    ticket_id: UUID
    address: str
    wished_date: date
    status: str
    scheduled_at: datetime | None
    engineer: str | None
    time_spent_minutes: int | None
    done_at: datetime | None
    cancel_reason: str | None
    allowed_steps: list[str]


class AlertDecisionRead(BaseModel):
    fingerprint: str
    action: str
    ticket_id: UUID | None
    registration_number: str | None
    severity: str | None
    reason: str | None


class AlertmanagerResult(BaseModel):
    decisions: list[AlertDecisionRead]
