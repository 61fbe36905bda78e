"""Per-ticket SLA timers as a pure fold over the ticket's events (rules, section 4).

A ticket has two timers, ``response`` and ``resolution``. Their state is a pure function
of the ticket's events (``ticket.created`` carries the tier, severity and the policy the
ticket was registered with), so the service can rebuild any ticket's timers from its
stored history: :func:`fold` is ``reduce(step, facts, None)``, and the live path applies
:func:`step` to the stored snapshot one event at a time. The two must agree, and the
snapshot round-trips through :meth:`TicketClock.to_dict` / :meth:`TicketClock.from_dict`.

State machine of one timer::

    running ──pause──▶ paused ──resume──▶ running        (resolution only)
    running|paused ──met──▶ met ──reopen──▶ running       (resolution only)
    running|paused ──stop──▶ stopped                      (closed, rejected, hardware fault)
    pending ──phone confirmation──▶ running               (resolution only, see below)

Under a policy whose ``critical_resolution_starts`` is ``confirmation`` a critical
ticket's resolution timer is ``pending`` from registration: it has no deadline, counts
no working time and raises no alarm until ``ticket.phone_confirmation_recorded``
starts it at ``confirmed_at``. The SLA view shows it as ``pending`` (outcome
``pending``, ``due_at`` null, ``started_at`` the registration instant until then). A
pending timer starts from registration instead if the ticket stops needing the
confirmation (its severity falls below critical, or a new policy starts at
registration); one that already runs never goes back to pending.

A timer without a target (basic resolution) walks the same states with ``due_at`` None,
so a later tier change can give it a deadline from the original start with the pauses
already counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from shared.events.policy import CriticalResolutionStart
from sla_clock.domain.schedule import Schedule
from sla_clock.domain.targets import (
    DEFAULT_POLICY,
    Policy,
    Severity,
    Target,
    Tier,
    effective_severity,
)
from sla_clock.domain.worktime import deadline, merge_intervals, to_utc, working_time_between

__all__ = [
    "EXCLUDED_STATUSES",
    "FINAL_STATUSES",
    "Alarm",
    "ChangeKind",
    "Pause",
    "TicketClock",
    "TicketFact",
    "Timer",
    "TimerChange",
    "TimerKind",
    "TimerState",
    "alarm_plan",
    "answer",
    "exclusion",
    "fold",
    "outcome",
    "step",
    "timer_id_for",
    "working_time_used",
]

TIMER_NAMESPACE = UUID("6f1d1f0e-6c55-4b6e-9d8a-5a1c2b3d4e5f")
"""Namespace of the timers' UUIDv5 ids: one stable id per (ticket, timer)."""

TICKET_CREATED = "ticket.created"
STATUS_CHANGED = "ticket.status_changed"
SEVERITY_CHANGED = "ticket.severity_changed"
CORRECTIVE_ACTION = "ticket.corrective_action_recorded"
HARDWARE_FAULT = "ticket.hardware_fault_marked"
TIER_CHANGED = "ticket.tier_changed"
PHONE_CONFIRMATION = "ticket.phone_confirmation_recorded"
HANDLED_TYPES: frozenset[str] = frozenset(
    {TICKET_CREATED, STATUS_CHANGED, SEVERITY_CHANGED, CORRECTIVE_ACTION, HARDWARE_FAULT}
    | {TIER_CHANGED, PHONE_CONFIRMATION}
)
"""The ticket event types that can change a timer; the others are not stored."""

WAITING = "waiting_customer"
RESOLVED = "resolved"
IN_PROGRESS = "in_progress"
NEW = "new"
TAKEN_INTO_WORK: frozenset[str] = frozenset({IN_PROGRESS, WAITING, RESOLVED})
"""Leaving ``new`` for one of these means the ticket was taken into work."""
EXCLUDED_STATUSES: frozenset[str] = frozenset(
    {"rejected_out_of_scope", "closed_not_reproducible", "closed_not_product_issue"}
)
"""Closures that are not counted against the programme (rules, sections 4 and 7)."""
FINAL_STATUSES: frozenset[str] = frozenset({"closed"}) | EXCLUDED_STATUSES
HARDWARE_SEVERITIES: frozenset[Severity] = frozenset({Severity.critical, Severity.high})


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


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class TicketFact:
    """One consumed ticket event: what the fold needs, nothing of the wire format."""

    event_id: UUID
    type: str
    occurred_at: datetime
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Pause:
    """An interval in which a timer did not count: ``end`` None while it lasts."""

    start: datetime
    end: datetime | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": _iso(self.start), "end": _iso(self.end), "reason": self.reason}

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
            "started_at": _iso(self.started_at),
            "due_at": _iso(self.due_at),
            "pauses": [p.to_dict() for p in self.pauses],
            "ended_at": _iso(self.ended_at),
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


def policy_from(data: Mapping[str, Any] | None) -> Policy:
    """Return the policy a ticket carries (``Policy.to_dict`` shape), or the default one."""
    if not data:
        return DEFAULT_POLICY
    return _policy_from_json(json.dumps(data, sort_keys=True))


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
    status: str
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
            "received_at": _iso(self.received_at),
            "status": self.status,
            "response": self.response.to_dict(),
            "resolution": self.resolution.to_dict(),
            "last_at": _iso(self.last_at),
            "hardware_fault": self.hardware_fault,
            "events": self.events,
            "confirmed_at": _iso(self.confirmed_at),
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
            policy=policy_from(data["policy"]),
            policy_version=data.get("policy_version"),
            calendar_version=data.get("calendar_version"),
            received_at=parse_instant(data["received_at"], "received_at"),
            status=str(data["status"]),
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


@dataclass
class _Step:
    clock: TicketClock
    at: datetime
    changes: list[TimerChange] = field(default_factory=list)

    def due(self, timer: Timer) -> datetime | None:
        """Compute the deadline of a running timer from its start and its finished pauses."""
        if timer.target is None or timer.state is not TimerState.running:
            return None
        return deadline(
            self.clock.schedule,
            timer.started_at,
            target_duration=timer.target.duration(self.clock.schedule),
            pauses=timer.closed_pauses(),
        )

    def put(
        self,
        timer: Timer,
        kind: ChangeKind,
        *,
        previous_due_at: datetime | None = None,
        reason: str | None = None,
    ) -> None:
        self.clock = self.clock.with_timer(timer)
        self.changes.append(
            TimerChange(
                kind=kind,
                timer=timer,
                at=self.at,
                previous_due_at=previous_due_at,
                reason=reason,
            )
        )

    def pause(self, timer: Timer, reason: str) -> None:
        if timer.state is not TimerState.running:
            return
        paused = replace(
            timer,
            state=TimerState.paused,
            due_at=None,
            pauses=(*timer.pauses, Pause(start=self.at, end=None, reason=reason)),
        )
        self.put(paused, ChangeKind.paused, previous_due_at=timer.due_at, reason=reason)

    def _close_pause(self, timer: Timer) -> Timer:
        if timer.state is not TimerState.paused:
            return timer
        last = timer.pauses[-1]
        closed = replace(last, end=max(self.at, last.start))
        return replace(timer, state=TimerState.running, pauses=(*timer.pauses[:-1], closed))

    def resume(self, timer: Timer, reason: str) -> None:
        if timer.state is not TimerState.paused:
            return
        running = self._close_pause(timer)
        running = replace(running, due_at=self.due(running))
        self.put(running, ChangeKind.resumed, reason=reason)

    def finish(self, timer: Timer, kind: ChangeKind, reason: str) -> None:
        """Meet or stop an open timer; a paused one first closes its pause."""
        if not timer.is_open:
            return
        was_due = timer.due_at
        if timer.state is TimerState.pending:  # it never ran: no working time counted
            timer = replace(timer, started_at=self.at)
        running = self._close_pause(timer)
        state = TimerState.met if kind is ChangeKind.met else TimerState.stopped
        # A paused timer has no due instant; give back the one it would have had, so a
        # met-or-late verdict and the report can compare against it.
        due = running.due_at if timer.state is TimerState.running else self.due(running)
        ended = replace(running, state=state, due_at=due, ended_at=self.at, reason=reason)
        self.put(ended, kind, previous_due_at=was_due, reason=reason)

    def reopen(self, timer: Timer, reason: str) -> None:
        """Resume a met timer; the time it stood met counts as a pause.

        It resumes under the ticket's current tier and severity: a change made while it
        stood met applies from now on (recomputed from the original start, as always).
        """
        if timer.state is not TimerState.met or timer.ended_at is None:
            return
        gap = Pause(start=timer.ended_at, end=max(self.at, timer.ended_at), reason="met")
        response, resolution = self.clock.policy.targets_for(self.clock.tier, self.clock.severity)
        running = replace(
            timer,
            target=response if timer.kind is TimerKind.response else resolution,
            state=TimerState.running,
            pauses=(*timer.pauses, gap),
            ended_at=None,
            reason=None,
        )
        running = replace(running, due_at=self.due(running))
        self.put(running, ChangeKind.resumed, previous_due_at=timer.due_at, reason=reason)


def _new_timer(
    kind: TimerKind, *, ticket_id: UUID, target: Target | None, start: datetime
) -> Timer:
    return Timer(
        kind=kind,
        timer_id=timer_id_for(ticket_id, kind),
        state=TimerState.running,
        target=target,
        started_at=start,
        due_at=None,
    )


def _created(fact: TicketFact) -> tuple[TicketClock, list[TimerChange]]:
    data = fact.data
    ticket_id = UUID(str(data["ticket_id"]))
    customer = data.get("customer_id")
    tier = Tier(data["tier"])
    requested = Severity(data["severity"])
    served, capped = effective_severity(tier, requested)
    policy = policy_from(data.get("policy"))
    received = parse_instant(data.get("received_at") or fact.occurred_at, "received_at")
    response_target, resolution_target = policy.targets_for(tier, served)
    placeholder = _new_timer(TimerKind.response, ticket_id=ticket_id, target=None, start=received)
    clock = TicketClock(
        ticket_id=ticket_id,
        customer_id=None if customer is None else UUID(str(customer)),
        tier=tier,
        severity=served,
        requested_severity=requested,
        severity_capped=capped or bool(data.get("severity_capped", False)),
        policy=policy,
        policy_version=data.get("policy_version") or policy.version,
        calendar_version=data.get("calendar_version"),
        received_at=received,
        status=str(data.get("status") or NEW),
        response=placeholder,
        resolution=placeholder,
        last_at=max(received, fact.occurred_at),
    )
    step_ = _Step(clock=clock, at=received)
    for kind, target in (
        (TimerKind.response, response_target),
        (TimerKind.resolution, resolution_target),
    ):
        timer = _new_timer(kind, ticket_id=ticket_id, target=target, start=received)
        if kind is TimerKind.resolution and clock.awaits_confirmation:
            pending = replace(timer, state=TimerState.pending)
            step_.put(pending, ChangeKind.scheduled, reason=AWAITING_CONFIRMATION)
            continue
        step_.put(replace(timer, due_at=step_.due(timer)), ChangeKind.scheduled)
    return step_.clock, step_.changes


AWAITING_CONFIRMATION = "awaiting_phone_confirmation"


def _phone_confirmed(s: _Step, data: Mapping[str, Any]) -> None:
    """Record the first confirmation; start a pending resolution timer at ``confirmed_at``.

    A later confirmation changes nothing: the clock may already run from the first.
    A ticket waiting for the customer when confirmed starts and pauses at once.
    """
    if s.clock.confirmed_at is not None:
        return
    confirmed = max(parse_instant(data["confirmed_at"], "confirmed_at"), s.clock.received_at)
    s.clock = replace(s.clock, confirmed_at=confirmed)
    timer = s.clock.resolution
    if timer.state is not TimerState.pending:
        return
    _start_pending(s, timer, at=confirmed, reason="phone_confirmation")
    if s.clock.status == WAITING:
        s.pause(s.clock.resolution, "waiting_customer")


def _start_pending(s: _Step, timer: Timer, *, at: datetime, reason: str) -> None:
    running = replace(timer, state=TimerState.running, started_at=at)
    s.put(replace(running, due_at=s.due(running)), ChangeKind.scheduled, reason=reason)


def _status_changed(s: _Step, data: Mapping[str, Any]) -> None:
    from_status = str(data.get("from_status") or s.clock.status)
    to_status = str(data.get("to_status") or data.get("status") or from_status)
    s.clock = replace(s.clock, status=to_status)
    response, resolution = s.clock.response, s.clock.resolution
    if to_status in FINAL_STATUSES:
        detail = data.get("reason")
        reason = f"{to_status}: {detail}" if detail else to_status
        s.finish(response, ChangeKind.stopped, reason)
        s.finish(s.clock.resolution, ChangeKind.stopped, reason)
        return
    if from_status == NEW and to_status in TAKEN_INTO_WORK:
        s.finish(response, ChangeKind.met, "taken_into_work")
    if to_status == WAITING:
        s.pause(resolution, "waiting_customer")
    elif to_status == RESOLVED:
        s.finish(resolution, ChangeKind.met, "resolved")
    elif from_status == WAITING:
        s.resume(resolution, "customer_answered")
    elif from_status == RESOLVED and to_status == IN_PROGRESS:
        s.reopen(resolution, "reopened")


def _severity_changed(s: _Step, data: Mapping[str, Any]) -> None:
    clock = s.clock
    tier = Tier(data.get("tier") or clock.tier)
    requested = Severity(data["severity"])
    served, capped = effective_severity(tier, requested)
    s.clock = replace(
        clock, tier=tier, severity=served, requested_severity=requested, severity_capped=capped
    )
    _recompute(s, f"{clock.tier}/{clock.severity} -> {tier}/{served}")


def _tier_changed(s: _Step, data: Mapping[str, Any]) -> None:
    """Move the ticket to a new tier (and the policy it came with), from the original start.

    Intake sends it when the customer's effective tier went up, with the severity the
    ticket is served at under the new tier (a basic ticket's medium cap is lifted: intake
    keeps what the customer asked for, while ticket.created carried the capped one).
    """
    clock = s.clock
    tier = Tier(data["tier"])
    requested = Severity(data.get("severity") or clock.requested_severity)
    served, capped = effective_severity(tier, requested)
    given = data.get("policy")
    policy = policy_from(given) if given else clock.policy
    s.clock = replace(
        clock,
        tier=tier,
        severity=served,
        requested_severity=requested,
        severity_capped=capped,
        policy=policy,
        policy_version=data.get("policy_version")
        or (policy.version if given else clock.policy_version),
    )
    _recompute(s, f"tier_changed: {clock.tier}/{clock.severity} -> {tier}/{served}")


def _recompute(s: _Step, reason: str) -> None:
    """Give each open timer the target of the clock's tier and severity, from its start."""
    for kind, target in zip(
        (TimerKind.response, TimerKind.resolution),
        s.clock.policy.targets_for(s.clock.tier, s.clock.severity),
        strict=True,
    ):
        timer = s.clock.timer(kind)
        if not timer.is_open:
            continue  # a finished timer keeps the target it finished under
        if timer.state is TimerState.pending and not s.clock.awaits_confirmation:
            _start_pending(s, replace(timer, target=target), at=s.clock.received_at, reason=reason)
            continue
        updated = replace(timer, target=target)
        updated = replace(updated, due_at=s.due(updated))
        s.put(updated, ChangeKind.recomputed, previous_due_at=timer.due_at, reason=reason)
    if s.clock.hardware_fault and s.clock.severity in HARDWARE_SEVERITIES:
        _stop_for_hardware(s)


def _stop_for_hardware(s: _Step) -> None:
    reason = f"hardware_fault: {s.clock.hardware_fault}"
    s.finish(s.clock.response, ChangeKind.stopped, reason)
    s.finish(s.clock.resolution, ChangeKind.stopped, reason)


def step(
    clock: TicketClock | None, fact: TicketFact
) -> tuple[TicketClock | None, list[TimerChange]]:
    """Apply one ticket event; return the new state and what it did to the timers.

    Events of a ticket not (yet) registered change nothing. An event whose instant
    precedes the last one applied counts at the last one: time never runs backwards
    for a ticket's clocks.
    """
    if fact.type == TICKET_CREATED:
        if clock is not None:
            return clock, []  # registered once; a second ticket.created changes nothing
        return _created(fact)
    if clock is None or fact.type not in HANDLED_TYPES:
        return clock, []
    at = max(to_utc(fact.occurred_at, "occurred_at"), clock.last_at)
    s = _Step(clock=replace(clock, last_at=at, events=clock.events + 1), at=at)
    data = fact.data
    if fact.type == STATUS_CHANGED:
        _status_changed(s, data)
    elif fact.type == SEVERITY_CHANGED:
        _severity_changed(s, data)
    elif fact.type == TIER_CHANGED:
        _tier_changed(s, data)
    elif fact.type == PHONE_CONFIRMATION:
        _phone_confirmed(s, data)
    elif fact.type == CORRECTIVE_ACTION:
        s.finish(s.clock.resolution, ChangeKind.met, f"corrective_action: {data.get('kind')}")
    elif fact.type == HARDWARE_FAULT:
        s.clock = replace(s.clock, hardware_fault=str(data.get("reason") or "hardware fault"))
        if s.clock.severity in HARDWARE_SEVERITIES:
            _stop_for_hardware(s)
    return s.clock, s.changes


def answer(
    clock: TicketClock, fact: TicketFact, changes: Sequence[TimerChange]
) -> list[TimerChange]:
    """Return what sla-clock says on ``support.sla.v1`` about one applied ticket event.

    Every ticket event gets an answer, so a consumer of the SLA topic alone always knows
    each ticket's deadlines: the timer changes the event caused, or, when it moved no
    timer (a comment, an assignment, an escalation, a change-request step, any type
    added later), one ``unchanged`` per timer carrying where that timer stands. The
    reason names the ticket event type answered.
    """
    if changes:
        return list(changes)
    at = max(to_utc(fact.occurred_at, "occurred_at"), clock.last_at)
    return [
        TimerChange(kind=ChangeKind.unchanged, timer=timer, at=at, reason=fact.type)
        for timer in clock.timers
    ]


def fold(facts: Iterable[TicketFact]) -> TicketClock | None:
    """Rebuild a ticket's timers from its events, in the order they were consumed."""
    clock: TicketClock | None = None
    for fact in facts:
        clock, _ = step(clock, fact)
    return clock


def alarm_plan(clock: TicketClock, timer: Timer, percents: Sequence[int]) -> list[Alarm]:
    """Return a running timer's warning instants (at ``percents`` of its target) and breach.

    A warning at p % is the instant the counted working time reaches p % of the target,
    with the same pauses as the deadline. Paused, finished and target-less timers have none.
    """
    if timer.state is not TimerState.running or timer.target is None or timer.due_at is None:
        return []
    schedule = clock.schedule
    duration = timer.target.duration(schedule)
    pauses = timer.closed_pauses()
    alarms = [
        Alarm(
            kind="warning",
            percent=percent,
            fire_at=deadline(
                schedule, timer.started_at, target_duration=duration * percent / 100, pauses=pauses
            ),
        )
        for percent in sorted(set(percents))
    ]
    alarms.append(Alarm(kind="breach", percent=100, fire_at=timer.due_at))
    return alarms


def working_time_used(clock: TicketClock, timer: Timer, at: datetime) -> timedelta:
    """Return the working time the timer has counted up to ``at`` (or up to its end)."""
    if timer.state is TimerState.pending:
        return timedelta(0)
    schedule = clock.schedule
    end = to_utc(at, "at")
    if timer.ended_at is not None:
        end = min(end, timer.ended_at)
    total = working_time_between(schedule, timer.started_at, end)
    intervals = [(p.start, min(p.end or end, end)) for p in timer.pauses if p.start < end]
    for start, stop in merge_intervals(intervals, not_before=timer.started_at):
        total -= working_time_between(schedule, start, stop)
    return max(total, timedelta(0))


def exclusion(clock: TicketClock) -> str | None:
    """Return why the ticket is left out of compliance, or None if it counts.

    A ticket closed as not reproducible, not a product issue, or rejected as out of
    scope is not counted against the programme: the reason is its closing status with
    the detail the agent gave (as the stopped timer recorded it).
    """
    if clock.status not in EXCLUDED_STATUSES:
        return None
    for timer in (clock.resolution, clock.response):
        if timer.state is TimerState.stopped and (timer.reason or "").startswith(clock.status):
            return timer.reason
    return clock.status


def outcome(clock: TicketClock, timer: Timer, at: datetime) -> str:
    """Classify a timer for compliance at instant ``at``.

    ``excluded`` (the ticket was closed as not reproducible, not a product issue or
    rejected as out of scope: counted neither met nor breached, whatever its timers
    did), ``met`` (finished on time), ``breached`` (met late, stopped after its
    deadline, or open past it: a paused timer counts as breached when its pause began
    at or after the deadline it then had), ``running`` (open, not yet due),
    ``stopped`` (stopped before its deadline: not counted), ``no_target``, ``pending``
    (not started: waits for the phone confirmation).
    """
    if clock.status in EXCLUDED_STATUSES:
        return "excluded"
    if timer.state is TimerState.pending:
        return "pending"
    if timer.target is None:
        return "no_target"
    due = timer.due_at
    if timer.state is TimerState.paused:
        running = replace(timer, state=TimerState.running)
        due = _Step(clock=clock, at=at).due(running)
        opened = timer.pauses[-1].start
        return "breached" if due is not None and opened >= due else "running"
    late = due is not None and timer.ended_at is not None and timer.ended_at > due
    if timer.state is TimerState.met:
        return "breached" if late else "met"
    if timer.state is TimerState.stopped:
        return "breached" if late else "stopped"
    if due is not None and to_utc(at, "at") >= due:
        return "breached"
    return "running"
