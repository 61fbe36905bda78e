"""Use cases: move a ticket through its lifecycle, and what agents record on the way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from intake.domain.actors import Actor, ActorKind
from intake.domain.admission import check_open_limit
from intake.domain.commands import MoveTicket
from intake.domain.config import IntakeConfig
from intake.domain.lifecycle import Action
from intake.domain.ticket import Ticket, check_actor_is_agent
from intake.uow import UnitOfWork
from intake.usecases import premium
from intake.usecases.common import (
    Entitlements,
    change_locked,
    customer_of,
    locked,
    open_if_limited,
    verify_contact,
)
from shared.events.base import new_id
from shared.events.vocabulary import Severity, TicketStatus
from shared.poller import DueJob

_AUTO_CLOSE = Actor(kind=ActorKind.system, name="auto-close")


async def change_status(
    cmd: MoveTicket,
    *,
    uow: UnitOfWork,
    entitlements: Entitlements,
    config: IntakeConfig,
    now: datetime,
    scope: UUID | None = None,
) -> Ticket:
    """Move the ticket through its lifecycle; a reopening counts against the open limit."""
    customer_id = await customer_of(uow, cmd.ticket_id, scope)
    terms = await verify_contact(cmd.actor, customer_id=customer_id, entitlements=entitlements)
    remote_tiers = await premium.remote_access_tiers(cmd, entitlements)
    async with uow:
        reopening = cmd.action == Action.reopen and terms is not None
        if reopening:
            # Reopening makes a ticket open again: it counts against the limit like a new one.
            await uow.tickets.lock_customer(customer_id)
        ticket = await locked(uow, cmd.ticket_id)
        if reopening and terms is not None and ticket.status == TicketStatus.resolved:
            check_open_limit(
                terms,
                await open_if_limited(uow, terms),
                doing=f", so {ticket.registration_number} cannot be reopened now",
                advice=(
                    "resolve or close the open ticket first, or confirm "
                    f"{ticket.registration_number} and open a new ticket when the limit allows."
                ),
            )
        premium.check_move(ticket, cmd, remote_tiers=remote_tiers)
        ticket.move(
            cmd.action,
            actor=cmd.actor,
            now=now,
            config=config,
            assignee=cmd.assignee,
            reason=cmd.reason,
        )
        await uow.tickets.save(ticket)
        await uow.commit()
    return ticket


async def assign(
    ticket_id: UUID, assignee: str, *, actor: Actor, uow: UnitOfWork, now: datetime
) -> Ticket:
    """Hand an open ticket to another engineer."""
    check_actor_is_agent(actor, "assign tickets")
    return await change_locked(uow, ticket_id, lambda t: t.assign(assignee, now=now))


async def record_corrective_action(
    ticket_id: UUID, *, kind: str, summary: str, actor: Actor, uow: UnitOfWork, now: datetime
) -> Ticket:
    """Record a solution, workaround or action plan: the resolution target is met."""
    check_actor_is_agent(actor, "record corrective actions")
    return await change_locked(
        uow, ticket_id, lambda t: t.record_corrective_action(kind, summary, actor=actor, now=now)
    )


async def change_severity(
    ticket_id: UUID,
    severity: Severity,
    *,
    actor: Actor,
    uow: UnitOfWork,
    entitlements: Entitlements,
    now: datetime,
    scope: UUID | None = None,
) -> Ticket:
    """Lower (customer or agent) or raise (agent only) the severity of an open ticket."""
    customer_id = await customer_of(uow, ticket_id, scope)
    await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    return await change_locked(
        uow, ticket_id, lambda t: t.change_severity(severity, actor=actor, now=now)
    )


async def mark_hardware_fault(
    ticket_id: UUID,
    *,
    reason: str,
    recommendations: str | None,
    actor: Actor,
    uow: UnitOfWork,
    now: datetime,
) -> Ticket:
    """Mark the fault as the customer's hardware: SLA clocks stop, recommendations follow."""
    check_actor_is_agent(actor, "mark a hardware fault")
    async with uow:
        ticket = await locked(uow, ticket_id)
        ticket.mark_hardware_fault(reason, now=now)
        if recommendations:
            note = ticket.comment(
                new_id(),
                body=recommendations,
                public=True,
                actor=actor,
                author=actor.name,
                channel="api",
                attachments=[],
                now=now,
            )
            await uow.comments.add(note)
        await uow.tickets.save(ticket)
        await uow.commit()
    return ticket


async def escalate(
    ticket_id: UUID,
    *,
    line: int,
    reason: str | None,
    actor: Actor,
    uow: UnitOfWork,
    now: datetime,
) -> Ticket:
    """Hand the ticket to support line 2 or 3 (an agent's decision)."""
    check_actor_is_agent(actor, "escalate tickets")
    return await change_locked(
        uow, ticket_id, lambda t: t.escalate(line, reason=reason, now=now, source="agent")
    )


async def escalate_from_event(
    uow: UnitOfWork,
    *,
    ticket_id: UUID,
    line: int | None,
    reason: str,
    now: datetime,
    assignee: str | None = None,
) -> bool:
    """Apply an escalation service decision in the consumer's transaction; True if it changed.

    The decision may move the ticket up a line and, where the policy says, hand a
    still-unassigned ticket to the engineer on duty (``assignee``).
    """
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if ticket is None:
        return False
    changed = ticket.apply_escalation_decision(line=line, assignee=assignee, reason=reason, now=now)
    await uow.tickets.save(ticket)
    return changed


class AutoClose(DueJob[UnitOfWork, Ticket]):
    """Resolved tickets whose agreed time passed without an objection: the durable job's rows.

    Run by ``shared.poller.DurablePoller`` (``app.auto_close_job``): the claim skips rows
    another replica holds, and the close commits with the claim, so each closes once.
    """

    async def claim(self, uow: UnitOfWork, *, now: datetime, limit: int) -> list[Ticket]:
        return await uow.tickets.due_for_auto_close(now, batch=limit)

    async def act(self, uow: UnitOfWork, rows: Sequence[Ticket], *, now: datetime) -> None:
        for ticket in rows:
            ticket.move(Action.auto_close, actor=_AUTO_CLOSE, now=now, config=IntakeConfig())
            await uow.tickets.save(ticket)

    async def next_due(self, uow: UnitOfWork, *, now: datetime) -> datetime | None:
        return await uow.tickets.next_auto_close()


async def auto_close_due(uow: UnitOfWork, *, now: datetime, batch: int = 50) -> int:
    """One batch of :class:`AutoClose` in one transaction; return how many closed."""
    job = AutoClose()
    async with uow:
        due = await job.claim(uow, now=now, limit=batch)
        await job.act(uow, due, now=now)
        await uow.commit()
    return len(due)
