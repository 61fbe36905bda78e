"""Use case: an Alertmanager notification opens, adds to, or comments on monitoring tickets.

The rules are ``domain.alerts``'s: one decision per fingerprint, given the open ticket
for it. The customer is locked for the whole notification, and a partial unique index
on ``(customer_id, alert_fingerprint)`` of open tickets backs it, so two notifications
of one alert never open two tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from intake.domain.actors import Actor, ActorKind
from intake.domain.alerts import (
    DEFAULT_SEVERITY_LABEL,
    AlertAction,
    AlertDecision,
    AlertmanagerAlert,
    AlertmanagerPayload,
    alert_event,
    decide_all,
    fingerprints,
)
from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.domain.premium import require_feature
from intake.domain.ticket import Ticket
from intake.uow import UnitOfWork
from intake.usecases.admission import admit_in_tx
from intake.usecases.common import CustomerTerms, Entitlements, locked
from intake.usecases.premium import tiers_with
from shared.events.base import new_id
from shared.events.vocabulary import Channel, Feature, Severity, TicketType

_MONITORING = Actor(kind=ActorKind.system, name="alertmanager")
_SUBJECT_MAX = 500


@dataclass(frozen=True)
class AlertOutcome:
    """What one alert did, and the ticket it did it on (none when ignored)."""

    decision: AlertDecision
    ticket: Ticket | None


async def receive(
    payload: AlertmanagerPayload,
    *,
    customer_id: UUID,
    uow: UnitOfWork,
    entitlements: Entitlements,
    config: IntakeConfig,
    now: datetime,
) -> list[AlertOutcome]:
    """Decide and apply every alert of a notification in one transaction (premium only)."""
    terms = await entitlements.for_customer(customer_id)
    feature = Feature.customer_resource_access_monitoring
    require_feature(
        feature, tier=terms.tier, tiers_with_feature=await tiers_with(entitlements, feature)
    )
    alerts = {a.fingerprint: a for a in reversed(payload.alerts)}  # the first one of each
    async with uow:
        await uow.tickets.lock_customer(customer_id)
        open_tickets = await uow.tickets.open_by_fingerprint(customer_id, fingerprints(payload))
        decisions = decide_all(
            payload,
            open_tickets=open_tickets,
            mapping=terms.alert_severity_map,
            label=terms.alert_severity_label or DEFAULT_SEVERITY_LABEL,
        )
        outcomes = []
        for decision in decisions:
            alert = alerts[decision.fingerprint]
            ticket = await _apply(uow, decision, alert, payload, terms, config=config, now=now)
            outcomes.append(AlertOutcome(decision, ticket))
        await uow.commit()
    return outcomes


async def _apply(
    uow: UnitOfWork,
    decision: AlertDecision,
    alert: AlertmanagerAlert,
    payload: AlertmanagerPayload,
    terms: CustomerTerms,
    *,
    config: IntakeConfig,
    now: datetime,
) -> Ticket | None:
    if decision.action is AlertAction.ignore:
        return None
    if decision.action is AlertAction.open_ticket:
        ticket = await _open(uow, decision, terms, config=config, now=now)
    else:
        assert decision.ticket_id is not None
        ticket = await locked(uow, decision.ticket_id)
        note = ticket.comment(
            new_id(),
            body=decision.text,
            public=True,
            actor=_MONITORING,
            author=_MONITORING.name,
            channel=None,
            attachments=[],
            now=now,
        )
        await uow.comments.add(note)
    event = alert_event(
        decision, alert, payload=payload, ticket_id=ticket.id, customer_id=terms.customer_id
    )
    ticket.record_service_event(event, now=now)
    await uow.tickets.save(ticket)
    return ticket


async def _open(
    uow: UnitOfWork,
    decision: AlertDecision,
    terms: CustomerTerms,
    *,
    config: IntakeConfig,
    now: datetime,
) -> Ticket:
    """An incident for a firing alert; its policy caps the severity as for any ticket."""
    cmd = OpenTicket(
        contact_email="",
        subject=decision.subject[:_SUBJECT_MAX],
        description=decision.text,
        severity=decision.severity or Severity.medium,
        type=TicketType.incident,
        channel=Channel.api,
    )
    admitted = await admit_in_tx(uow, cmd, terms=terms, config=config, now=now)
    ticket = admitted.ticket
    ticket.alert_fingerprint = decision.fingerprint
    return ticket
