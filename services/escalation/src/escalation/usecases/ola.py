"""Use cases of the lines' own response targets (OLA): start, meet, fire when due.

Started when intake reports a move to line 2 or 3, met when the line responds (the
escalation is acknowledged, or the ticket is taken or assigned after the move), warned
and breached by the scheduler (``escalation.scheduler``, the shared durable poller
running :func:`ola_jobs`): it locks due targets, skipping those another replica holds,
and stamps them in the transaction that writes their events to the outbox, so each
fires once across replicas and restarts. The customer's SLA clock is untouched: an OLA
is internal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from escalation.domain.decisions import TicketView
from escalation.domain.model import OlaStage, OlaTarget
from escalation.domain.ola import ola_recipients, plan_ola
from escalation.metrics import count_ola
from escalation.uow import UnitOfWork
from escalation.usecases.raising import contract_of, policy_for
from shared.events.base import new_id
from shared.events.escalations import OlaBreached, OlaWarning


async def start_ola(
    uow: UnitOfWork,
    ticket: TicketView,
    *,
    line: int,
    at: datetime,
    escalation_id: UUID | None,
) -> bool:
    """Give ``line`` its response target for the ticket; False when none applies or exists."""
    if line < 2:
        return False  # no contract lookup for line 1: it has no OLA
    policy = policy_for(await contract_of(uow, ticket, at))
    plan = plan_ola(policy, ticket, line=line, at=at)
    if plan is None:
        return False
    target = OlaTarget(
        id=new_id(),
        ticket_id=ticket.ticket_id,
        line=line,
        escalation_id=escalation_id,
        started_at=at,
        warning_at=plan.warning_at,
        warning_percent=plan.warning_percent,
        due_at=plan.due_at,
    )
    if not await uow.olas.add(target):
        return False
    uow.stored_due(plan.first_instant)  # the scheduler hears of it after the commit
    return True


async def meet_ola(
    uow: UnitOfWork, ticket_id: UUID, *, at: datetime, line: int | None = None
) -> int:
    """The line responded: stop its open target (every open one of the ticket if no line)."""
    return await uow.olas.meet(ticket_id, at=at, line=line)


class OlaStageJob:
    """The poller's job for one stage: claim due targets, write their events, stamp them.

    ``shared.poller.DurablePoller`` runs it in one transaction per pass; the claim skips
    rows another replica holds, so each fires once across replicas and restarts.
    """

    def __init__(self, stage: OlaStage, *, plans_next: bool = False) -> None:
        self.stage = stage
        # Only the job that runs last asks for the next instant: it sees both stamps.
        self._plans_next = plans_next

    async def claim(self, uow: UnitOfWork, *, now: datetime, limit: int) -> list[OlaTarget]:
        """Lock the targets whose stage is due."""
        return await uow.olas.claim_due(self.stage, now, limit=limit)

    async def act(self, uow: UnitOfWork, rows: Sequence[OlaTarget], *, now: datetime) -> None:
        """Write ``ola.warning`` or ``ola.breached`` to the line's lead and duty; stamp."""
        for target in rows:
            await uow.outbox.publish(
                await _ola_event(uow, target, self.stage, now=now),
                subject=str(target.ticket_id),
            )
            await uow.olas.stamp(target.id, self.stage, now)

    async def next_due(self, uow: UnitOfWork, *, now: datetime) -> datetime | None:
        """The earliest warning or breach still to fire (None: nothing, or not this job's)."""
        return await uow.olas.next_instant() if self._plans_next else None

    async def after(self, rows: Sequence[OlaTarget], *, now: datetime) -> None:
        """Count what committed (the relay publishes the events)."""
        count_ola(self.stage, rows)


# Warnings first: a target whose warning and breach are both due warns, then breaches.
def ola_jobs() -> list[OlaStageJob]:
    """The OLA scheduler's jobs, in the order each pass runs them."""
    return [OlaStageJob("warning"), OlaStageJob("breach", plans_next=True)]


async def _ola_event(
    uow: UnitOfWork, target: OlaTarget, stage: OlaStage, *, now: datetime
) -> OlaWarning | OlaBreached:
    told = ola_recipients(await uow.staff.line_people(target.line, now))
    if stage == "warning":
        return OlaWarning(
            ticket_id=target.ticket_id,
            line=target.line,
            escalation_id=target.escalation_id,
            due_at=target.due_at,
            recipients=told,
            percent=target.warning_percent,
        )
    return OlaBreached(
        ticket_id=target.ticket_id,
        line=target.line,
        escalation_id=target.escalation_id,
        due_at=target.due_at,
        recipients=told,
    )


async def next_instant(uow: UnitOfWork) -> datetime | None:
    """The earliest warning or breach instant still to fire (None: nothing open)."""
    async with uow:
        return await uow.olas.next_instant()
