"""The SLA state of one ticket: its two timers, the snapshot and the facts it folds.

These are values only; :mod:`sla_clock.domain.timers` moves them (``step``/``fold``)
and :mod:`sla_clock.domain.measures` reads them (alarms, time used, verdicts). Each
round-trips through ``to_dict``/``from_dict``: the live state is stored as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from shared.events.policy import CriticalResolutionStart, PolicyDocument
from shared.events.tickets import TicketEventData
from shared.events.vocabulary import Severity, TicketStatus, Tier
from shared.worktime.schedule import Schedule
from shared.worktime.worktime import deadline, to_utc
from sla_clock.domain.targets import Policy, Target

__all__ = [
    "Alarm",
    "ChangeKind",
    "Pause",
    "TicketClock",
    "TicketFact",
    "Timer",
    "TimerChange",
    "TimerKind",
    "TimerState",
    "iso",
    "parse_instant",
    "policy_of",
    "running_due",
    "timer_id_for",
]

TIMER_NAMESPACE = UUID("6f1d1f0e-6c55-4b6e-9d8a-5a1c2b3d4e5f")
"""Namespace of the timers' UUIDv5 ids: one stable id per (ticket, timer)."""


class TimerKind(StrEnum):
    """Name the two timers of a ticket."""

    response = "response"
    resolution = "resolution"


class TimerState(StrEnum):
    """Name where a timer stands."""

    running = "running"
    paused = "paused"
    met = "met"
    stopped = "stopped"
    pending = "pending"  # not started: waits for the phone confirmation


class ChangeKind(StrEnum):
    """Name what happened to a timer; one ``sla.timer.<kind>`` event each."""

    scheduled = "scheduled"
    paused = "paused"
    resumed = "resumed"
    met = "met"
    stopped = "stopped"
    recomputed = "recomputed"
    unchanged = "unchanged"  # the answer to a ticket event that moved no timer


def timer_id_for(ticket_id: UUID, kind: TimerKind | str) -> UUID:
    """Return the stable id of one ticket's timer (the same on every replay)."""
    return uuid5(TIMER_NAMESPACE, f"{ticket_id}/{kind}")


def parse_instant(value: Any, name: str) -> datetime:
    if isinstance(value, datetime):
        return to_utc(value, name)
    if isinstance(value, str):
        return to_utc(datetime.fromisoformat(value), name)
    raise ValueError(f"{name} must be an ISO 8601 datetime, got {value!r}")


def iso(value: datetime | None) -> str | None:
    """Return an instant as ISO 8601 text, None as None."""
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class TicketFact:
    """One consumed ticket event, typed: a type this build does not know keeps the
    fields every ticket event carries (:class:`TicketEventData`)."""

    event_id: UUID
    type: str
    occurred_at: datetime
    event: TicketEventData


@dataclass(frozen=True)
class Pause:
    """An interval in which a timer did not count: ``end`` None while it lasts."""

    start: datetime
    end: datetime | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": iso(self.start), "end": iso(self.end), "reason": self.reason}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pause:
        end = data.get("end")
        return cls(
            start=parse_instant(data["start"], "start"),
            end=None if end is None else parse_instant(end, "end"),
            reason=str(data["reason"]),
        )


@dataclass(frozen=True)
class Timer:
    """One timer of a ticket; ``due_at`` is None while paused or without a target."""

    kind: TimerKind
    timer_id: UUID
    state: TimerState
    target: Target | None
    started_at: datetime
    due_at: datetime | None
    pauses: tuple[Pause, ...] = ()
    ended_at: datetime | None = None  # when it was met or stopped
    reason: str | None = None

    @property
    def is_open(self) -> bool:
        """Tell whether the timer may still change (running, paused, or not yet started)."""
        return self.state in (TimerState.running, TimerState.paused, TimerState.pending)

    def closed_pauses(self) -> list[tuple[datetime, datetime]]:
        """Return the finished pauses as intervals for the working-time engine."""
        return [(p.start, p.end) for p in self.pauses if p.end is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "timer_id": str(self.timer_id),
            "state": self.state.value,
            "target": None if self.target is None else str(self.target),
            "started_at": iso(self.started_at),
            "due_at": iso(self.due_at),
            "pauses": [p.to_dict() for p in self.pauses],
            "ended_at": iso(self.ended_at),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Timer:
        due, ended, target = data.get("due_at"), data.get("ended_at"), data.get("target")
        return cls(
            kind=TimerKind(data["kind"]),
            timer_id=UUID(str(data["timer_id"])),
            state=TimerState(data["state"]),
            target=None if target is None else Target.parse(target),
            started_at=parse_instant(data["started_at"], "started_at"),
            due_at=None if due is None else parse_instant(due, "due_at"),
            pauses=tuple(Pause.from_dict(p) for p in data.get("pauses", ())),
            ended_at=None if ended is None else parse_instant(ended, "ended_at"),
            reason=data.get("reason"),
        )


@lru_cache(maxsize=1024)
def _policy_from_json(text: str) -> Policy:
    return Policy.from_dict(json.loads(text))


def policy_of(doc: PolicyDocument | Mapping[str, Any]) -> Policy:
    """Return the engine's form of a policy document (parsed once per distinct content)."""
    if isinstance(doc, PolicyDocument):
        return _policy_from_json(doc.model_dump_json())
    return _policy_from_json(json.dumps(doc, sort_keys=True))


@dataclass(frozen=True)
class TicketClock:
    """The SLA state of one ticket: what it was registered with and its two timers."""

    ticket_id: UUID
    customer_id: UUID | None
    tier: Tier
    severity: Severity  # served severity (basic is capped at medium)
    requested_severity: Severity
    severity_capped: bool
    policy: Policy
    policy_version: str | None
    calendar_version: str | None
    received_at: datetime
    status: TicketStatus
    response: Timer
    resolution: Timer
    last_at: datetime
    hardware_fault: str | None = None
    events: int = 1
    confirmed_at: datetime | None = None  # the customer's phone confirmation, once recorded

    @property
    def awaits_confirmation(self) -> bool:
        """Tell whether the resolution clock waits for the phone confirmation to start."""
        return (
            self.policy.critical_resolution_starts is CriticalResolutionStart.confirmation
            and self.severity is Severity.critical
            and self.confirmed_at is None
        )

    @property
    def schedule(self) -> Schedule:
        """Return the schedule the ticket's clocks run on."""
        return self.policy.schedule_for(self.tier)

    @property
    def timers(self) -> tuple[Timer, Timer]:
        return (self.response, self.resolution)

    def timer(self, kind: TimerKind | str) -> Timer:
        return self.response if TimerKind(kind) is TimerKind.response else self.resolution

    def with_timer(self, timer: Timer) -> TicketClock:
        if timer.kind is TimerKind.response:
            return replace(self, response=timer)
        return replace(self, resolution=timer)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket_id": str(self.ticket_id),
            "customer_id": None if self.customer_id is None else str(self.customer_id),
            "tier": self.tier.value,
            "severity": self.severity.value,
            "requested_severity": self.requested_severity.value,
            "severity_capped": self.severity_capped,
            "policy": self.policy.to_dict(),
            "policy_version": self.policy_version,
            "calendar_version": self.calendar_version,
            "received_at": iso(self.received_at),
            "status": self.status.value,
            "response": self.response.to_dict(),
            "resolution": self.resolution.to_dict(),
            "last_at": iso(self.last_at),
            "hardware_fault": self.hardware_fault,
            "events": self.events,
            "confirmed_at": iso(self.confirmed_at),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TicketClock:
        customer, confirmed = data.get("customer_id"), data.get("confirmed_at")
        return cls(
            ticket_id=UUID(str(data["ticket_id"])),
            customer_id=None if customer is None else UUID(str(customer)),
            tier=Tier(data["tier"]),
            severity=Severity(data["severity"]),
            requested_severity=Severity(data["requested_severity"]),
            severity_capped=bool(data["severity_capped"]),
            policy=policy_of(data["policy"]),
            policy_version=data.get("policy_version"),
            calendar_version=data.get("calendar_version"),
            received_at=parse_instant(data["received_at"], "received_at"),
            status=TicketStatus(data["status"]),
            response=Timer.from_dict(data["response"]),
            resolution=Timer.from_dict(data["resolution"]),
            last_at=parse_instant(data["last_at"], "last_at"),
            hardware_fault=data.get("hardware_fault"),
            events=int(data.get("events", 1)),
            confirmed_at=None if confirmed is None else parse_instant(confirmed, "confirmed_at"),
        )


@dataclass(frozen=True)
class TimerChange:
    """What one event did to one timer: becomes one ``sla.timer.<kind>`` event."""

    kind: ChangeKind
    timer: Timer
    at: datetime
    previous_due_at: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Alarm:
    """An instant at which the scheduler must announce a warning or a breach."""

    kind: str  # warning | breach
    percent: int
    fire_at: datetime


def running_due(clock: TicketClock, timer: Timer) -> datetime | None:
    """Compute the deadline of a running timer from its start and its finished pauses."""
    if timer.target is None or timer.state is not TimerState.running:
        return None
    return deadline(
        clock.schedule,
        timer.started_at,
        target_duration=timer.target.duration(clock.schedule),
        pauses=timer.closed_pauses(),
    )
