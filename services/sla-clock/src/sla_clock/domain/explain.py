"""Why each of a ticket's deadlines is what it is, from the same fold the live path runs.

:func:`explain` replays a ticket's facts through :func:`sla_clock.domain.timers.step`
(no second implementation of the timer rules) and, for each resulting timer, lists the
working windows the deadline arithmetic counted (``shared.worktime.trace``), the days it
skipped with their reasons, the pauses with the working time each took out, and the
severity and tier changes with the instant they applied. The counted windows of a timer
with a deadline sum to its target: the trace walks the windows ``deadline`` walks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from shared.worktime.trace import counted_windows, skipped_days
from shared.worktime.worktime import working_time_between
from sla_clock.domain.clock import (
    ChangeKind,
    TicketClock,
    TicketFact,
    Timer,
    TimerChange,
    TimerState,
    iso,
    running_due,
)
from sla_clock.domain.measures import exclusion, outcome
from sla_clock.domain.timers import step

__all__ = ["Replay", "explain", "replay"]


@dataclass(frozen=True)
class Replay:
    """A folded history and every timer change each step made, in order."""

    clock: TicketClock
    changes: list[TimerChange]
    regrades: list[dict[str, Any]]


def replay(facts: Iterable[TicketFact]) -> Replay | None:
    """Fold facts with ``step`` and keep the changes (None: no ``ticket.created``)."""
    clock: TicketClock | None = None
    changes: list[TimerChange] = []
    regrades: list[dict[str, Any]] = []
    for fact in facts:
        before = clock
        clock, made = step(clock, fact)
        changes.extend(made)
        if before is not None and clock is not None and _grade(before) != _grade(clock):
            regrades.append({"at": iso(clock.last_at), "from": _grade(before), "to": _grade(clock)})
    if clock is None:
        return None
    return Replay(clock=clock, changes=changes, regrades=regrades)


def _grade(clock: TicketClock) -> dict[str, Any]:
    return {
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "policy_version": clock.policy_version,
    }


def _minutes(span: timedelta) -> float:
    return round(span.total_seconds() / 60, 3)


def _local(value: datetime, clock: TicketClock) -> str:
    return value.astimezone(clock.schedule.zone).isoformat()


def _explained_due(clock: TicketClock, t: Timer) -> datetime | None:
    """The deadline the timer has or, paused, the one it had when it paused."""
    if t.due_at is not None:
        return t.due_at
    if t.state is TimerState.paused:
        last = t.pauses[-1]
        return running_due(
            clock,
            _with_closed_last_pause(t, last.start),
        )
    return None


def _with_closed_last_pause(t: Timer, at: datetime) -> Timer:
    pauses = (*t.pauses[:-1], replace(t.pauses[-1], end=at))
    return replace(t, state=TimerState.running, pauses=pauses)


def _windows(clock: TicketClock, t: Timer, now: datetime) -> list[Any]:
    """The working windows the timer counted: up to its due, else up to where it stands."""
    schedule = clock.schedule
    target = None if t.target is None else t.target.duration(schedule)
    closed = t.closed_pauses()
    if t.state is TimerState.pending:
        return []
    if target is not None and _explained_due(clock, t) is not None:
        return counted_windows(schedule, t.started_at, target_duration=target, pauses=closed)
    # No deadline (no target, or paused without one): what it counted so far.
    until = t.ended_at or (t.pauses[-1].start if t.state is TimerState.paused else now)
    return counted_windows(schedule, t.started_at, target_duration=None, pauses=closed, until=until)


def _interval(w: Any, clock: TicketClock) -> dict[str, Any]:
    return {
        "date": w.day.isoformat(),
        "from": _local(w.start, clock),
        "to": _local(w.end, clock),
        "minutes": _minutes(w.length),
        # A pre-holiday day the schedule closes early (shortened_pre_holidays).
        "shortened": clock.schedule.is_shortened(w.day),
    }


def _pause(p: Any, clock: TicketClock, t: Timer) -> dict[str, Any]:
    worked = (
        None
        if p.end is None
        else _minutes(working_time_between(clock.schedule, max(p.start, t.started_at), p.end))
    )
    return {"from": iso(p.start), "to": iso(p.end), "reason": p.reason, "working_minutes": worked}


def _change(c: TimerChange) -> dict[str, Any]:
    return {
        "at": iso(c.at),
        "kind": c.kind.value,
        "reason": c.reason,
        "target": None if c.timer.target is None else str(c.timer.target),
        "due_at": iso(c.timer.due_at),
    }


def _timer(clock: TicketClock, t: Timer, changes: list[TimerChange], now: datetime) -> Any:
    schedule = clock.schedule
    target = None if t.target is None else t.target.duration(schedule)
    windows = _windows(clock, t, now)
    last = windows[-1].end if windows else t.started_at
    zone = schedule.zone
    skipped = skipped_days(
        schedule,
        t.started_at.astimezone(zone).date(),
        max(last, t.started_at).astimezone(zone).date(),
    )
    counted = sum((w.length for w in windows), timedelta(0))
    return {
        "timer": t.kind.value,
        "state": t.state.value,
        "outcome": outcome(clock, t, now),
        "target": None if t.target is None else str(t.target),
        "target_minutes": None if target is None else _minutes(target),
        "started_at": iso(t.started_at),
        "due_at": iso(_explained_due(clock, t)),
        "ended_at": iso(t.ended_at),
        "reason": t.reason,
        "counted_minutes": _minutes(counted),
        "intervals": [_interval(w, clock) for w in windows],
        "skipped_days": [
            {"date": s.day.isoformat(), "reason": s.reason, "name": s.name} for s in skipped
        ],
        "pauses": [_pause(p, clock, t) for p in t.pauses],
        "changes": [
            _change(c)
            for c in changes
            if c.timer.kind is t.kind and c.kind is not ChangeKind.unchanged
        ],
    }


def explain(result: Replay, *, now: datetime) -> dict[str, Any]:
    """Explain every timer of a replayed ticket (see the module docstring)."""
    clock = result.clock
    schedule = clock.schedule
    return {
        "ticket_id": str(clock.ticket_id),
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "status": clock.status.value,
        "policy_version": clock.policy_version,
        "calendar_version": clock.calendar_version,
        "calendar": schedule.country,
        "schedule": schedule.to_dict(),
        # The policy the clocks ran under, in the shape simulate takes: a dispute can
        # replay the history under it, or under another.
        "policy": clock.policy.to_dict(),
        "excluded_reason": exclusion(clock),
        "as_of": iso(now),
        "severity_and_tier_changes": result.regrades,
        "timers": [_timer(clock, t, result.changes, now) for t in clock.timers],
    }
