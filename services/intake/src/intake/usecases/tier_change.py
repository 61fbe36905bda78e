"""Use case: a customer's effective tier changed (entitlement's contract or customer event)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from intake.domain.ticket import TierTerms
from intake.domain.tiers import tier_move
from intake.uow import UnitOfWork
from shared.events.vocabulary import Tier


async def raise_open_tickets(
    uow: UnitOfWork,
    *,
    customer_id: UUID,
    tier: Tier,
    priority: int,
    terms: TierTerms,
    now: datetime,
) -> list[UUID]:
    """Move the customer's tickets that are not closed up to ``tier``; return their ids.

    Runs in the consumer's transaction, with its inbox claim: one ``ticket.tier_changed``
    per (ticket, entitlement event), even when the event is redelivered. A ticket already
    on ``tier`` or above is left alone, and so is every ticket when the tier went down.
    ``priority`` and ``terms.features`` are entitlement's, from its catalogue.
    """
    await uow.tickets.lock_customer(customer_id)  # not while a ticket of theirs is admitted
    moved: list[UUID] = []
    for ticket in await uow.tickets.not_final_of(customer_id):
        move = tier_move(
            current_priority=ticket.tier_priority,
            new=tier,
            new_priority=priority,
            requested_severity=ticket.requested_severity,
            policy=terms.policy,
        )
        if move is None:
            continue
        ticket.move_tier(move, terms=terms, now=now)
        await uow.tickets.save(ticket)
        moved.append(ticket.id)
    return moved
