"""Read models of one ticket's clocks: the timer view and the deadline preview."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from shared.errors import NotFound
from shared.events.tickets import (
    TicketAssigned,
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCorrectiveAction,
    TicketCreated,
    TicketEscalated,
    TicketEventData,
    TicketHardwareFault,
    TicketSeverityChanged,
    TicketStatusChanged,
    TicketTierChanged,
)
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import TicketClock, Timer, iso
from sla_clock.domain.measures import exclusion, outcome, warning_instants, working_time_used

__all__ = ["ticket_view"]


_TICKET_FIELDS = (
    "ticket_id",
    "customer_id",
    "tier",
    "severity",
    "requested_severity",
    "severity_capped",
    "status",
    "policy_version",
    "calendar_version",
    "received_at",
    "hardware_fault",
)
"""What the view shows of the ticket, as its snapshot stores it."""


def _event_summary(event: TicketEventData) -> dict[str, Any]:
    """What the history shows of one event: status, severity, tier, reason (or None)."""
    status = event.to_status if isinstance(event, TicketStatusChanged) else event.status
    severity = tier = reason = None
    if isinstance(event, TicketCreated | TicketSeverityChanged | TicketTierChanged):
        severity, tier = event.severity, event.tier
    if isinstance(event, TicketStatusChanged | TicketHardwareFault):
        reason = event.reason
    elif isinstance(event, TicketCorrectiveAction):
        reason = event.kind
    return {
        "status": status,
        "severity": severity,
        "tier": tier,
        "reason": reason,
        **_event_who_and_what(event),
    }


def _event_who_and_what(event: TicketEventData) -> dict[str, Any]:
    """Who made the event (the actor's label as intake wrote it) and the move it names.

    Read by the agents' desk to show a ticket's history (docs/web.md, "Agent workspace").
    """
    actor: str | None = None
    action: str | None = None
    line: int | None = None
    assignee: str | None = None
    if isinstance(event, TicketStatusChanged):
        actor, action, assignee = event.actor, event.action, event.assignee
    elif isinstance(event, TicketCreated):
        actor = event.entered_by or event.contact_email
    elif isinstance(event, TicketSeverityChanged):
        actor = event.changed_by
    elif isinstance(event, TicketCommented):
        actor = f"{event.author_kind}:{event.author}" if event.author_kind else event.author
        action = "public" if event.public else "internal"
    elif isinstance(event, TicketEscalated):
        actor, line = event.source, int(event.line)
    elif isinstance(event, TicketAssigned):
        actor, assignee = event.source, event.assignee
    elif isinstance(event, TicketChangeRequestAdvanced):
        actor, action = event.actor, event.step
    return {"actor": actor, "action": action, "line": line, "assignee": assignee}


def _timer_view(
    clock: TicketClock, t: Timer, *, now: datetime, alarms: list[Any]
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
        "started_at": iso(t.started_at),
        "due_at": iso(t.due_at),
        "warning_at": [iso(w) for w in warning_instants(clock, t)],
        "ended_at": iso(t.ended_at),
        "reason": t.reason,
        "working_time_used_seconds": used.total_seconds(),
        "working_time_left_seconds": left,
        "paused": [{"from": iso(p.start), "to": iso(p.end), "reason": p.reason} for p in t.pauses],
        "alarms": [
            {
                "kind": a.kind,
                "percent": a.percent,
                "fire_at": iso(a.fire_at),
                "fired_at": iso(a.fired_at),
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
    stored = clock.to_dict()
    return {
        **{key: stored[key] for key in _TICKET_FIELDS},
        "schedule": clock.schedule.kind.value,
        "excluded_reason": exclusion(clock),
        # Shown under any policy; under "confirmation" it is when critical resolution began.
        "critical_resolution_starts": clock.policy.critical_resolution_starts.value,
        "phone_confirmed_at": iso(clock.confirmed_at),
        "as_of": iso(now),
        "timers": [_timer_view(clock, t, now=now, alarms=alarms) for t in clock.timers],
        "events": [
            {
                "seq": seq,
                "event_id": str(f.event_id),
                "type": f.type,
                "occurred_at": iso(f.occurred_at),
                **_event_summary(f.event),
            }
            for seq, f in history
        ],
    }
