"""Use case: an SLA warning or breach, decided on the ticket's current state."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from escalation.domain.decisions import Alarm, decide, is_current
from escalation.domain.model import TicketFacts
from escalation.uow import UnitOfWork
from escalation.usecases.raising import Raise, contract_of, policy_for, raise_escalation
from shared.logging import get_logger

log = get_logger(__name__)


async def on_alarm(uow: UnitOfWork, alarm: Alarm, *, now: datetime) -> UUID | None:
    """Decide on the ticket's current SLA state and raise what the policy says (in the
    caller's transaction); None when nothing is raised."""
    await uow.tickets.lock(alarm.ticket_id)
    ticket = await uow.tickets.get(alarm.ticket_id)
    if ticket is None and alarm.tier:
        # The timer ran, so the ticket exists; its ticket.created (another topic) is late.
        await uow.tickets.record(
            alarm.ticket_id,
            TicketFacts(
                customer_id=alarm.customer_id,
                tier=alarm.tier,
                severity=alarm.severity,
                status="new",
            ),
        )
        ticket = await uow.tickets.get(alarm.ticket_id)
    if ticket is None or not is_current(
        alarm, await uow.timers.get(alarm.ticket_id, alarm.timer), ticket
    ):
        log.info(
            "alarm not current; nothing raised", ticket_id=str(alarm.ticket_id), timer=alarm.timer
        )
        return None
    contract = await contract_of(uow, ticket, now)
    policy = policy_for(contract)
    decision = decide(policy, ticket, alarm, now=now)
    if decision is None:
        return None
    return await raise_escalation(
        uow,
        Raise(
            ticket=ticket,
            decision=decision,
            key=alarm.key,
            trigger=alarm.trigger_name,
            timer=alarm.timer,
            percent=alarm.percent,
            remaining_minutes=alarm.remaining_minutes,
            policy_version=policy.version,
            contract=contract,
        ),
        now=now,
    )
