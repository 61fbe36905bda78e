"""Use cases of stored escalations: read them, and acknowledge one (its line's OLA is met)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from escalation.domain.commands import EscalationFilter
from escalation.domain.model import Escalation
from escalation.uow import UnitOfWork
from escalation.usecases.ola import meet_ola
from shared.errors import NotFound
from shared.events.escalations import EscalationAcknowledged


def _no_escalation(escalation_id: UUID) -> NotFound:
    return NotFound(f"No escalation {escalation_id}.", slug="unknown-escalation")


async def list_escalations(uow: UnitOfWork, where: EscalationFilter) -> list[Escalation]:
    """Escalations matching ``where``, newest first."""
    async with uow:
        return await uow.escalations.listed(where)


async def get_escalation(uow: UnitOfWork, escalation_id: UUID) -> Escalation:
    """One escalation; NotFound if there is none."""
    async with uow:
        found = await uow.escalations.get(escalation_id)
    if found is None:
        raise _no_escalation(escalation_id)
    return found


async def acknowledge(
    uow: UnitOfWork, escalation_id: UUID, *, by: str, now: datetime
) -> Escalation:
    """First acknowledgement wins; a repeat answers the stored one (idempotent)."""
    async with uow:
        found = await uow.escalations.get(escalation_id, for_update=True)
        if found is None:
            raise _no_escalation(escalation_id)
        if found.acknowledged_at is not None:
            return found
        acknowledged = await uow.escalations.acknowledge(escalation_id, by=by, at=now)
        await meet_ola(uow, acknowledged.ticket_id, at=now, line=acknowledged.line)
        await uow.outbox.publish(
            EscalationAcknowledged(
                ticket_id=acknowledged.ticket_id,
                escalation_id=escalation_id,
                acknowledged_by=by,
                acknowledged_at=now,
            ),
            subject=str(acknowledged.ticket_id),
        )
        await uow.commit()
    return acknowledged


async def ticket_escalations(
    uow: UnitOfWork, ticket_id: UUID, *, scope: UUID | None
) -> list[Escalation]:
    """A ticket's escalations, oldest first; NotFound for a ticket outside ``scope``."""
    async with uow:
        ticket = await uow.tickets.get(ticket_id)
        if scope is not None and (ticket is None or ticket.customer_id != scope):
            raise NotFound("No ticket with that id is visible to this key.", slug="unknown-ticket")
        return await uow.escalations.of_ticket(ticket_id)
