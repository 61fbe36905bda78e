"""Events owned by sla-clock, on ``support.sla.v1`` keyed by ticket id.

Every ticket event sla-clock consumes is answered by the timer events it causes
(scheduled, paused, resumed, met, stopped, recomputed), or, when it moved no timer,
by one ``sla.timer.unchanged`` per timer carrying where it stands; warnings and
breaches are emitted by its scheduler when their instants come. ``timer_id`` is stable per
(ticket, timer): a redelivered or replayed ticket event never mints a new one.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.base import EventData
from shared.events.topics import SLA
from shared.events.vocabulary import Severity, Tier


class TimerEventData(EventData):
    """Fields every timer event carries."""

    TOPIC: ClassVar[str] = SLA

    ticket_id: UUID
    timer: str  # response | resolution
    timer_id: UUID | None = None
    customer_id: UUID | None = None
    tier: Tier | None = None
    severity: Severity | None = None
    # Added within v1 (optional): the timer's state after the event (running | paused |
    # met | stopped) and the policy version its target comes from.
    state: str | None = None
    policy_version: str | None = None


class TimerScheduled(TimerEventData):
    """A timer runs toward ``due_at``; warnings will fire at ``warning_at``."""

    TYPE: ClassVar[str] = "sla.timer.scheduled"

    due_at: datetime | None
    warning_at: list[datetime] = Field(default_factory=list)
    target: str | None = None
    started_at: datetime


class TimerPaused(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.paused"
    paused_at: datetime
    reason: str | None = None
    previous_due_at: datetime | None = None


class TimerResumed(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.resumed"
    resumed_at: datetime
    due_at: datetime | None
    warning_at: list[datetime] = Field(default_factory=list)
    target: str | None = None
    reason: str | None = None
    paused_seconds: float | None = None  # working time of all pauses so far


class TimerStopped(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.stopped"
    stopped_at: datetime
    reason: str
    due_at: datetime | None = None
    # Added within v1 (optional): how compliance counts the stop. ``excluded`` for a
    # ticket closed as not reproducible, not a product issue or out of scope (counted
    # neither met nor breached); ``breached`` if stopped after the deadline; else ``stopped``.
    outcome: str | None = None


class TimerMet(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.met"
    met_at: datetime
    due_at: datetime | None
    reason: str | None = None
    on_time: bool | None = None
    working_seconds: float | None = None  # working time counted until met


class TimerRecomputed(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.recomputed"
    due_at: datetime | None
    previous_due_at: datetime | None
    warning_at: list[datetime] = Field(default_factory=list)
    target: str | None = None
    reason: str | None = None
    recomputed_at: datetime | None = None


class TimerUnchanged(TimerEventData):
    """A ticket event moved no timer; this timer stands as given (one per timer)."""

    TYPE: ClassVar[str] = "sla.timer.unchanged"
    due_at: datetime | None = None  # None while paused, finished without one, or no target
    warning_at: list[datetime] = Field(default_factory=list)
    target: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None  # when it was met or stopped
    cause: str | None = None  # the ticket event type answered
    as_of: datetime | None = None  # the instant of the answered ticket event


class TimerWarning(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.warning"
    due_at: datetime
    percent: int
    fire_at: datetime
    late: bool = False
    target: str | None = None


class TimerBreached(TimerEventData):
    TYPE: ClassVar[str] = "sla.timer.breached"
    due_at: datetime
    late: bool = False
    target: str | None = None
    fired_at: datetime | None = None


def timer_view(event: TimerEventData) -> dict[str, object] | None:
    """What one timer event changes in a consumer's copy of its timer; None: nothing.

    The one projection of timer events that intake's SLA summary and escalation's
    timer table both keep. Keys are among ``state``, ``due_at``, ``target``,
    ``paused_at``, ``met_at``, ``last_warning_percent``, ``breached`` and
    ``breached_at``; a key that is absent is left as it was. The state is the one the
    event carries (sla-clock's word) and, for events published before it carried one,
    the one its type implies; a running timer without a due instant is ``no_target``.
    Warnings and breaches mark an instant, not a move, so they leave the state alone.
    """
    view: dict[str, object]
    if isinstance(event, TimerScheduled):
        view = {"state": "running", "due_at": event.due_at, "target": event.target}
        view["paused_at"] = None
    elif isinstance(event, TimerPaused):
        view = {"state": "paused", "paused_at": event.paused_at}
    elif isinstance(event, TimerResumed):
        view = {"state": "running", "due_at": event.due_at, "paused_at": None}
    elif isinstance(event, TimerStopped):
        view = {"state": "stopped"}
    elif isinstance(event, TimerMet):
        view = {"state": "met", "met_at": event.met_at}
    elif isinstance(event, TimerRecomputed):
        view = {"due_at": event.due_at, "target": event.target}  # a tier change moves both
    elif isinstance(event, TimerWarning):
        return {"last_warning_percent": event.percent}
    elif isinstance(event, TimerBreached):
        return {"breached": True, "breached_at": event.due_at}
    else:
        return None
    if event.state:
        view["state"] = event.state
    if view.get("state") == "running" and "due_at" in view and view["due_at"] is None:
        view["state"] = "no_target"
    return view
