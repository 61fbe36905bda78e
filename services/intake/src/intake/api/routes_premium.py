"""Routes of the premium services on a ticket: remote access, phone confirmation, on-site visits."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from intake.api import mapping
from intake.api.deps import (
    Agent,
    Channel_,
    ConfigDep,
    EntitlementsDep,
    NowDep,
    OwnTicket,
    UowDep,
    actor_of,
    agent_of,
)
from intake.api.schemas import TicketRead
from intake.api.schemas_premium import (
    AlertDecisionRead,
    AlertmanagerResult,
    PhoneConfirmationCreate,
    RemoteAccessSet,
    VisitCreate,
    VisitRead,
    VisitStepCreate,
)
from intake.domain.alerts import AlertmanagerPayload
from intake.domain.visits import Visit, allowed_visit_steps
from intake.usecases import alerts, premium, visits
from shared.errors import Unprocessable

router = APIRouter(tags=["premium"])


@router.post("/tickets/{ticket_id}/remote-access")
async def set_remote_access(
    ticket_id: UUID,
    body: RemoteAccessSet,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
) -> TicketRead:
    """Record whether the desk can reach the customer's system remotely."""
    ticket = await premium.set_remote_access(
        ticket_id,
        body.available,
        actor=actor_of(who, body.actor),
        uow=uow,
        entitlements=entitlements,
        scope=who.customer_scope,
    )
    return mapping.ticket_read(ticket)


@router.post("/tickets/{ticket_id}/phone-confirmation")
async def record_phone_confirmation(
    ticket_id: UUID, body: PhoneConfirmationCreate, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Record who confirmed a critical ticket by phone, and when (once)."""
    ticket = await premium.record_phone_confirmation(
        ticket_id,
        confirmed_by=body.confirmed_by,
        confirmed_at=body.confirmed_at,
        actor=agent_of(who),
        uow=uow,
        now=now,
    )
    return mapping.ticket_read(ticket)


def _visit_read(visit: Visit) -> VisitRead:
    minutes = None if visit.time_spent is None else int(visit.time_spent.total_seconds() // 60)
    return VisitRead(
        visit_id=visit.visit_id,
        ticket_id=visit.ticket_id,
        address=visit.address,
        wished_date=visit.wished_date,
        status=str(visit.status),
        scheduled_at=visit.scheduled_at,
        engineer=visit.engineer,
        time_spent_minutes=minutes,
        done_at=visit.done_at,
        cancel_reason=visit.cancel_reason,
        allowed_steps=allowed_visit_steps(visit.status),
    )


@router.post("/tickets/{ticket_id}/visits", status_code=201)
async def request_visit(
    ticket_id: UUID,
    body: VisitCreate,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> VisitRead:
    """Ask for an engineer on site, within the Moscow ring road (premium, business)."""
    cmd = visits.RequestVisit(
        ticket_id=ticket_id,
        actor=actor_of(who, body.actor),
        address=body.address,
        wished_date=body.wished_date,
        within_ring_road=body.within_ring_road,
    )
    visit = await visits.request(
        cmd, uow=uow, entitlements=entitlements, now=now, scope=who.customer_scope
    )
    return _visit_read(visit)


@router.get("/tickets/{ticket_id}/visits")
async def list_visits(ticket_id: UUID, uow: UowDep, who: OwnTicket) -> list[VisitRead]:
    """The ticket's on-site visits, oldest first, with the steps possible now."""
    found = await visits.of_ticket(ticket_id, uow=uow, scope=who.customer_scope)
    return [_visit_read(v) for v in found]


@router.post("/tickets/{ticket_id}/visits/{visit_id}/steps")
async def advance_visit(
    ticket_id: UUID,
    visit_id: UUID,
    body: VisitStepCreate,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> VisitRead:
    """Schedule (or reschedule), complete or cancel a visit; the workflow checks who may."""
    cmd = visits.AdvanceVisit(
        ticket_id=ticket_id,
        visit_id=visit_id,
        step=body.step,
        actor=actor_of(who, body.actor),
        scheduled_at=body.scheduled_at,
        engineer=body.engineer,
        time_spent=body.time_spent,
        reason=body.reason,
    )
    visit = await visits.advance(
        cmd, uow=uow, entitlements=entitlements, now=now, scope=who.customer_scope
    )
    return _visit_read(visit)


@router.post("/intake/alertmanager")
async def alertmanager(
    body: AlertmanagerPayload,
    uow: UowDep,
    who: Channel_,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
    customer_id: UUID | None = None,
) -> AlertmanagerResult:
    """Alertmanager's webhook (v4): firing alerts open or add to tickets, resolved ones comment."""
    if who.customer_scope is not None:
        if customer_id is not None:
            who.scope(customer_id, what="customer")
        customer_id = who.customer_scope
    if customer_id is None:
        raise Unprocessable(
            "A key not bound to a customer names it with ?customer_id=.", slug="customer-required"
        )
    outcomes = await alerts.receive(
        body, customer_id=customer_id, uow=uow, entitlements=entitlements, config=config, now=now
    )
    return AlertmanagerResult(
        decisions=[
            AlertDecisionRead(
                fingerprint=o.decision.fingerprint,
                action=str(o.decision.action),
                ticket_id=o.ticket.id if o.ticket else None,
                registration_number=o.ticket.registration_number if o.ticket else None,
                severity=str(o.ticket.severity) if o.ticket and o.decision.severity else None,
                reason=o.decision.reason,
            )
            for o in outcomes
        ]
    )
