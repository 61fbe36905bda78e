"""Events owned by escalation, on ``support.escalations.v1`` keyed by ticket id."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.base import EventData
from shared.events.topics import ESCALATIONS


class EscalationRaised(EventData):
    """Someone must act on a ticket: a warning or breach reached an escalation level."""

    TOPIC: ClassVar[str] = ESCALATIONS
    TYPE: ClassVar[str] = "escalation.raised"

    ticket_id: UUID
    level: int
    trigger: str  # sla.timer.warning | sla.timer.breached | ...
    timer: str | None = None
    notify: list[str] = Field(default_factory=list)
    line: int | None = None
