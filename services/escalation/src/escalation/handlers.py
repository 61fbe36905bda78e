"""Inbound-event handlers of escalation: its read models, alarms, manual moves, OLAs.

Ticket, timer, contract and contact events keep escalation's own read models, so a
decision needs no HTTP call. Every handler runs in the consumer's transaction with
the inbox record, so a redelivered event changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from escalation import service
from escalation.adapters.uow import EscalationUnitOfWork
from escalation.domain.decisions import Alarm, manual_decision
from escalation.ola import meet_ola, start_ola
from shared.clock import Clock
from shared.escalation_policy import EscalationPolicy
from shared.events import topics
from shared.events.base import Envelope, EventData
from shared.events.contracts import ContactChanged, ContractChanged
from shared.events.sla import (
    TimerBreached,
    TimerMet,
    TimerPaused,
    TimerRecomputed,
    TimerResumed,
    TimerScheduled,
    TimerStopped,
    TimerWarning,
)
from shared.events.tickets import (
    TicketAssigned,
    TicketCreated,
    TicketEscalated,
    TicketSeverityChanged,
    TicketStatusChanged,
    TicketTierChanged,
)
from shared.logging import get_logger
from shared.messaging.consumer import Handler

TOPICS = [topics.TICKETS, topics.SLA, topics.CONTRACTS]
log = get_logger(__name__)


def _at(envelope: Envelope, occurred: datetime | None) -> datetime:
    return occurred or envelope.time


def _schedule(event: TicketCreated | TicketTierChanged) -> dict[str, Any] | None:
    """The ticket's working schedule from the policy snapshot it carries (OLAs count on it)."""
    if event.policy is None:
        return None
    found = event.policy.schedules.get(event.tier)
    return None if found is None else found.as_dict()


async def on_ticket(envelope: Envelope, uow: EscalationUnitOfWork) -> None:
    """Keep the ticket's status, tier, severity, line and assignee; OLAs meet on a response."""
    event = envelope.typed()
    repo = uow.repo
    if isinstance(event, TicketCreated):
        await repo.upsert_ticket(
            event.ticket_id,
            customer_id=event.customer_id,
            registration_number=event.registration_number,
            tier=event.tier,
            severity=event.severity,
            status=event.status or "new",
            schedule=_schedule(event),
        )
    elif isinstance(event, TicketStatusChanged):
        await repo.upsert_ticket(event.ticket_id, status=event.to_status, assignee=event.assignee)
        if event.action == "take" or event.assignee:
            await meet_ola(uow, event.ticket_id, at=_at(envelope, event.occurred_at))
    elif isinstance(event, TicketAssigned):
        await repo.upsert_ticket(event.ticket_id, assignee=event.assignee, status=event.status)
        if event.source != "escalation":  # handing it to the duty engineer is no response
            await meet_ola(uow, event.ticket_id, at=_at(envelope, event.occurred_at))
    elif isinstance(event, TicketSeverityChanged):
        await repo.upsert_ticket(event.ticket_id, severity=event.severity, tier=event.tier)
    elif isinstance(event, TicketTierChanged):
        await repo.upsert_ticket(
            event.ticket_id, tier=event.tier, severity=event.severity, schedule=_schedule(event)
        )


async def on_ticket_escalated(envelope: Envelope, uow: EscalationUnitOfWork) -> None:
    """A move to another line: an agent's gets its escalation.raised; the line gets its OLA.

    A move intake made on an ``escalation.raised`` (``source="escalation"``) is already
    an escalation: raising again would loop.
    """
    event = envelope.payload(TicketEscalated)
    repo = uow.repo
    at = _at(envelope, event.occurred_at)
    await repo.lock_ticket(event.ticket_id)
    await repo.upsert_ticket(event.ticket_id, line=event.line, customer_id=event.customer_id)
    ticket = await repo.ticket(event.ticket_id)
    assert ticket is not None
    escalation_id = None
    if event.source != "escalation":
        contract = (
            await repo.contract_for(ticket.customer_id, ticket.tier, at)
            if ticket.customer_id
            else None
        )
        escalation_id = await service.raise_escalation(
            uow,
            ticket=ticket,
            decision=manual_decision(
                repo.ticket_view(ticket),
                from_line=event.previous_line or 1,
                to_line=event.line,
                now=at,
            ),
            key=f"manual:{envelope.id}",
            trigger="manual",
            now=at,
            reason=event.reason,
            contract=contract,
        )
    await start_ola(uow, ticket, line=event.line, at=at, escalation_id=escalation_id)


async def on_timer(envelope: Envelope, uow: EscalationUnitOfWork) -> None:
    """Keep each timer's state and due instant: the current SLA state alarms are checked on."""
    event = envelope.typed()
    state: str | None
    due: Any = ...
    if isinstance(event, TimerScheduled):
        state, due = ("running" if event.due_at else "no_target"), event.due_at
    elif isinstance(event, TimerResumed):
        state, due = "running", event.due_at
    elif isinstance(event, TimerRecomputed):
        state, due = None, event.due_at
    elif isinstance(event, TimerPaused):
        state = "paused"
    elif isinstance(event, TimerMet):
        state = "met"
    elif isinstance(event, TimerStopped):
        state = "stopped"
    else:
        return
    assert event is not None
    await uow.repo.set_timer(
        event.ticket_id,
        event.timer,
        state=event.state or state,
        due_at=due,
        timer_id=event.timer_id,
        # A severity or tier change reaches the timers first.
        ticket={"tier": event.tier, "severity": event.severity},
    )


def make_alarm_handler(clock: Clock) -> Handler:
    """``sla.timer.warning`` / ``sla.timer.breached``: raise if still current, once."""

    async def on_alarm(envelope: Envelope, uow: EscalationUnitOfWork) -> None:
        event = envelope.typed()
        if isinstance(event, TimerWarning):
            trigger, percent = "warning", event.percent
        elif isinstance(event, TimerBreached):
            trigger, percent = "breach", None
        else:
            return
        alarm = Alarm(
            ticket_id=event.ticket_id,
            timer=event.timer,
            trigger=trigger,
            due_at=event.due_at,
            percent=percent,
            timer_id=event.timer_id,
            customer_id=event.customer_id,
            tier=event.tier,
            severity=event.severity,
        )
        await service.on_alarm(uow, alarm, now=clock.now())

    on_alarm.__qualname__ = "on_alarm"
    return on_alarm


async def on_contract(envelope: Envelope, uow: EscalationUnitOfWork) -> None:
    """Keep the contract's dedicated people and its own escalation policy (versioned)."""
    event = envelope.payload(ContractChanged)
    contract = event.contract
    customer = event.customer_id or contract.get("customer_id")
    if not contract.get("id") or customer is None:
        return
    customer_id = UUID(str(customer))
    await uow.repo.upsert_contract(contract, customer_id)
    doc = contract.get("escalation_policy")
    if doc:
        try:
            policy = EscalationPolicy.model_validate(doc)
        except ValueError:
            log.warning("contract carries an invalid escalation policy", contract=contract["id"])
            return
        await uow.repo.save_policy(
            policy.version, UUID(str(contract["id"])), policy.model_dump(mode="json")
        )


async def on_contact(envelope: Envelope, uow: EscalationUnitOfWork) -> None:
    """Keep the customer's contacts (with their addresses)."""
    event = envelope.payload(ContactChanged)
    customer = event.customer_id or event.contact.get("customer_id")
    if event.contact.get("id") and customer is not None:
        await uow.repo.upsert_contact(event.contact, UUID(str(customer)))


def make_handlers(clock: Clock) -> Mapping[str, Sequence[Handler]]:
    """The registry the consumer dispatches on: only the types escalation acts on.

    Every other type on its topics (``sla.timer.unchanged``, comments, ...) is
    skipped by the consumer before any database work.
    """
    alarm = make_alarm_handler(clock)
    timer_types: list[type[EventData]] = [
        TimerScheduled,
        TimerResumed,
        TimerRecomputed,
        TimerPaused,
        TimerMet,
        TimerStopped,
    ]
    ticket_types: list[type[EventData]] = [
        TicketCreated,
        TicketStatusChanged,
        TicketAssigned,
        TicketSeverityChanged,
        TicketTierChanged,
    ]
    handlers: dict[str, list[Handler]] = {
        **{t.TYPE: [on_timer] for t in timer_types},
        **{t.TYPE: [on_ticket] for t in ticket_types},
        TicketEscalated.TYPE: [on_ticket_escalated],
        TimerWarning.TYPE: [alarm],
        TimerBreached.TYPE: [alarm],
        ContractChanged.TYPE: [on_contract],
        ContactChanged.TYPE: [on_contact],
    }
    return handlers
