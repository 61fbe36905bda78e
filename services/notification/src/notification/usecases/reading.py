"""Use cases of the API's reads: the delivery log, each delivery with its attempts."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from notification.domain.delivery import Attempt, Delivery
from notification.uow import DeliveryFilter, NotificationUnitOfWork
from shared.errors import NotFound


@dataclass(frozen=True)
class Logged:
    """A delivery and every attempt at it, oldest first."""

    delivery: Delivery
    attempts: list[Attempt]


async def deliveries(
    uow: NotificationUnitOfWork, where: DeliveryFilter, *, limit: int
) -> list[Logged]:
    """Deliveries matching ``where``, oldest first, each with its attempts."""
    rows = await uow.deliveries.find(where, limit=limit)
    attempts = await uow.deliveries.attempts_of([r.id for r in rows])
    return [Logged(r, attempts.get(r.id, [])) for r in rows]


async def ticket_owner(uow: NotificationUnitOfWork, ticket_id: UUID) -> UUID | None:
    """The customer of a ticket notification knows; NotFound for one it does not."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound(f"Notification knows no ticket {ticket_id}.", slug="unknown-ticket")
    return ticket.customer_id
