"""Per-ticket SLA timers as a pure fold over the ticket's events (rules, section 4).

A ticket has two timers, ``response`` and ``resolution``. Their state is a pure function
of the ticket's events (``ticket.created`` carries the tier, the served severity and the
policy the ticket was admitted under), so the service can rebuild any ticket's timers
from its stored history: :func:`fold` is ``reduce(step, facts, None)``, and the live
path applies :func:`step` to the stored snapshot one event at a time. The two must
agree, and the snapshot round-trips through :meth:`TicketClock.to_dict` /
:meth:`TicketClock.from_dict`.

State machine of one timer::

    running ──pause──▶ paused ──resume──▶ running        (resolution only)
    running|paused ──met──▶ met ──reopen──▶ running       (resolution only)
    running|paused ──stop──▶ stopped                      (closed, rejected, hardware fault)
    met|stopped ──excluded closing──▶ (same state, announced stopped/excluded once)

An excluded closing (not reproducible, not a product issue, out of scope) takes the
ticket out of compliance whatever its timers did, so the view and the report call every
timer ``excluded``. The topic must say the same: the closing stops the open timers and
announces each timer that had already ended (met, breached, stopped for a hardware
fault) once more as ``stopped`` with outcome ``excluded``, keeping its state and
instants. Only the move *into* an excluded status announces it, so a re-fold or a
repeated closing event announces nothing twice.
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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.events.base import EVENT_TYPES
from shared.events.premium import TicketPhoneConfirmationRecorded
from shared.events.tickets import (
    TicketCorrectiveAction,
    TicketCreated,
    TicketEventData,
    TicketHardwareFault,
    TicketSeverityChanged,
    TicketStatusChanged,
    TicketTierChanged,
)
from shared.events.vocabulary import (
    EXCLUDED_STATUSES,
    FINAL_STATUSES,
    Severity,
    TicketStatus,
)
from shared.worktime.worktime import to_utc
from sla_clock.domain.clock import (
    ChangeKind,
    Pause,
    TicketClock,
    TicketFact,
    Timer,
    TimerChange,
    TimerKind,
    TimerState,
    policy_of,
    running_due,
    timer_id_for,
)
from sla_clock.domain.targets import Target

__all__ = ["HANDLED_TYPES", "answer", "fold", "parse_event", "step"]

HANDLED_TYPES: frozenset[str] = frozenset(
    model.TYPE
    for model in (
        TicketCreated,
        TicketStatusChanged,
        TicketSeverityChanged,
        TicketTierChanged,
        TicketCorrectiveAction,
        TicketHardwareFault,
        TicketPhoneConfirmationRecorded,
    )
)
"""The ticket event types that can change a timer; of the others only the common
fields are stored."""


def parse_event(event_type: str, data: Mapping[str, Any]) -> TicketEventData:
    """Parse a ticket event: a type that moves timers as its model, any other as the
    fields every ticket event carries (all the history keeps of it)."""
    model = EVENT_TYPES.get(event_type)
    if event_type in HANDLED_TYPES and model is not None and issubclass(model, TicketEventData):
        return model.model_validate(data)
    return TicketEventData.model_validate(data)


TAKEN_INTO_WORK: frozenset[TicketStatus] = frozenset(
    {TicketStatus.in_progress, TicketStatus.waiting_customer, TicketStatus.resolved}
)
"""Leaving ``new`` for one of these means the ticket was taken into work."""
HARDWARE_SEVERITIES: frozenset[Severity] = frozenset({Severity.critical, Severity.high})


@dataclass
class _Step:
    clock: TicketClock
    at: datetime
    changes: list[TimerChange] = field(default_factory=list)

    def due(self, timer: Timer) -> datetime | None:
        return running_due(self.clock, timer)

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


def _created(fact: TicketFact, event: TicketCreated) -> tuple[TicketClock, list[TimerChange]]:
    if event.policy is None:
        # The handler dead-letters such an event; a history never holds one.
        raise ValueError(f"ticket.created {fact.event_id} carries no policy")
    policy = policy_of(event.policy)
    received = to_utc(event.received_at, "received_at")
    response_target, resolution_target = policy.targets_for(event.tier, event.severity)
    placeholder = _new_timer(
        TimerKind.response, ticket_id=event.ticket_id, target=None, start=received
    )
    clock = TicketClock(
        ticket_id=event.ticket_id,
        customer_id=event.customer_id,
        tier=event.tier,
        severity=event.severity,  # served: intake applied any cap at admission
        requested_severity=event.severity,
        severity_capped=event.severity_capped,
        policy=policy,
        policy_version=event.policy_version or policy.version,
        calendar_version=event.calendar_version,
        received_at=received,
        status=event.status or TicketStatus.new,
        response=placeholder,
        resolution=placeholder,
        last_at=max(received, fact.occurred_at),
    )
    step_ = _Step(clock=clock, at=received)
    for kind, target in (
        (TimerKind.response, response_target),
        (TimerKind.resolution, resolution_target),
    ):
        timer = _new_timer(kind, ticket_id=event.ticket_id, target=target, start=received)
        if kind is TimerKind.resolution and clock.awaits_confirmation:
            pending = replace(timer, state=TimerState.pending)
            step_.put(pending, ChangeKind.scheduled, reason=AWAITING_CONFIRMATION)
            continue
        step_.put(replace(timer, due_at=step_.due(timer)), ChangeKind.scheduled)
    return step_.clock, step_.changes


AWAITING_CONFIRMATION = "awaiting_phone_confirmation"


def _phone_confirmed(s: _Step, event: TicketPhoneConfirmationRecorded) -> None:
    """Record the first confirmation; start a pending resolution timer at ``confirmed_at``.

    A later confirmation changes nothing: the clock may already run from the first.
    A ticket waiting for the customer when confirmed starts and pauses at once.
    """
    if s.clock.confirmed_at is not None:
        return
    confirmed = max(to_utc(event.confirmed_at, "confirmed_at"), s.clock.received_at)
    s.clock = replace(s.clock, confirmed_at=confirmed)
    timer = s.clock.resolution
    if timer.state is not TimerState.pending:
        return
    _start_pending(s, timer, at=confirmed, reason="phone_confirmation")
    if s.clock.status is TicketStatus.waiting_customer:
        s.pause(s.clock.resolution, "waiting_customer")


def _start_pending(s: _Step, timer: Timer, *, at: datetime, reason: str) -> None:
    running = replace(timer, state=TimerState.running, started_at=at)
    s.put(replace(running, due_at=s.due(running)), ChangeKind.scheduled, reason=reason)


def _exclude(s: _Step, reason: str) -> None:
    """End every timer as excluded: stop the open ones, re-announce the ended ones.

    An ended timer keeps its state, instants and reason (the view still shows it met or
    stopped); only its last word on the topic becomes ``stopped`` with outcome
    ``excluded``, the way the view and the report count it.
    """
    for kind in (TimerKind.response, TimerKind.resolution):
        timer = s.clock.timer(kind)
        if timer.is_open:
            s.finish(timer, ChangeKind.stopped, reason)
        else:
            s.put(timer, ChangeKind.stopped, previous_due_at=timer.due_at, reason=reason)


def _status_changed(s: _Step, event: TicketStatusChanged) -> None:
    from_status, to_status = event.from_status, event.to_status
    was_excluded = s.clock.status in EXCLUDED_STATUSES
    s.clock = replace(s.clock, status=to_status)
    response, resolution = s.clock.response, s.clock.resolution
    if to_status in FINAL_STATUSES:
        reason = f"{to_status}: {event.reason}" if event.reason else str(to_status)
        if to_status in EXCLUDED_STATUSES:
            if not was_excluded:  # announced once, on the move into the exclusion
                _exclude(s, reason)
            return
        s.finish(response, ChangeKind.stopped, reason)
        s.finish(s.clock.resolution, ChangeKind.stopped, reason)
        return
    if from_status is TicketStatus.new and to_status in TAKEN_INTO_WORK:
        s.finish(response, ChangeKind.met, "taken_into_work")
    if to_status is TicketStatus.waiting_customer:
        s.pause(resolution, "waiting_customer")
    elif to_status is TicketStatus.resolved:
        s.finish(resolution, ChangeKind.met, "resolved")
    elif from_status is TicketStatus.waiting_customer:
        s.resume(resolution, "customer_answered")
    elif from_status is TicketStatus.resolved and to_status is TicketStatus.in_progress:
        s.reopen(resolution, "reopened")


def _severity_changed(s: _Step, event: TicketSeverityChanged) -> None:
    """Serve the ticket at the severity intake decided (any cap applied there)."""
    clock = s.clock
    tier = event.tier or clock.tier
    s.clock = replace(
        clock,
        tier=tier,
        severity=event.severity,
        requested_severity=event.severity,
        severity_capped=False,
    )
    _recompute(s, f"{clock.tier}/{clock.severity} -> {tier}/{event.severity}")


def _tier_changed(s: _Step, event: TicketTierChanged) -> None:
    """Move the ticket to a new tier (and the policy it came with), from the original start.

    Intake sends it when the customer's effective tier went up, with the severity the
    ticket is served at under the new tier (a basic ticket's medium cap is lifted).
    """
    clock = s.clock
    served = event.severity or clock.severity
    policy = policy_of(event.policy) if event.policy else clock.policy
    s.clock = replace(
        clock,
        tier=event.tier,
        severity=served,
        requested_severity=served,
        severity_capped=bool(event.severity_capped),
        policy=policy,
        policy_version=event.policy_version
        or (policy.version if event.policy else clock.policy_version),
    )
    _recompute(s, f"tier_changed: {clock.tier}/{clock.severity} -> {event.tier}/{served}")


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

    Raises:
        ValueError: a ``ticket.created`` without a policy (the clock cannot start).
    """
    event = fact.event
    if isinstance(event, TicketCreated):
        if clock is not None:
            return clock, []  # registered once; a second ticket.created changes nothing
        return _created(fact, event)
    if clock is None or fact.type not in HANDLED_TYPES:
        return clock, []
    at = max(to_utc(fact.occurred_at, "occurred_at"), clock.last_at)
    s = _Step(clock=replace(clock, last_at=at, events=clock.events + 1), at=at)
    if isinstance(event, TicketStatusChanged):
        _status_changed(s, event)
    elif isinstance(event, TicketSeverityChanged):
        _severity_changed(s, event)
    elif isinstance(event, TicketTierChanged):
        _tier_changed(s, event)
    elif isinstance(event, TicketPhoneConfirmationRecorded):
        _phone_confirmed(s, event)
    elif isinstance(event, TicketCorrectiveAction):
        s.finish(s.clock.resolution, ChangeKind.met, f"corrective_action: {event.kind}")
    elif isinstance(event, TicketHardwareFault):
        s.clock = replace(s.clock, hardware_fault=event.reason or "hardware fault")
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
