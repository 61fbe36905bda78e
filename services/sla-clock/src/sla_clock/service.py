"""Use cases of sla-clock: apply ticket events, rebuild, explain, report, preview."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from shared.errors import NotFound, Unprocessable
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
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.targets import Severity, Tier, compute_due
from sla_clock.domain.timers import (
    HANDLED_TYPES,
    ChangeKind,
    TicketClock,
    TicketFact,
    Timer,
    TimerChange,
    TimerState,
    alarm_plan,
    answer,
    exclusion,
    fold,
    outcome,
    policy_from,
    step,
    working_time_used,
)


def _warning_at(clock: TicketClock, t: Timer, percents: Sequence[int]) -> list[datetime]:
    return [a.fire_at for a in alarm_plan(clock, t, percents) if a.kind == "warning"]


def _paused_seconds(clock: TicketClock, t: Timer, at: datetime) -> float:
    wall = working_time_used(clock, t, at)
    gross = working_time_used(clock, replace(t, pauses=()), at)
    return (gross - wall).total_seconds()


def timer_event(clock: TicketClock, change: TimerChange, percents: Sequence[int]) -> EventData:
    """Map one timer change to its ``sla.timer.*`` payload."""
    t = change.timer
    common: dict[str, Any] = {
        "ticket_id": clock.ticket_id,
        "timer": t.kind.value,
        "timer_id": t.timer_id,
        "customer_id": clock.customer_id,
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "state": t.state.value,
        "policy_version": clock.policy_version,
    }
    # Where a running timer is headed (warnings are empty unless it runs).
    ahead: dict[str, Any] = {
        "due_at": t.due_at,
        "warning_at": _warning_at(clock, t, percents),
        "target": None if t.target is None else str(t.target),
    }
    match change.kind:
        case ChangeKind.scheduled:
            return TimerScheduled(**common, **ahead, started_at=t.started_at)
        case ChangeKind.paused:
            return TimerPaused(
                **common,
                paused_at=change.at,
                reason=change.reason,
                previous_due_at=change.previous_due_at,
            )
        case ChangeKind.resumed:
            return TimerResumed(
                **common,
                **ahead,
                resumed_at=change.at,
                reason=change.reason,
                paused_seconds=_paused_seconds(clock, t, change.at),
            )
        case ChangeKind.met:
            return TimerMet(
                **common,
                met_at=change.at,
                due_at=t.due_at,
                reason=change.reason,
                on_time=None if t.due_at is None else change.at <= t.due_at,
                working_seconds=working_time_used(clock, t, change.at).total_seconds(),
            )
        case ChangeKind.stopped:
            return TimerStopped(
                **common,
                stopped_at=change.at,
                reason=change.reason or "stopped",
                due_at=t.due_at,
                outcome=outcome(clock, t, change.at),
            )
        case ChangeKind.recomputed:
            return TimerRecomputed(
                **common,
                **ahead,
                previous_due_at=change.previous_due_at,
                reason=change.reason,
                recomputed_at=change.at,
            )
        case ChangeKind.unchanged:
            return TimerUnchanged(
                **common,
                **ahead,
                started_at=t.started_at,
                ended_at=t.ended_at,
                cause=change.reason,
                as_of=change.at,
            )
    raise AssertionError(f"unknown change {change.kind}")  # pragma: no cover


async def _persist(
    uow: SlaUnitOfWork,
    clock: TicketClock,
    changes: Sequence[TimerChange],
    *,
    last_seq: int,
    percents: Sequence[int],
) -> None:
    await uow.sla.save(clock, last_seq=last_seq)
    moved = (c.timer.kind for c in changes if c.kind is not ChangeKind.unchanged)
    for kind in dict.fromkeys(moved):
        t = clock.timer(kind)
        await uow.sla.reschedule(clock, t, alarm_plan(clock, t, percents))
    for change in changes:
        await uow.outbox.publish(timer_event(clock, change, percents), subject=str(clock.ticket_id))


_KEPT_FIELDS = ("ticket_id", "customer_id", "status", "occurred_at")
"""What the history keeps of a ticket event that moves no timer (not its text)."""


def _stored(fact: TicketFact) -> TicketFact:
    if fact.type in HANDLED_TYPES:
        return fact
    return replace(fact, data={k: fact.data[k] for k in _KEPT_FIELDS if k in fact.data})


async def apply_ticket_event(
    uow: SlaUnitOfWork, fact: TicketFact, *, percents: Sequence[int]
) -> list[TimerChange]:
    """Store one ticket event, advance the ticket's clocks and answer on the SLA topic.

    Every ticket event is answered (see :func:`answer`): with the timer events it
    caused, or with ``sla.timer.unchanged`` per timer. Runs inside the caller's
    transaction (the consumer commits it, with its inbox claim: exactly once).
    """
    ticket_id = UUID(str(fact.data["ticket_id"]))
    await uow.sla.lock_ticket(ticket_id)
    seq = await uow.sla.record_event(_stored(fact), ticket_id=ticket_id)
    if seq is None:
        return []  # this event is already in the ticket's history
    current = await uow.sla.snapshot(ticket_id)
    clock, changes = step(current.clock if current else None, fact)
    if clock is None:
        return []  # kept in the history; the ticket is not registered yet
    answered = answer(clock, fact, changes)
    await _persist(uow, clock, answered, last_seq=seq, percents=percents)
    return answered


@dataclass(frozen=True)
class Rebuilt:
    """The outcome of rebuilding one ticket's timers from its history."""

    ticket_id: UUID
    events: int
    changed: bool
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass(frozen=True)
class Replayed:
    """What a replay over the open tickets did."""

    tickets: int
    changed: list[UUID]


async def rebuild_open_tickets(
    uow_factory: Any, *, percents: Sequence[int], batch: int = 200
) -> Replayed:
    """Rebuild every open ticket from its history, one transaction per ticket.

    This is how an engine fix reaches tickets already running: deploy the fix, then
    replay; changed timers are announced (``recomputed``, reason ``rebuild``) and their
    alarms replaced. Closed tickets keep the verdicts they were given.
    """
    from sla_clock.domain.timers import FINAL_STATUSES

    seen = 0
    changed: list[UUID] = []
    after: UUID | None = None
    while True:
        async with uow_factory() as uow:
            ids = await uow.sla.open_ticket_ids(
                after=after, limit=batch, final_statuses=sorted(FINAL_STATUSES)
            )
        if not ids:
            return Replayed(tickets=seen, changed=changed)
        for ticket_id in ids:
            async with uow_factory() as uow:
                result = await rebuild_ticket(uow, ticket_id, percents=percents)
                await uow.commit()
            seen += 1
            if result.changed:
                changed.append(ticket_id)
        after = ids[-1]


async def rebuild_ticket(
    uow: SlaUnitOfWork, ticket_id: UUID, *, percents: Sequence[int]
) -> Rebuilt:
    """Fold a ticket's whole history again and make it the live state.

    Timers whose due instant or state differ from the live ones are announced with
    ``sla.timer.recomputed`` (reason ``rebuild``) and their pending alarms replaced, so
    an engine fix can be replayed over open tickets. Runs in the caller's transaction.
    """
    await uow.sla.lock_ticket(ticket_id)
    history = await uow.sla.history(ticket_id)
    clock = fold(fact for _, fact in history)
    if clock is None:
        raise NotFound(
            f"No SLA history for ticket {ticket_id}: sla-clock has not seen its ticket.created.",
            slug="unknown-ticket",
        )
    current = await uow.sla.snapshot(ticket_id)
    before = current.clock.to_dict() if current else None
    after = clock.to_dict()
    changes = []
    for t in clock.timers:
        old = current.clock.timer(t.kind) if current else None
        if old is None or old.to_dict() != t.to_dict():
            changes.append(
                TimerChange(
                    kind=ChangeKind.recomputed,
                    timer=t,
                    at=clock.last_at,
                    previous_due_at=old.due_at if old else None,
                    reason="rebuild",
                )
            )
    await uow.sla.save(clock, last_seq=history[-1][0])
    for t in clock.timers:
        await uow.sla.reschedule(clock, t, alarm_plan(clock, t, percents))
    for change in changes:
        await uow.outbox.publish(timer_event(clock, change, percents), subject=str(clock.ticket_id))
    return Rebuilt(
        ticket_id=ticket_id,
        events=len(history),
        changed=before != after,
        before=before,
        after=after,
    )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _timer_view(
    clock: TicketClock, t: Timer, *, now: datetime, percents: Sequence[int], alarms: list[Any]
) -> dict[str, Any]:
    used = working_time_used(clock, t, now)
    left = None
    if t.target is not None:
        left = max(t.target.duration(clock.schedule) - used, timedelta(0)).total_seconds()
    mine = [a for a in alarms if a.timer_id == t.timer_id]
    return {
        "timer": t.kind.value,
        "timer_id": str(t.timer_id),
        "state": t.state.value,
        "outcome": outcome(clock, t, now),
        "excluded_reason": exclusion(clock),
        "target": None if t.target is None else str(t.target),
        "started_at": _iso(t.started_at),
        "due_at": _iso(t.due_at),
        "warning_at": [_iso(w) for w in _warning_at(clock, t, percents)],
        "ended_at": _iso(t.ended_at),
        "reason": t.reason,
        "working_time_used_seconds": used.total_seconds(),
        "working_time_left_seconds": left,
        "paused": [
            {"from": _iso(p.start), "to": _iso(p.end), "reason": p.reason} for p in t.pauses
        ],
        "alarms": [
            {
                "kind": a.kind,
                "percent": a.percent,
                "fire_at": _iso(a.fire_at),
                "fired_at": _iso(a.fired_at),
                "late": a.late,
            }
            for a in mine
        ],
    }


async def ticket_view(
    uow: SlaUnitOfWork,
    ticket_id: UUID,
    *,
    now: datetime,
    percents: Sequence[int],
    customer_id: UUID | None = None,
) -> dict[str, Any]:
    """Explain a ticket's timers: state, deadlines, time used and left, pauses, history."""
    current = await uow.sla.snapshot(ticket_id)
    if current is None or (customer_id is not None and current.clock.customer_id != customer_id):
        raise NotFound(
            f"No SLA timers for ticket {ticket_id}: check the id, or wait a moment if the "
            "ticket was just created.",
            slug="unknown-ticket",
        )
    clock = current.clock
    alarms = await uow.sla.alarms(ticket_id)
    history = await uow.sla.history(ticket_id)
    return {
        "ticket_id": str(clock.ticket_id),
        "customer_id": None if clock.customer_id is None else str(clock.customer_id),
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "requested_severity": clock.requested_severity.value,
        "severity_capped": clock.severity_capped,
        "status": clock.status,
        "policy_version": clock.policy_version,
        "calendar_version": clock.calendar_version,
        "schedule": clock.schedule.kind.value,
        "received_at": _iso(clock.received_at),
        "hardware_fault": clock.hardware_fault,
        "excluded_reason": exclusion(clock),
        # Shown under any policy; under "confirmation" it is when critical resolution began.
        "critical_resolution_starts": clock.policy.critical_resolution_starts.value,
        "phone_confirmed_at": _iso(clock.confirmed_at),
        "as_of": _iso(now),
        "timers": [
            _timer_view(clock, t, now=now, percents=percents, alarms=alarms) for t in clock.timers
        ],
        "events": [
            {
                "seq": seq,
                "event_id": str(f.event_id),
                "type": f.type,
                "occurred_at": _iso(f.occurred_at),
                "status": f.data.get("to_status") or f.data.get("status"),
                "severity": f.data.get("severity"),
                "tier": f.data.get("tier"),
                "reason": f.data.get("reason") or f.data.get("kind"),
            }
            for seq, f in history
        ],
    }


def _local(value: datetime | None, like: datetime) -> datetime | None:
    return None if value is None else value.astimezone(like.tzinfo)


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation): a value that actually occurred."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def compliance(clocks: Sequence[TicketClock], *, now: datetime) -> list[dict[str, Any]]:
    """Compliance per tier and severity: met, breached, percentage, median and p90.

    Timers of excluded tickets (not reproducible, not a product issue, out of scope)
    count only in ``excluded``: neither in met nor breached, so not in the percentage,
    and not in the working-time percentiles either.
    """
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for clock in clocks:
        key = (clock.tier.value, clock.severity.value)
        group = groups.setdefault(
            key,
            {"tickets": 0, "response": _empty_stats(), "resolution": _empty_stats()},
        )
        group["tickets"] += 1
        for t in clock.timers:
            stats = group[t.kind.value]
            verdict = outcome(clock, t, now)
            stats[verdict] += 1
            counted = verdict != "excluded"
            if counted and t.state is TimerState.met and t.ended_at is not None:
                stats["_times"].append(working_time_used(clock, t, t.ended_at).total_seconds())
    tier_order = {t.value: i for i, t in enumerate(reversed(list(Tier)))}
    severity_order = {s.value: i for i, s in enumerate(Severity)}
    out = []
    for (tier, severity), group in sorted(
        groups.items(), key=lambda kv: (tier_order[kv[0][0]], severity_order[kv[0][1]])
    ):
        row: dict[str, Any] = {"tier": tier, "severity": severity, "tickets": group["tickets"]}
        for kind in ("response", "resolution"):
            stats = group[kind]
            times = stats.pop("_times")
            decided = stats["met"] + stats["breached"]
            stats["compliance_percent"] = (
                None if decided == 0 else round(100 * stats["met"] / decided, 2)
            )
            stats["median_working_seconds"] = _percentile(times, 50)
            stats["p90_working_seconds"] = _percentile(times, 90)
            row[kind] = stats
        out.append(row)
    return out


def _empty_stats() -> dict[str, Any]:
    return {
        "met": 0,
        "breached": 0,
        "running": 0,
        "stopped": 0,
        "excluded": 0,
        "no_target": 0,
        "_times": [],
    }


CSV_STATS = (
    "met",
    "breached",
    "running",
    "stopped",
    "excluded",
    "no_target",
    "compliance_percent",
    "median_working_seconds",
    "p90_working_seconds",
)


def compliance_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Render :func:`compliance` rows as CSV, one line per tier and severity."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["tier", "severity", "tickets"]
        + [f"{kind}_{s}" for kind in ("response", "resolution") for s in CSV_STATS]
    )
    for row in rows:
        writer.writerow(
            [row["tier"], row["severity"], row["tickets"]]
            + [
                "" if row[kind][s] is None else row[kind][s]
                for kind in ("response", "resolution")
                for s in CSV_STATS
            ]
        )
    return buffer.getvalue()


async def report(
    uow: SlaUnitOfWork,
    *,
    now: datetime,
    received_from: datetime | None,
    received_to: datetime | None,
    customer_id: UUID | None,
    tier: str | None,
) -> dict[str, Any]:
    """Compliance of tickets received in ``[from, to)``, per tier and severity."""
    if received_from and received_to and received_to <= received_from:
        raise Unprocessable(
            "'to' must be after 'from': give a period such as from=2026-01-01T00:00:00Z"
            "&to=2026-02-01T00:00:00Z.",
            slug="invalid-period",
            field="to",
        )
    clocks = await uow.sla.clocks(
        received_from=received_from, received_to=received_to, customer_id=customer_id, tier=tier
    )
    return {
        "from": _iso(received_from),
        "to": _iso(received_to),
        "customer_id": None if customer_id is None else str(customer_id),
        "tier": tier,
        "generated_at": _iso(now),
        "groups": compliance(clocks, now=now),
    }


def preview(
    *,
    tier: Tier,
    severity: Severity,
    received_at: datetime,
    pauses: Sequence[tuple[datetime, datetime]],
    policy: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Compute what a ticket's deadlines would be (no state is stored)."""
    try:
        chosen = policy_from(policy)
    except (KeyError, ValueError, TypeError) as exc:
        raise Unprocessable(
            f"The policy is not valid ({exc}); send it in the shape of GET /api/v1/policies "
            "(version, schedules per tier, targets per tier and severity) or leave it out.",
            slug="invalid-policy",
            field="policy",
        ) from exc
    try:
        due = compute_due(
            chosen, tier=tier, severity=severity, received_at=received_at, pauses=pauses
        )
    except KeyError as exc:
        raise Unprocessable(
            f"{exc.args[0] if exc.args else exc}; add the tier to the policy or pick another.",
            slug="no-target",
            field="tier",
        ) from exc
    response, resolution = chosen.targets_for(tier, due.severity)
    return {
        "tier": tier.value,
        "severity": due.severity.value,
        "requested_severity": severity.value,
        "severity_capped": due.capped,
        "policy_version": chosen.version,
        "schedule": due.schedule.kind.value,
        "timezone": due.schedule.timezone,
        "received_at": received_at.isoformat(),
        "response_target": None if response is None else str(response),
        "resolution_target": None if resolution is None else str(resolution),
        # In the caller's offset, so "17:00+03:00 -> 12:00+03:00" reads as it was asked.
        "response_due": _iso(_local(due.response_due, received_at)),
        "resolution_due": _iso(_local(due.resolution_due, received_at)),
    }
