"""Inbound-event handlers of intake: the SLA read model, escalations to support lines, and
tier changes of a customer (entitlement's events) reaching its open tickets."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.domain.config import IntakeConfig
from intake.domain.ticket import TierTerms
from intake.usecases import lifecycle, maintenance, tier_change
from shared.events import topics
from shared.events.base import Envelope
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    ContractChanged,
    CustomerChanged,
    EntitlementState,
)
from shared.events.escalations import EscalationRaised
from shared.events.premium import MaintenanceOccurrenceOpened
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
    timer_view,
)
from shared.logging import get_logger
from shared.messaging.handlers import Handler, HandlerRegistry

TOPICS = [topics.SLA, topics.ESCALATIONS, topics.CONTRACTS]
log = get_logger(__name__)


async def apply_timer_event(
    event: TimerEventData, envelope: Envelope, uow: IntakeUnitOfWork
) -> None:
    """Keep each timer's state, due instant and breach flag (the ticket's SLA summary)."""
    values = timer_view(event)
    if values is not None:
        await uow.sla_summary.apply(
            ticket_id=event.ticket_id,
            timer=event.timer,
            values=values,
            event_type=envelope.type,
            at=envelope.time,
        )


async def apply_escalation(
    event: EscalationRaised, envelope: Envelope, uow: IntakeUnitOfWork
) -> None:
    """Move the ticket to the line the escalation service decided on (and assign on duty)."""
    assignee = next(
        (
            r.email or r.name
            for r in event.recipients
            if event.assign_to and r.staff_id == event.assign_to
        ),
        None,
    )
    if event.line is None and assignee is None:
        return
    changed = await lifecycle.escalate_from_event(
        uow,
        ticket_id=event.ticket_id,
        line=event.line,
        reason=f"{event.trigger} (level {event.level})",
        now=envelope.time,
        assignee=assignee,
    )
    if not changed:
        log.info("escalation not applied", ticket_id=str(event.ticket_id), line=event.line)


async def project_entitlement(
    event: EntitlementState, envelope: Envelope, uow: IntakeUnitOfWork
) -> None:
    """Keep entitlement's answer for the customer, and the contact, as the event states them.

    Admission answers from them without asking entitlement (adapters.entitlement). An
    event without ``entitlement_version`` (from an entitlement before it sent one) cannot
    be ordered against the others and changes nothing: checks of that customer keep
    going to entitlement until a versioned event arrives.
    """
    version, customer_id = event.entitlement_version, event.customer_id
    if version is None or customer_id is None:
        return
    await uow.entitlement_view.put_customer(
        customer_id,
        version=version,
        answer=event.entitlement,
        valid_until=event.entitlement_until,
        changed_at=envelope.time,
    )
    if isinstance(event, ContactChanged) and event.contact_id is not None:
        contact = event.contact
        await uow.entitlement_view.put_contact(
            event.contact_id,
            customer_id=customer_id,
            email=str(contact.get("email") or ""),
            chat_id=contact.get("chat_id") or None,
            active=bool(contact.get("active")),
            version=version,
        )


TierEvent = ContractChanged | CustomerChanged


def tier_change_handler(
    entitlements: Callable[[], EntitlementClient],
) -> Handler[TierEvent, IntakeUnitOfWork]:
    """Build the handler that moves open tickets up, asking entitlement for tier terms."""

    async def apply_tier_change(
        event: TierEvent, envelope: Envelope, uow: IntakeUnitOfWork
    ) -> None:
        """Move the customer's open tickets up when its effective tier rose (rules, section 4).

        An event without ``effective_policy`` (published before entitlement sent it) is not
        applied: intake would not know the new tier's targets. The new tier's priority and
        features are entitlement's, from its catalogue.
        """
        if isinstance(event, ContractChanged):
            tier, contract_id = event.effective_tier, event.contract_id
        else:
            tier, contract_id = event.tier, None
        if not tier or event.customer_id is None or event.effective_policy is None:
            return
        info = await entitlements().tier_info(tier)
        terms = TierTerms(
            policy=event.effective_policy,
            policy_version=event.effective_policy_version,
            features=info.features,
            cause=envelope.type,
            cause_id=envelope.id,
            contract_id=contract_id,
        )
        moved = await tier_change.raise_open_tickets(
            uow,
            customer_id=event.customer_id,
            tier=info.tier,
            priority=info.priority,
            terms=terms,
            now=envelope.time,
        )
        if moved:
            log.info("tickets moved to a higher tier", tier=tier, tickets=len(moved))

    # The inbox knows a handler by its dotted path: keep the one it had as a module function.
    apply_tier_change.__qualname__ = "apply_tier_change"
    return apply_tier_change


class _Occurrence(MaintenanceOccurrenceOpened):
    """The event as intake needs it: an occurrence without its customer cannot be opened."""

    customer_id: UUID


def maintenance_handler(
    entitlements: Callable[[], EntitlementClient], config: Callable[[], IntakeConfig]
) -> Handler[_Occurrence, IntakeUnitOfWork]:
    """Build the handler that opens a maintenance occurrence's ticket (once per key)."""

    async def apply_maintenance_occurrence(
        event: _Occurrence, envelope: Envelope, uow: IntakeUnitOfWork
    ) -> None:
        """A malformed event fails validation and is dead-lettered; a repeat opens nothing."""
        terms = await entitlements().for_customer(event.customer_id)
        opened = await maintenance.open_occurrence(
            event, terms=terms, uow=uow, config=config(), now=envelope.time
        )
        log.info(
            "maintenance occurrence",
            key=event.occurrence_key,
            ticket=str(opened.id) if opened else "already opened",
        )

    apply_maintenance_occurrence.__qualname__ = "apply_maintenance_occurrence"
    return apply_maintenance_occurrence


_TIMER_TYPES: list[type[TimerEventData]] = [
    TimerScheduled,
    TimerPaused,
    TimerResumed,
    TimerStopped,
    TimerMet,
    TimerRecomputed,
    TimerWarning,
    TimerBreached,
]


def build_handlers(
    entitlements: Callable[[], EntitlementClient],
    config: Callable[[], IntakeConfig] = IntakeConfig,
) -> HandlerRegistry[IntakeUnitOfWork]:
    """Intake's handlers by payload; ``entitlements`` gives the client once it is open."""
    registry: HandlerRegistry[IntakeUnitOfWork] = HandlerRegistry()
    for timer_type in _TIMER_TYPES:
        registry.add(timer_type, apply_timer_event)
    registry.add(EscalationRaised, apply_escalation)
    apply_tier_change = tier_change_handler(entitlements)
    registry.add(ContractChanged, apply_tier_change)
    registry.add(CustomerChanged, apply_tier_change)
    for state_type in (CustomerChanged, ContractChanged, ContactChanged, CalendarChanged):
        registry.add(state_type, project_entitlement)
    # A stricter model of maintenance.occurrence_opened: without its customer, dead-lettered.
    registry.add(_Occurrence, maintenance_handler(entitlements, config))
    return registry
