"""The explain use case: a live ticket's history replayed and explained (nothing stored)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.errors import NotFound
from shared.events.policy import PolicyDocument
from shared.events.tickets import TicketCreated
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import TicketFact
from sla_clock.domain.explain import explain, replay

__all__ = ["explain_ticket"]


def _under(fact: TicketFact, policy: PolicyDocument) -> TicketFact:
    """Return the registration fact as if the ticket had been admitted under ``policy``."""
    if not isinstance(fact.event, TicketCreated):
        return fact
    event = fact.event.model_copy(update={"policy": policy, "policy_version": policy.version})
    return replace(fact, event=event)


async def explain_ticket(
    uow: SlaUnitOfWork,
    ticket_id: UUID,
    *,
    now: datetime,
    customer_id: UUID | None = None,
    policy: PolicyDocument | None = None,
) -> dict[str, Any]:
    """Explain a ticket's deadlines from its stored history, under ``policy`` if given.

    A customer-bound caller asking about another customer's ticket gets the same 404 as
    for an unknown ticket.
    """
    current = await uow.sla.snapshot(ticket_id)
    if current is None or (customer_id is not None and current.clock.customer_id != customer_id):
        raise NotFound(
            f"No SLA timers for ticket {ticket_id}: check the id, or wait a moment if the "
            "ticket was just created.",
            slug="unknown-ticket",
        )
    facts = [fact for _, fact in await uow.sla.history(ticket_id)]
    if policy is not None:
        facts = [_under(f, policy) for f in facts]
    result = replay(facts)
    if result is None:
        raise NotFound(f"No SLA history for ticket {ticket_id}.", slug="unknown-ticket")
    body = explain(result, now=now)
    body["replayed_under"] = None if policy is None else policy.version
    return body
