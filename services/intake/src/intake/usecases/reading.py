"""Use cases of the read side: one ticket, a page of tickets, the work queue, a count.

They read through ``adapters.queries`` (SQL over the ticket and its SLA read model) and
return tickets with their SLA summaries; routes map them to HTTP schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from intake.adapters import queries
from intake.adapters.repository import to_domain
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import SlaRead
from intake.domain.ticket import Ticket
from intake.usecases.common import no_ticket


@dataclass(frozen=True)
class TicketView:
    """A ticket with its SLA summary (sla-clock's timers as intake last heard of them)."""

    ticket: Ticket
    sla: SlaRead | None


@dataclass(frozen=True)
class TicketFilter:
    """Filters of ``GET /api/v1/tickets`` (comma-separated lists where plural)."""

    status: str | None = None
    customer_id: UUID | None = None
    tier: str | None = None
    severity: str | None = None
    assignee: str | None = None
    breached: bool | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = 50


@dataclass(frozen=True)
class QueueEntry:
    """A ticket in the agent work queue, with its nearest deadline."""

    ticket: Ticket
    next_due_at: datetime | None
    breached: bool


async def get_ticket(ticket_id: UUID, uow: IntakeUnitOfWork, *, scope: UUID | None) -> TicketView:
    """One ticket with its SLA summary, or NotFound (also for another customer's ticket)."""
    async with uow:
        found = await uow.tickets.get(ticket_id)
        if found is None or (scope is not None and found.customer_id != scope):
            raise no_ticket(ticket_id)
        sla = (await queries.sla_summaries(uow.session, [ticket_id]))[ticket_id]
    return TicketView(found, sla)


async def list_tickets(
    uow: IntakeUnitOfWork, filters: TicketFilter
) -> tuple[list[TicketView], str | None]:
    """One page of tickets, newest first, and the cursor of the next page."""
    async with uow:
        rows, cursor = await queries.list_tickets(
            uow.session,
            status=filters.status,
            customer_id=filters.customer_id,
            tier=filters.tier,
            severity=filters.severity,
            assignee=filters.assignee,
            breached=filters.breached,
            q=filters.q,
            cursor=filters.cursor,
            limit=filters.limit,
        )
        slas = await queries.sla_summaries(uow.session, [r.id for r in rows])
    return [TicketView(to_domain(r), slas[r.id]) for r in rows], cursor


async def work_queue(
    uow: IntakeUnitOfWork, *, assignee: str | None, customer_ids: list[UUID], limit: int
) -> list[QueueEntry]:
    """Open tickets in the order agents should take them."""
    async with uow:
        rows = await queries.work_queue(
            uow.session, assignee=assignee, customer_ids=customer_ids, limit=limit
        )
    return [QueueEntry(to_domain(r), r.next_due_at, bool(r.breached)) for r in rows]
