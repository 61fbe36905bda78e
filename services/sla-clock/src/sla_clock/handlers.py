"""Inbound-event handlers of sla-clock and the registry the consumer dispatches on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.events import topics
from shared.events.base import Envelope
from shared.messaging.consumer import Handler
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.timers import HANDLED_TYPES, TicketFact, parse_instant
from sla_clock.service import apply_ticket_event

TOPICS = [topics.TICKETS]


def fact_from(envelope: Envelope) -> TicketFact:
    """Turn a ticket event into a fact: its instant is ``occurred_at``, else the envelope's."""
    data: dict[str, Any] = dict(envelope.data)
    occurred = data.get("occurred_at")
    return TicketFact(
        event_id=envelope.id,
        type=envelope.type,
        occurred_at=parse_instant(occurred, "occurred_at") if occurred else envelope.time,
        data=data,
    )


def make_handlers(*, warning_percents: Sequence[int]) -> Mapping[str, Sequence[Handler]]:
    """Build the registry: every timer-moving ticket event goes to one handler."""
    percents = tuple(warning_percents)

    async def on_ticket_event(envelope: Envelope, uow: SlaUnitOfWork) -> None:
        """Advance the ticket's clocks and answer with its timer events."""
        await apply_ticket_event(uow, fact_from(envelope), percents=percents)

    on_ticket_event.__qualname__ = "on_ticket_event"
    return {event_type: [on_ticket_event] for event_type in sorted(HANDLED_TYPES)}
