"""Use case: intake moved a ticket to another support line."""

from __future__ import annotations

from uuid import UUID

from escalation.domain.commands import MoveTicket
from escalation.domain.decisions import manual_decision
from escalation.domain.model import TicketFacts
from escalation.uow import UnitOfWork
from escalation.usecases.ola import start_ola
from escalation.usecases.raising import Raise, contract_of, raise_escalation

MANUAL = "manual"


def is_agents_move(source: str | None) -> bool:
    """An agent's move; a move intake made on an ``escalation.raised`` is already one.

    Raising again for escalation's own move would loop.
    """
    return source != "escalation"


async def on_ticket_moved(uow: UnitOfWork, cmd: MoveTicket) -> UUID | None:
    """An agent's move gets its ``escalation.raised``; the new line gets its OLA."""
    await uow.tickets.lock(cmd.ticket_id)
    await uow.tickets.record(cmd.ticket_id, TicketFacts(line=cmd.line, customer_id=cmd.customer_id))
    ticket = await uow.tickets.get(cmd.ticket_id)
    assert ticket is not None, "recorded just above"
    escalation_id = None
    if is_agents_move(cmd.source):
        decision = manual_decision(
            ticket, from_line=cmd.previous_line or 1, to_line=cmd.line, now=cmd.at
        )
        escalation_id = await raise_escalation(
            uow,
            Raise(
                ticket=ticket,
                decision=decision,
                key=f"{MANUAL}:{cmd.event_id}",
                trigger=MANUAL,
                reason=cmd.reason,
                contract=await contract_of(uow, ticket, cmd.at),
            ),
            now=cmd.at,
        )
    await start_ola(uow, ticket, line=cmd.line, at=cmd.at, escalation_id=escalation_id)
    return escalation_id
