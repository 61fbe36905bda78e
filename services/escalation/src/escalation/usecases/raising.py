"""Raise one escalation: look up the people a decision names, store it once, publish it.

Every raise (an SLA alarm, a manual move) goes through :func:`raise_escalation`: it
stores the escalation under its dedupe key (one alarm, one escalation, whatever is
replayed) and writes ``escalation.raised`` to the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from escalation.domain.decisions import Decision, People, TicketView, contract_policy, recipients
from escalation.domain.model import Contract, DedicatedPerson, Escalation, TicketFacts
from escalation.metrics import count_escalation
from escalation.uow import StaffRepository, UnitOfWork
from shared.escalation_policy import EscalationPolicy, default_policy
from shared.events.base import new_id
from shared.events.escalations import EscalationRaised, Recipient
from shared.logging import get_logger

log = get_logger(__name__)
_DEFAULT_POLICY = default_policy()  # frozen: built once


def policy_for(contract: Contract | None) -> EscalationPolicy:
    """The contract's own escalation policy, else the default."""
    document = contract.escalation_policy if contract is not None else None
    policy = contract_policy(document)
    if policy is None and document:
        log.warning("contract escalation policy invalid; using default")
    return policy or _DEFAULT_POLICY


async def contract_of(uow: UnitOfWork, ticket: TicketView, at: datetime) -> Contract | None:
    """The ticket's customer's contract in force at ``at`` (None for an unknown customer)."""
    if ticket.customer_id is None:
        return None
    return await uow.contracts.in_force(ticket.customer_id, ticket.tier, at)


async def _dedicated(staff: StaffRepository, document: object, role: str) -> list[Recipient]:
    """A contract's dedicated person: a staff member by reference, or a named address."""
    person = DedicatedPerson.of(document)
    if person is None:
        return []
    if person.staff_id is not None:
        return [m.recipient(role) for m in await staff.active_by_ids([person.staff_id])]
    if person.email:
        return [
            Recipient(role=role, name=person.name, email=person.email, language=person.language)
        ]
    return []


async def people_for(
    uow: UnitOfWork,
    ticket: TicketView,
    contract: Contract | None,
    *,
    audiences: Collection[str],
    line: int,
    now: datetime,
) -> People:
    """Look up the people a decision names (and only those), for the acting line, at ``now``."""
    found: dict[str, list[Recipient]] = {}
    if "line_lead" in audiences or "on_duty" in audiences:
        for kind, member in await uow.staff.line_people(line, now):
            found.setdefault(kind, []).append(member.recipient(kind))
    if "assignee" in audiences and ticket.assignee:
        found["assignee"] = [
            m.recipient("assignee") for m in await uow.staff.matching(ticket.assignee)
        ]
    if contract is not None:
        if "dedicated_engineer" in audiences:
            found["dedicated_engineer"] = await _dedicated(
                uow.staff, contract.dedicated_engineer, "dedicated_engineer"
            )
        if "dedicated_manager" in audiences:
            found["dedicated_manager"] = await _dedicated(
                uow.staff, contract.dedicated_manager, "dedicated_manager"
            )
    if "contacts" in audiences and ticket.customer_id:
        found["contacts"] = [
            c.recipient() for c in await uow.contacts.active_of(ticket.customer_id)
        ]
    return People(**found)


@dataclass(frozen=True)
class Raise:
    """One escalation to raise: the decision, its dedupe key and what it says of its cause."""

    ticket: TicketView
    decision: Decision
    key: str
    trigger: str
    timer: str | None = None
    percent: int | None = None
    reason: str | None = None
    policy_version: str | None = None
    contract: Contract | None = None
    remaining_minutes: int | None = None


def raised_event(what: Raise, people: People, *, now: datetime) -> EscalationRaised:
    """The ``escalation.raised`` of a decision, with everyone it tells."""
    decision, ticket = what.decision, what.ticket
    told = recipients(decision.audiences, people)
    assign_to = people.on_duty[0].staff_id if decision.assign_on_duty and people.on_duty else None
    return EscalationRaised(
        ticket_id=ticket.ticket_id,
        level=decision.line,
        trigger=what.trigger,
        timer=what.timer,
        notify=[r.role for r in told],
        line=decision.to_line,
        escalation_id=new_id(),
        customer_id=ticket.customer_id,
        registration_number=ticket.registration_number,
        severity=ticket.severity,
        tier=ticket.tier,
        from_line=decision.from_line,
        to_line=decision.to_line,
        percent=what.percent,
        out_of_hours=decision.out_of_hours,
        assign_to=assign_to,
        recipients=told,
        reason=what.reason,
        raised_at=now,
        remaining_minutes=what.remaining_minutes,
    )


def _stored(event: EscalationRaised, *, policy_version: str | None) -> Escalation:
    """The stored record of an ``escalation.raised``."""
    assert event.escalation_id is not None
    assert event.raised_at is not None
    return Escalation(
        id=event.escalation_id,
        ticket_id=event.ticket_id,
        customer_id=event.customer_id,
        trigger=event.trigger,
        timer=event.timer,
        percent=event.percent,
        from_line=event.from_line if event.from_line is not None else event.level,
        to_line=event.to_line,
        out_of_hours=bool(event.out_of_hours),
        assign_to=event.assign_to,
        recipients=[r.model_dump(mode="json") for r in event.recipients],
        reason=event.reason,
        policy_version=policy_version,
        raised_at=event.raised_at,
    )


async def raise_escalation(uow: UnitOfWork, what: Raise, *, now: datetime) -> UUID | None:
    """Store and publish one escalation; None when its key was already raised."""
    decision = what.decision
    people = await people_for(
        uow, what.ticket, what.contract, audiences=decision.audiences, line=decision.line, now=now
    )
    event = raised_event(what, people, now=now)
    stored = _stored(event, policy_version=what.policy_version)
    if not await uow.escalations.add(stored, key=what.key):
        log.info("escalation already raised", key=what.key)
        return None
    if decision.to_line:
        await uow.tickets.record(what.ticket.ticket_id, TicketFacts(line=decision.to_line))
    await uow.outbox.publish(event, subject=str(what.ticket.ticket_id))
    count_escalation(what.trigger, decision.line)
    return stored.id
