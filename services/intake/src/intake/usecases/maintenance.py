"""Use case: a scheduled maintenance occurrence opens its service-request ticket, exactly once.

Entitlement announces ``maintenance.occurrence_opened`` once per occurrence, but a broker
redelivers and a scheduler may race; the occurrence key is stored as the ticket's unique
source, so a second delivery finds the ticket and opens nothing.
"""

from __future__ import annotations

from datetime import datetime

from intake.domain.admission import Terms, admit, format_number
from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.domain.ticket import Ticket
from intake.uow import UnitOfWork
from shared.events.base import new_id
from shared.events.premium import MaintenanceOccurrenceOpened
from shared.events.vocabulary import Channel, Severity, TicketType

_SUBJECT_MAX = 500


def _command(event: MaintenanceOccurrenceOpened) -> OpenTicket:
    when = event.scheduled_at.isoformat()
    moved = (
        ""
        if event.scheduled_at == event.original_at
        else (f" (moved from {event.original_at.isoformat()})")
    )
    return OpenTicket(
        contact_email="",
        subject=event.what[:_SUBJECT_MAX],
        description=(
            f"Scheduled maintenance: {event.what}.\nScheduled at {when}{moved}.\n"
            f"Occurrence {event.occurrence_key}."
        ),
        severity=Severity.medium,
        type=TicketType.service_request,
        channel=Channel.api,
    )


async def open_occurrence(
    event: MaintenanceOccurrenceOpened,
    *,
    terms: Terms,
    uow: UnitOfWork,
    config: IntakeConfig,
    now: datetime,
) -> Ticket | None:
    """Open the occurrence's ticket in the consumer's transaction; None when its key did already.

    The caller (the consumer, with its inbox claim) owns the transaction and commits it.
    This use case once opened a transaction of its own on the same unit of work: that
    replaced the consumer's session, which was left open with its claims and row locks
    until the garbage collector closed it, stalling the consumer for a minute and losing
    the effects of the other events of its batch.
    """
    await uow.tickets.lock_customer(terms.customer_id)
    if await uow.tickets.by_occurrence_key(event.occurrence_key) is not None:
        return None
    number = format_number(config.registration_prefix, now, await uow.tickets.next_number())
    ticket = admit(_command(event), terms=terms, ticket_id=new_id(), number=number, now=now)
    ticket.maintenance_occurrence_key = event.occurrence_key
    await uow.tickets.add(ticket)
    return ticket
