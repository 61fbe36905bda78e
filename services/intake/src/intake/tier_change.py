"""Use case: a customer's effective tier changed (entitlement's contract or customer event)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from intake.adapters.entitlement import TierInfo
from intake.adapters.orm import ticket
from intake.adapters.uow import IntakeUnitOfWork
from intake.domain.model import FINAL_STATUSES
from intake.domain.tiers import tier_move
from intake.service import _base, _lock_admission, _save
from shared.events.policy import PolicyDocument
from shared.events.tickets import TicketTierChanged
from shared.events.vocabulary import Severity


async def raise_open_tickets(
    uow: IntakeUnitOfWork,
    *,
    customer_id: UUID,
    tier: TierInfo,
    policy: PolicyDocument,
    policy_version: str | None,
    cause: str,
    cause_id: UUID,
    contract_id: UUID | None,
    now: datetime,
) -> list[UUID]:
    """Move the customer's tickets that are not closed up to ``tier``; return their ids.

    ``tier`` is entitlement's catalogue row of the new tier (its priority and features).

    Runs in the consumer's transaction, with its inbox claim: one ``ticket.tier_changed``
    per (ticket, entitlement event), even when the event is redelivered. A ticket already
    on ``tier`` or above is left alone, and so is every ticket when the tier went down.
    """
    await _lock_admission(uow, customer_id)  # not while a ticket of theirs is admitted
    rows = (
        await uow.session.execute(
            select(ticket)
            .where(
                ticket.c.customer_id == customer_id,
                ticket.c.status.not_in([str(s) for s in FINAL_STATUSES]),
            )
            .order_by(ticket.c.received_at, ticket.c.id)
            .with_for_update()
        )
    ).all()
    moved: list[UUID] = []
    for row in rows:
        move = tier_move(
            current_priority=row.tier_priority,
            new=tier.tier,
            new_priority=tier.priority,
            requested_severity=Severity(row.requested_severity),
            policy=policy,
        )
        if move is None:
            continue
        event = TicketTierChanged(
            **_base(row, row.status, now),
            tier=move.tier,
            previous_tier=row.tier,
            policy=policy,
            policy_version=policy_version,
            calendar_version=row.calendar_version,
            severity=move.severity,
            previous_severity=row.severity,
            severity_capped=move.severity_capped,
            tier_priority=move.priority,
            cause=cause,
            cause_id=cause_id,
            contract_id=contract_id,
        )
        values = {
            "tier": move.tier,
            "tier_priority": move.priority,
            "severity": move.severity,
            "severity_capped": move.severity_capped,
            "policy": policy.model_dump(mode="json"),
            "policy_version": policy_version or row.policy_version,
            "features": tier.features,
        }
        await _save(uow, row, values=values, events=[event], now=now)
        moved.append(row.id)
    return moved
