"""Inbound-event handlers of sla-clock and the registry the consumer dispatches on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from shared.events import topics
from shared.events.base import EVENT_TYPES, Envelope
from shared.messaging.consumer import Handler
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.timers import HANDLED_TYPES, TicketFact, parse_instant
from sla_clock.service import apply_ticket_event

TOPICS = [topics.TICKETS]


def fact_from(envelope: Envelope) -> TicketFact:
    """Turn a ticket event into a fact: its instant is ``occurred_at``, else the envelope's."""
    data: dict[str, Any] = dict(envelope.data)
    data.setdefault("ticket_id", envelope.subject)  # the key is the ticket id
    occurred = data.get("occurred_at")
    return TicketFact(
        event_id=envelope.id,
        type=envelope.type,
        occurred_at=parse_instant(occurred, "occurred_at") if occurred else envelope.time,
        data=data,
    )


class EveryTicketEvent(Mapping[str, Sequence[Handler]]):
    """The registry: one handler for every type on the tickets topic, known or not.

    sla-clock answers every ticket event (with timer events or ``sla.timer.unchanged``),
    including types added to ``support.tickets.v1`` after this build: the consumer
    looks a type up here, and any ``ticket.*`` type finds the handler. Iterating lists
    the ticket types this build knows.
    """

    PREFIX = "ticket."

    def __init__(self, handler: Handler) -> None:
        self._handlers: tuple[Handler, ...] = (handler,)
        known = {t for t, model in EVENT_TYPES.items() if model.TOPIC == topics.TICKETS}
        self._known = sorted(known | HANDLED_TYPES)

    def __getitem__(self, event_type: str) -> Sequence[Handler]:
        if event_type.startswith(self.PREFIX):
            return self._handlers
        raise KeyError(event_type)

    def __iter__(self) -> Iterator[str]:
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known)


def make_handlers(*, warning_percents: Sequence[int]) -> Mapping[str, Sequence[Handler]]:
    """Build the registry: every ticket event goes to one handler, which answers it."""
    percents = tuple(warning_percents)

    async def on_ticket_event(envelope: Envelope, uow: SlaUnitOfWork) -> None:
        """Advance the ticket's clocks and answer with its timer events."""
        await apply_ticket_event(uow, fact_from(envelope), percents=percents)

    on_ticket_event.__qualname__ = "on_ticket_event"
    return EveryTicketEvent(on_ticket_event)
