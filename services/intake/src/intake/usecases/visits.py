"""Use cases of on-site visits (premium, business): request, list, and the workflow's steps.

The rules are ``domain.visits``'s. Each stage is announced as the ticket's event, in
order with the ticket's other events, so the ticket is locked while a visit moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from intake.domain.actors import Actor
from intake.domain.visits import Visit, VisitStep, advance_visit, request_visit, visit_event
from intake.uow import UnitOfWork
from intake.usecases.common import Entitlements, customer_of, locked, verify_contact
from intake.usecases.premium import tiers_with
from shared.errors import Conflict, NotFound
from shared.events.base import new_id
from shared.events.vocabulary import Feature


@dataclass(frozen=True, kw_only=True)
class RequestVisit:
    """A customer's or an agent's request for an engineer on site."""

    ticket_id: UUID
    actor: Actor
    address: str
    wished_date: date
    within_ring_road: bool


@dataclass(frozen=True, kw_only=True)
class AdvanceVisit:
    """One step of a visit's workflow (``visits.VISIT_MOVES``)."""

    ticket_id: UUID
    visit_id: UUID
    step: VisitStep
    actor: Actor
    scheduled_at: datetime | None = None
    engineer: str | None = None
    time_spent: timedelta | None = None
    reason: str | None = None


async def request(
    cmd: RequestVisit,
    *,
    uow: UnitOfWork,
    entitlements: Entitlements,
    now: datetime,
    scope: UUID | None = None,
) -> Visit:
    """Request a visit on an open ticket of a tier that includes them."""
    customer_id = await customer_of(uow, cmd.ticket_id, scope)
    await verify_contact(cmd.actor, customer_id=customer_id, entitlements=entitlements)
    tiers = await tiers_with(entitlements, Feature.on_site_visit)
    async with uow:
        ticket = await locked(uow, cmd.ticket_id)
        if ticket.is_final:
            raise Conflict(
                f"Ticket {ticket.registration_number} is {ticket.status}; open a new ticket "
                "for a visit.",
                slug="ticket-final",
            )
        visit = request_visit(
            visit_id=new_id(),
            ticket_id=ticket.id,
            tier=ticket.tier,
            tiers_with_feature=tiers,
            address=cmd.address,
            wished_date=cmd.wished_date,
            within_ring_road=cmd.within_ring_road,
            today=now.date(),
        )
        await uow.visits.add(visit)
        ticket.record_service_event(
            visit_event(visit, customer_id=customer_id, by=cmd.actor.label), now=now
        )
        await uow.tickets.save(ticket)
        await uow.commit()
    return visit


async def advance(
    cmd: AdvanceVisit,
    *,
    uow: UnitOfWork,
    entitlements: Entitlements,
    now: datetime,
    scope: UUID | None = None,
) -> Visit:
    """Schedule, complete or cancel a visit; the table says who may and from where."""
    customer_id = await customer_of(uow, cmd.ticket_id, scope)
    await verify_contact(cmd.actor, customer_id=customer_id, entitlements=entitlements)
    async with uow:
        ticket = await locked(uow, cmd.ticket_id)
        found = await uow.visits.get(cmd.ticket_id, cmd.visit_id)
        if found is None:
            raise _no_visit(cmd.ticket_id, cmd.visit_id)
        visit = advance_visit(
            found,
            cmd.step,
            actor=cmd.actor.kind,
            now=now,
            scheduled_at=cmd.scheduled_at,
            engineer=cmd.engineer,
            time_spent=cmd.time_spent,
            reason=cmd.reason,
        )
        await uow.visits.save(visit)
        ticket.record_service_event(
            visit_event(visit, customer_id=customer_id, by=cmd.actor.label), now=now
        )
        await uow.tickets.save(ticket)
        await uow.commit()
    return visit


async def of_ticket(ticket_id: UUID, *, uow: UnitOfWork, scope: UUID | None = None) -> list[Visit]:
    """The ticket's visits, oldest first."""
    await customer_of(uow, ticket_id, scope)
    async with uow:
        return await uow.visits.of_ticket(ticket_id)


def _no_visit(ticket_id: UUID, visit_id: UUID) -> NotFound:
    return NotFound(
        f"No visit {visit_id} on ticket {ticket_id}; list them with "
        f"GET /api/v1/tickets/{ticket_id}/visits.",
        slug="no-visit",
    )
