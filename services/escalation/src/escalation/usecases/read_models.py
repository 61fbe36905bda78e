"""Use cases that keep escalation's read models from other services' events.

Tickets, timers, contracts and contacts are kept here so a decision needs no HTTP call;
each runs in the consumer's transaction with its inbox claim, so a redelivered event
changes nothing.
"""

from __future__ import annotations

from escalation.domain.commands import RecordTicket, RecordTimer
from escalation.domain.decisions import contract_policy
from escalation.domain.model import Contact, Contract
from escalation.uow import UnitOfWork
from escalation.usecases.ola import meet_ola
from shared.logging import get_logger

log = get_logger(__name__)


async def record_ticket(uow: UnitOfWork, cmd: RecordTicket) -> None:
    """Keep the ticket's facts; a response of the line meets its open targets."""
    await uow.tickets.record(cmd.ticket_id, cmd.facts)
    if cmd.responded_at is not None:
        await meet_ola(uow, cmd.ticket_id, at=cmd.responded_at)


async def record_timer(uow: UnitOfWork, cmd: RecordTimer) -> None:
    """Keep the timer's state and due instant: the current SLA state alarms are checked on."""
    await uow.timers.record(
        cmd.ticket_id, cmd.timer, change=cmd.change, timer_id=cmd.timer_id, ticket=cmd.ticket
    )


async def record_contract(uow: UnitOfWork, contract: Contract) -> None:
    """Keep the contract's dedicated people and its own escalation policy (every version)."""
    await uow.contracts.record(contract)
    if not contract.escalation_policy:
        return
    policy = contract_policy(contract.escalation_policy)
    if policy is None:
        log.warning(
            "contract carries an invalid escalation policy", contract=str(contract.contract_id)
        )
        return
    await uow.contracts.save_policy(
        contract.contract_id, policy.version, policy.model_dump(mode="json")
    )


async def record_contact(uow: UnitOfWork, contact: Contact) -> None:
    """Keep the customer's contact with its addresses."""
    await uow.contacts.record(contact)
