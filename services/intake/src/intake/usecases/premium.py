"""Use cases of the premium services on a ticket: remote access, the phone confirmation, analysis.

The rules are ``domain.premium``'s; these fetch what they need (the tiers that include a
feature, from entitlement's catalogue) and store the outcome in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from intake.domain.actors import Actor
from intake.domain.commands import MoveTicket, OpenTicket
from intake.domain.lifecycle import Action
from intake.domain.premium import (
    REMOTE_ACCESS_REQUIRED,
    SUBTYPE_FEATURE,
    PhoneConfirmation,
    ServiceSubtype,
    check_analysis_resolution,
    check_subtype,
    wait_for_remote_access,
)
from intake.domain.ticket import Ticket, check_actor_is_agent
from intake.uow import UnitOfWork
from intake.usecases.common import Entitlements, customer_of, locked, verify_contact
from shared.errors import Unprocessable
from shared.events.vocabulary import Feature


async def tiers_with(entitlements: Entitlements, feature: Feature) -> list[str]:
    """The tiers that include ``feature`` now, highest first, as a refusal names them."""
    return [str(t) for t in await entitlements.tiers_with(str(feature))]


async def set_remote_access(
    ticket_id: UUID,
    available: bool,
    *,
    actor: Actor,
    uow: UnitOfWork,
    entitlements: Entitlements,
    scope: UUID | None = None,
) -> Ticket:
    """Record whether the desk can reach the customer's system remotely."""
    customer_id = await customer_of(uow, ticket_id, scope)
    await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    async with uow:
        ticket = await locked(uow, ticket_id)
        await uow.tickets.set_remote_access(ticket_id, available)
        await uow.commit()
    ticket.remote_access_available = available
    return ticket


async def remote_access_tiers(cmd: MoveTicket, entitlements: Entitlements) -> list[str] | None:
    """The tiers with remote access when ``cmd`` waits for it (None when it does not)."""
    if cmd.reason != REMOTE_ACCESS_REQUIRED:
        return None
    if cmd.action != Action.wait_for_customer:
        raise Unprocessable(
            f"The reason {REMOTE_ACCESS_REQUIRED} goes with the wait_for_customer action.",
            slug="remote-access-wait-action",
        )
    return await tiers_with(entitlements, Feature.remote_access)


def check_move(ticket: Ticket, cmd: MoveTicket, *, remote_tiers: list[str] | None) -> None:
    """The premium rules of a lifecycle move: the remote-access wait, the analysis report."""
    if remote_tiers is not None:
        wait_for_remote_access(
            status=ticket.status,
            ticket_type=ticket.type,
            severity=ticket.severity,
            remote_access_available=ticket.remote_access_available,
            tier=ticket.tier,
            tiers_with_feature=remote_tiers,
            actor=cmd.actor.kind,
            current_assignee=ticket.assignee,
        )
    if cmd.action == Action.resolve:
        subtype = ServiceSubtype(ticket.subtype) if ticket.subtype else None
        ticket.analysis_report = check_analysis_resolution(subtype=subtype, report=cmd.report)


async def record_phone_confirmation(
    ticket_id: UUID,
    *,
    confirmed_by: str,
    confirmed_at: datetime,
    actor: Actor,
    uow: UnitOfWork,
    now: datetime,
) -> Ticket:
    """Record who confirmed a critical ticket by phone and when; the same one again is a replay."""
    check_actor_is_agent(actor, "record phone confirmations")
    confirmation = PhoneConfirmation(confirmed_by.strip(), confirmed_at, actor.label)
    async with uow:
        ticket = await locked(uow, ticket_id)
        if ticket.record_phone_confirmation(confirmation, now=now):
            await uow.tickets.save(ticket)
            await uow.commit()
    return ticket


async def check_subtype_of(cmd: OpenTicket, tier: str, entitlements: Entitlements) -> None:
    """A subtype only on a service request, for a tier with its feature (before any transaction)."""
    subtype = ServiceSubtype(cmd.subtype or "")
    check_subtype(
        ticket_type=cmd.type,
        subtype=subtype,
        tier=tier,
        tiers_with_feature=await tiers_with(entitlements, SUBTYPE_FEATURE[subtype]),
    )
