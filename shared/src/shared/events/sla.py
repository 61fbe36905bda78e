"""Events owned by sla-clock, on ``support.sla.v1`` keyed by ticket id."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from shared.events.base import EventData
from shared.events.topics import SLA


class TimerEventData(EventData):
    """Fields every timer event carries."""

    TOPIC: ClassVar[str] = SLA

    ticket_id: UUID
    timer: str  # response | resolution
    timer_id: UUID | None = None
    customer_id: UUID | None = None
    tier: str | None = None
    severity: str | None = None


class TimerScheduled(TimerEventData):
    """A timer runs toward ``due_at``; warnings will fire at ``warning_at``."""

    TYPE: ClassVar[str] = "sla.timer.scheduled"

    due_at: datetime | None
    warning_at: list[datetime] = []
    target: str | None = None
    started_at: datetime


class TimerPaused(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.paused"
    paused_at: datetime


class TimerResumed(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.resumed"
    resumed_at: datetime
    due_at: datetime | None


class TimerStopped(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.stopped"
    stopped_at: datetime
    reason: str


class TimerMet(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.met"
    met_at: datetime
    due_at: datetime | None


class TimerRecomputed(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.recomputed"
    due_at: datetime | None
    previous_due_at: datetime | None
    warning_at: list[datetime] = []


class TimerWarning(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.warning"
    due_at: datetime
    percent: int
    fire_at: datetime
    late: bool = False


class TimerBreached(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.breached"
    due_at: datetime
    late: bool = False
