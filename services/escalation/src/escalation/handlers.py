"""Inbound-event handlers of escalation: typed payloads in, use cases called.

Ticket, timer, contract and contact events keep escalation's read models; alarms and
moves raise escalations and start OLAs. Every handler runs in the consumer's
transaction with its inbox claim, so a redelivered event changes nothing. The inbox
knows a handler by ``module.qualname``: these names (``escalation.handlers.on_ticket``
...) are the claims already stored, so they stay as they are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from escalation.adapters.uow import EscalationUnitOfWork
from escalation.domain.commands import MoveTicket, RecordTicket, RecordTimer
from escalation.domain.decisions import Alarm
from escalation.domain.model import Contact, Contract, TicketFacts
from escalation.domain.ola import assignment_responds, status_change_responds
from escalation.domain.timers import timer_change
from escalation.uow import UnitOfWork
from escalation.usecases import alarms, moves, read_models
from shared.clock import Clock
from shared.events import topics
from shared.events.base import Envelope, EventData
from shared.events.contracts import ContactChanged, ContractChanged
from shared.events.sla import (
    TimerBreached,
    TimerEventData,
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
    TicketEventData,
    TicketSeverityChanged,
    TicketStatusChanged,
    TicketTierChanged,
)
from shared.messaging.handlers import HandlerRegistry

TOPICS = [topics.TICKETS, topics.SLA, topics.CONTRACTS]
E = TypeVar("E", bound=EventData)
# A handler as the registry files it (``shared.messaging.handlers.Handler``), on the
# unit-of-work protocol: the real unit of work and the unit tests' fake both satisfy it.
TypedHandler = Callable[[E, Envelope, UnitOfWork], Awaitable[None]]


def _schedule(event: TicketCreated | TicketTierChanged) -> dict[str, Any] | None:
    """The ticket's working schedule from the policy snapshot it carries (OLAs count on it)."""
    if event.policy is None:
        return None
    found = event.policy.schedules.get(event.tier)
    return None if found is None else found.as_dict()


def ticket_record(event: TicketEventData, envelope: Envelope) -> RecordTicket | None:
    """What a ticket event says of its ticket, and whether it is the line's response."""
    at = event.occurred_at or envelope.time
    if isinstance(event, TicketCreated):
        facts = TicketFacts(
            customer_id=event.customer_id,
            registration_number=event.registration_number,
            tier=event.tier,
            severity=event.severity,
            status=event.status or "new",
            schedule=_schedule(event),
        )
        return RecordTicket(event.ticket_id, facts)
    if isinstance(event, TicketStatusChanged):
        facts = TicketFacts(status=event.to_status, assignee=event.assignee)
        responded = status_change_responds(event.action, event.assignee)
        return RecordTicket(event.ticket_id, facts, at if responded else None)
    if isinstance(event, TicketAssigned):
        facts = TicketFacts(assignee=event.assignee, status=event.status)
        responded = assignment_responds(event.source)
        return RecordTicket(event.ticket_id, facts, at if responded else None)
    if isinstance(event, TicketSeverityChanged):
        return RecordTicket(event.ticket_id, TicketFacts(severity=event.severity, tier=event.tier))
    if isinstance(event, TicketTierChanged):
        facts = TicketFacts(tier=event.tier, severity=event.severity, schedule=_schedule(event))
        return RecordTicket(event.ticket_id, facts)
    return None


async def on_ticket(event: TicketEventData, envelope: Envelope, uow: UnitOfWork) -> None:
    """Keep the ticket's status, tier, severity, line and assignee; OLAs meet on a response."""
    cmd = ticket_record(event, envelope)
    if cmd is not None:
        await read_models.record_ticket(uow, cmd)


async def on_ticket_escalated(event: TicketEscalated, envelope: Envelope, uow: UnitOfWork) -> None:
    """A move to another line: an agent's gets its escalation.raised; the line gets its OLA."""
    await moves.on_ticket_moved(
        uow,
        MoveTicket(
            ticket_id=event.ticket_id,
            line=event.line,
            previous_line=event.previous_line,
            customer_id=event.customer_id,
            source=event.source,
            reason=event.reason,
            event_id=envelope.id,
            at=event.occurred_at or envelope.time,
        ),
    )


async def on_timer(event: TimerEventData, envelope: Envelope, uow: UnitOfWork) -> None:
    """Keep each timer's state and due instant: the current SLA state alarms are checked on."""
    change = timer_change(event)
    if change is None:
        return
    await read_models.record_timer(
        uow,
        RecordTimer(
            ticket_id=event.ticket_id,
            timer=event.timer,
            timer_id=event.timer_id,
            change=change,
            # A severity or tier change reaches the timers first.
            ticket=TicketFacts(tier=event.tier, severity=event.severity),
        ),
    )


def alarm_of(event: TimerWarning | TimerBreached) -> Alarm:
    """The alarm a ``sla.timer.warning`` or ``sla.timer.breached`` fires."""
    warning = isinstance(event, TimerWarning)
    return Alarm(
        ticket_id=event.ticket_id,
        timer=event.timer,
        trigger="warning" if warning else "breach",
        due_at=event.due_at,
        percent=event.percent if isinstance(event, TimerWarning) else None,
        timer_id=event.timer_id,
        customer_id=event.customer_id,
        tier=event.tier,
        severity=event.severity,
        target=event.target,
    )


def make_alarm_handler(clock: Clock) -> TypedHandler[TimerWarning | TimerBreached]:
    """``sla.timer.warning`` / ``sla.timer.breached``: raise if still current, once."""

    async def on_alarm(
        event: TimerWarning | TimerBreached, envelope: Envelope, uow: UnitOfWork
    ) -> None:
        await alarms.on_alarm(uow, alarm_of(event), now=clock.now())

    # The inbox knows it by its dotted path: keep the one it had as a module function.
    on_alarm.__qualname__ = "on_alarm"
    return on_alarm


def _customer(event_customer: UUID | None, document: Mapping[str, Any]) -> UUID | None:
    customer = event_customer or document.get("customer_id")
    return None if customer is None else UUID(str(customer))


async def on_contract(event: ContractChanged, envelope: Envelope, uow: UnitOfWork) -> None:
    """Keep the contract's dedicated people and its own escalation policy (versioned)."""
    customer_id = _customer(event.customer_id, event.contract)
    if event.contract.get("id") and customer_id is not None:
        await read_models.record_contract(uow, Contract.of(event.contract, customer_id))


async def on_contact(event: ContactChanged, envelope: Envelope, uow: UnitOfWork) -> None:
    """Keep the customer's contacts (with their addresses)."""
    customer_id = _customer(event.customer_id, event.contact)
    if event.contact.get("id") and customer_id is not None:
        await read_models.record_contact(uow, Contact.of(event.contact, customer_id))


def make_handlers(clock: Clock) -> HandlerRegistry[EscalationUnitOfWork]:
    """The registry the consumer dispatches on: only the types escalation acts on.

    Every other type on its topics (``sla.timer.unchanged``, comments, ...) is
    skipped by the consumer before any database work.
    """
    registry: HandlerRegistry[EscalationUnitOfWork] = HandlerRegistry()
    registry.on(TimerScheduled, TimerResumed, TimerRecomputed, TimerPaused, TimerMet, TimerStopped)(
        on_timer
    )
    registry.on(
        TicketCreated,
        TicketStatusChanged,
        TicketAssigned,
        TicketSeverityChanged,
        TicketTierChanged,
    )(on_ticket)
    registry.add(TicketEscalated, on_ticket_escalated)
    alarm = make_alarm_handler(clock)
    registry.add(TimerWarning, alarm)
    registry.add(TimerBreached, alarm)
    registry.add(ContractChanged, on_contract)
    registry.add(ContactChanged, on_contact)
    return registry
