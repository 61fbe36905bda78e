"""Use cases: a change request's state, and one step of its workflow."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from intake.domain.commands import AdvanceChangeRequest
from intake.domain.ticket import Ticket
from intake.uow import UnitOfWork
from intake.usecases.common import Entitlements, change_locked, customer_of, verify_contact
from shared.errors import NotFound


async def get_change_request(
    ticket_id: UUID, uow: UnitOfWork, *, scope: UUID | None = None
) -> Ticket:
    """The ticket of a change request; NotFound for any other ticket."""
    await customer_of(uow, ticket_id, scope)
    async with uow:
        ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.cr_status is None:
        raise NotFound(
            f"No change request {ticket_id}; open one with POST /api/v1/tickets and "
            'type="change_request".',
            slug="no-change-request",
        )
    return ticket


async def advance_change_request(
    cmd: AdvanceChangeRequest,
    *,
    uow: UnitOfWork,
    entitlements: Entitlements,
    now: datetime,
    scope: UUID | None = None,
) -> Ticket:
    """Take one step of the change-request workflow; each step is one event."""
    customer_id = await customer_of(uow, cmd.ticket_id, scope)
    await verify_contact(cmd.actor, customer_id=customer_id, entitlements=entitlements)
    return await change_locked(
        uow,
        cmd.ticket_id,
        lambda t: t.advance_change_request(cmd.step, actor=cmd.actor, details=cmd.details, now=now),
    )
