"""Escalation's use cases: raise on a current alarm, on a manual move, on an OLA breach.

Every raise goes through :func:`raise_escalation`: it stores the escalation under its
dedupe key (one alarm, one escalation, whatever is replayed) and publishes
``escalation.raised`` through the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from uuid import UUID

from escalation.adapters.repository import EscalationRepository
from escalation.adapters.uow import EscalationUnitOfWork
from escalation.domain.decisions import (
    Alarm,
    Decision,
    People,
    TicketView,
    decide,
    is_current,
    recipients,
)
from shared.escalation_policy import EscalationPolicy, default_policy
from shared.events.base import new_id
from shared.events.escalations import EscalationRaised, Recipient
from shared.logging import get_logger

log = get_logger(__name__)
_DEFAULT_POLICY = default_policy()  # frozen: built once


def staff_recipient(row: Any, role: str) -> Recipient:
    return Recipient(
        role=role,
        name=row.name,
        email=row.email,
        chat_id=row.chat_id,
        phone=row.phone,
        language=row.language,
        staff_id=row.id,
    )


async def _dedicated(repo: EscalationRepository, person: Any, role: str) -> list[Recipient]:
    """A contract's dedicated person: ``{staff_id}`` reference or ``{name, email}``."""
    if not isinstance(person, dict):
        return []
    if person.get("staff_id"):
        rows = await repo.staff_by_ids([UUID(str(person["staff_id"]))])
        return [staff_recipient(r, role) for r in rows]
    if person.get("email"):
        return [
            Recipient(
                role=role,
                name=person.get("name"),
                email=person["email"],
                language=person.get("language") or "ru",
            )
        ]
    return []


def policy_of(contract: Any) -> EscalationPolicy:
    """The contract's own escalation policy, else the default."""
    doc = contract.escalation_policy if contract is not None else None
    if doc:
        try:
            return EscalationPolicy.model_validate(doc)
        except ValueError:
            log.warning("contract escalation policy invalid; using default")
    return _DEFAULT_POLICY


async def people_for(
    repo: EscalationRepository,
    ticket: Any,
    contract: Any,
    *,
    audiences: Collection[str],
    line: int,
    now: datetime,
) -> People:
    """Look up the people a decision names (and only those), for the acting line, at ``now``."""
    found: dict[str, list[Recipient]] = {}
    if "line_lead" in audiences or "on_duty" in audiences:
        for row in await repo.line_people(line, now):
            found.setdefault(row.kind, []).append(staff_recipient(row, row.kind))
    if "assignee" in audiences and ticket.assignee:
        rows = await repo.staff_matching(ticket.assignee)
        found["assignee"] = [staff_recipient(r, "assignee") for r in rows]
    for role in ("dedicated_engineer", "dedicated_manager"):
        if role in audiences and contract is not None:
            found[role] = await _dedicated(repo, getattr(contract, role), role)
    if "contacts" in audiences and ticket.customer_id:
        found["contacts"] = [
            Recipient(
                role="contacts",
                name=c.name,
                email=c.email,
                chat_id=c.chat_id,
                phone=c.phone,
                language=c.language,
                contact_id=c.contact_id,
            )
            for c in await repo.contacts(ticket.customer_id)
        ]
    return People(**found)


async def raise_escalation(
    uow: EscalationUnitOfWork,
    *,
    ticket: Any,
    decision: Decision,
    key: str,
    trigger: str,
    now: datetime,
    timer: str | None = None,
    percent: int | None = None,
    reason: str | None = None,
    policy_version: str | None = None,
    contract: Any = None,
) -> UUID | None:
    """Store and publish one escalation; None when its key was already raised."""
    repo = uow.repo
    people = await people_for(
        repo, ticket, contract, audiences=decision.audiences, line=decision.line, now=now
    )
    told = recipients(decision.audiences, people)
    event = EscalationRaised(
        ticket_id=ticket.ticket_id,
        level=decision.line,
        trigger=trigger,
        timer=timer,
        notify=[r.role for r in told],
        line=decision.to_line,
        escalation_id=new_id(),
        customer_id=ticket.customer_id,
        registration_number=ticket.registration_number,
        severity=ticket.severity,
        tier=ticket.tier,
        from_line=decision.from_line,
        to_line=decision.to_line,
        percent=percent,
        out_of_hours=decision.out_of_hours,
        assign_to=people.on_duty[0].staff_id
        if decision.assign_on_duty and people.on_duty
        else None,
        recipients=told,
        reason=reason,
        raised_at=now,
    )
    if not await repo.insert_escalation(**_stored(event, key=key, policy_version=policy_version)):
        log.info("escalation already raised", key=key)
        return None
    if decision.to_line:
        await repo.upsert_ticket(ticket.ticket_id, line=decision.to_line)
    await uow.outbox.publish(event, subject=str(ticket.ticket_id))
    return event.escalation_id


def _stored(event: EscalationRaised, *, key: str, policy_version: str | None) -> dict[str, Any]:
    """The escalation table's row of one decision."""
    return {
        "id": event.escalation_id,
        "dedupe_key": key,
        "ticket_id": event.ticket_id,
        "customer_id": event.customer_id,
        "trigger": event.trigger,
        "timer": event.timer,
        "percent": event.percent,
        "from_line": event.from_line,
        "to_line": event.to_line,
        "out_of_hours": bool(event.out_of_hours),
        "assign_to": event.assign_to,
        "recipients": [r.model_dump(mode="json") for r in event.recipients],
        "reason": event.reason,
        "policy_version": policy_version,
        "raised_at": event.raised_at,
    }


async def on_alarm(uow: EscalationUnitOfWork, alarm: Alarm, *, now: datetime) -> UUID | None:
    """Decide on the ticket's current SLA state and raise what the policy says."""
    repo = uow.repo
    await repo.lock_ticket(alarm.ticket_id)
    ticket = await repo.ticket(alarm.ticket_id)
    if ticket is None and alarm.tier:
        # The timer ran, so the ticket exists; its ticket.created (another topic) is late.
        await repo.upsert_ticket(
            alarm.ticket_id,
            customer_id=alarm.customer_id,
            tier=alarm.tier,
            severity=alarm.severity,
            status="new",
        )
        ticket = await repo.ticket(alarm.ticket_id)
    view = repo.ticket_view(ticket) if ticket is not None else None
    if ticket is None or not is_current(
        alarm, await repo.timer(alarm.ticket_id, alarm.timer), view
    ):
        log.info(
            "alarm not current; nothing raised", ticket_id=str(alarm.ticket_id), timer=alarm.timer
        )
        return None
    assert view is not None
    contract = (
        await repo.contract_for(ticket.customer_id, ticket.tier, now)
        if ticket.customer_id
        else None
    )
    policy = policy_of(contract)
    decision = decide(policy, view, alarm, now=now)
    if decision is None:
        return None
    return await raise_escalation(
        uow,
        ticket=ticket,
        decision=decision,
        key=alarm.key,
        trigger=f"sla.timer.{'breached' if alarm.trigger == 'breach' else 'warning'}",
        now=now,
        timer=alarm.timer,
        percent=alarm.percent,
        policy_version=policy.version,
        contract=contract,
    )


def view_of(row: Any) -> TicketView:
    return EscalationRepository.ticket_view(row)
