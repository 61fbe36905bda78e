"""Events owned by escalation, on ``support.escalations.v1`` keyed by ticket id.

Escalation decides, notification delivers: an ``escalation.raised`` names the
people to tell with their addresses (``recipients``), so notification needs no
lookup of its own to reach the engineer on duty at 03:00.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.base import EventData
from shared.events.topics import ESCALATIONS
from shared.events.vocabulary import Severity, SupportLine, Tier


class Recipient(BaseModel):
    """A person to tell: a staff member or a customer's contact, with an address."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # assignee | line_lead | dedicated_engineer | dedicated_manager | on_duty | contact
    role: str
    name: str | None = None
    email: str | None = None
    chat_id: str | None = None
    phone: str | None = None
    language: str = "ru"
    staff_id: UUID | None = None
    contact_id: UUID | None = None


class EscalationEventData(EventData):
    """Fields every escalation event carries."""

    TOPIC: ClassVar[str] = ESCALATIONS

    ticket_id: UUID


class EscalationRaised(EscalationEventData):
    """Someone must act on a ticket: a warning or breach reached an escalation level."""

    TYPE: ClassVar[str] = "escalation.raised"

    level: int
    trigger: str  # sla.timer.warning | sla.timer.breached | ola.breached | manual ...
    timer: str | None = None
    notify: list[str] = Field(default_factory=list)
    line: SupportLine | None = None
    # Added within v1 (optional): the decision in full.
    escalation_id: UUID | None = None
    customer_id: UUID | None = None
    registration_number: str | None = None
    severity: Severity | None = None
    tier: Tier | None = None
    from_line: SupportLine | None = None
    to_line: SupportLine | None = None
    percent: int | None = None
    out_of_hours: bool | None = None
    assign_to: UUID | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    reason: str | None = None
    raised_at: datetime | None = None
    # Added within v1 (optional): working minutes left on the timer when a warning raised
    # it, so people read "1 h 05 min of working time left" rather than an instant.
    remaining_minutes: int | None = None


class EscalationAcknowledged(EscalationEventData):
    """A person took responsibility for an escalation."""

    TYPE: ClassVar[str] = "escalation.acknowledged"

    escalation_id: UUID
    acknowledged_by: str
    acknowledged_at: datetime


class OlaEventData(EscalationEventData):
    """An internal (operational level) target of one support line."""

    line: SupportLine
    escalation_id: UUID | None = None
    due_at: datetime | None = None
    recipients: list[Recipient] = Field(default_factory=list)


class OlaWarning(OlaEventData):
    """A line's own response target is close."""

    TYPE: ClassVar[str] = "ola.warning"

    percent: int | None = None


class OlaBreached(OlaEventData):
    """A line did not respond within its own target."""

    TYPE: ClassVar[str] = "ola.breached"
