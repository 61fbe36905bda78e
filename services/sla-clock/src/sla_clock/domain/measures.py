"""What a ticket's timers measure: alarm instants, working time used, verdicts.

Pure reads of a :class:`~sla_clock.domain.clock.TicketClock`; the scheduler, the
ticket view and the compliance report share them, so all three agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from shared.events.vocabulary import EXCLUDED_STATUSES
from shared.worktime.worktime import deadline, merge_intervals, to_utc, working_time_between
from sla_clock.domain.clock import (
    Alarm,
    TicketClock,
    Timer,
    TimerState,
    running_due,
)

__all__ = [
    "alarm_plan",
    "exclusion",
    "outcome",
    "planned_alarms",
    "warning_instants",
    "working_time_used",
]


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
        due = running_due(clock, replace(timer, state=TimerState.running))
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


def planned_alarms(clock: TicketClock, timer: Timer) -> list[Alarm]:
    """Return a timer's alarms at the warning percents of the ticket's own policy."""
    return alarm_plan(clock, timer, clock.policy.warning_percents)


def warning_instants(clock: TicketClock, timer: Timer) -> list[datetime]:
    """Return when a running timer's warnings fire (empty unless it runs)."""
    return [a.fire_at for a in planned_alarms(clock, timer) if a.kind == "warning"]
