"""What sla-clock says on ``support.sla.v1``: one ``sla.timer.*`` payload per timer change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shared.events.base import EventData
from shared.events.sla import (
    TimerMet,
    TimerPaused,
    TimerRecomputed,
    TimerResumed,
    TimerScheduled,
    TimerStopped,
    TimerUnchanged,
)
from sla_clock.domain.clock import ChangeKind, TicketClock, TimerChange
from sla_clock.domain.measures import outcome, warning_instants, working_time_used

__all__ = ["timer_event"]

_Fields = dict[str, Any]


def _paused_seconds(clock: TicketClock, change: TimerChange) -> float:
    t = change.timer
    wall = working_time_used(clock, t, change.at)
    gross = working_time_used(clock, replace(t, pauses=()), change.at)
    return (gross - wall).total_seconds()


def _scheduled(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    return TimerScheduled(**common, **_ahead(clock, c), started_at=c.timer.started_at)


def _paused(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    return TimerPaused(**common, paused_at=c.at, reason=c.reason, previous_due_at=c.previous_due_at)


def _resumed(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    return TimerResumed(
        **common,
        **_ahead(clock, c),
        resumed_at=c.at,
        reason=c.reason,
        paused_seconds=_paused_seconds(clock, c),
    )


def _met(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    due = c.timer.due_at
    return TimerMet(
        **common,
        met_at=c.at,
        due_at=due,
        reason=c.reason,
        on_time=None if due is None else c.at <= due,
        working_seconds=working_time_used(clock, c.timer, c.at).total_seconds(),
    )


def _stopped(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    return TimerStopped(
        **common,
        stopped_at=c.at,
        reason=c.reason or "stopped",
        due_at=c.timer.due_at,
        outcome=outcome(clock, c.timer, c.at),
    )


def _recomputed(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    return TimerRecomputed(
        **common,
        **_ahead(clock, c),
        previous_due_at=c.previous_due_at,
        reason=c.reason,
        recomputed_at=c.at,
    )


def _unchanged(clock: TicketClock, c: TimerChange, common: _Fields) -> EventData:
    return TimerUnchanged(
        **common,
        **_ahead(clock, c),
        started_at=c.timer.started_at,
        ended_at=c.timer.ended_at,
        cause=c.reason,
        as_of=c.at,
    )


_BUILDERS: dict[ChangeKind, Callable[[TicketClock, TimerChange, _Fields], EventData]] = {
    ChangeKind.scheduled: _scheduled,
    ChangeKind.paused: _paused,
    ChangeKind.resumed: _resumed,
    ChangeKind.met: _met,
    ChangeKind.stopped: _stopped,
    ChangeKind.recomputed: _recomputed,
    ChangeKind.unchanged: _unchanged,
}


def _ahead(clock: TicketClock, change: TimerChange) -> _Fields:
    """Where a timer is headed: its deadline, warnings (empty unless it runs), target."""
    t = change.timer
    return {
        "due_at": t.due_at,
        "warning_at": warning_instants(clock, t),
        "target": None if t.target is None else str(t.target),
    }


def timer_event(clock: TicketClock, change: TimerChange) -> EventData:
    """Map one timer change to its ``sla.timer.*`` payload."""
    t = change.timer
    common: _Fields = {
        "ticket_id": clock.ticket_id,
        "timer": t.kind.value,
        "timer_id": t.timer_id,
        "customer_id": clock.customer_id,
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "state": t.state.value,
        "policy_version": clock.policy_version,
    }
    return _BUILDERS[change.kind](clock, change, common)
