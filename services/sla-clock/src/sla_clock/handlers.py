"""Inbound-event handlers of sla-clock and the registry the consumer dispatches on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from shared.events import topics
from shared.events.base import EVENT_TYPES, Envelope
from shared.events.policy import PolicyDocument
from shared.events.tickets import TicketCreated, TicketEventData
from shared.messaging.consumer import Handler
from shared.worktime.worktime import to_utc
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import TicketFact
from sla_clock.domain.timers import HANDLED_TYPES
from sla_clock.service import apply_ticket_event

TOPICS = [topics.TICKETS]


class ClockedTicketCreated(TicketCreated):
    """``ticket.created`` as the clock needs it: with the policy it was admitted under.

    Intake always sends the snapshot entitlement gave it; without one the clock has no
    targets, so validating against this model makes the consumer dead-letter the event
    with a reason naming ``policy`` (docs/decisions.md).
    """

    policy: PolicyDocument


def ticket_event(envelope: Envelope) -> TicketEventData:
    """Parse a ticket event as its registered type; an unknown ``ticket.*`` type keeps
    the fields every ticket event carries."""
    data = {"ticket_id": envelope.subject, **envelope.data}  # the key is the ticket id
    if envelope.type == TicketCreated.TYPE:
        return ClockedTicketCreated.model_validate(data)
    typed = envelope.typed()  # the consumer validated it already: this reuses its check
    if isinstance(typed, TicketEventData):
        return typed
    return TicketEventData.model_validate(data)


def fact_from(envelope: Envelope) -> TicketFact:
    """Turn a ticket event into a fact: its instant is ``occurred_at``, else the envelope's."""
    event = ticket_event(envelope)
    occurred = event.occurred_at
    return TicketFact(
        event_id=envelope.id,
        type=envelope.type,
        occurred_at=to_utc(occurred, "occurred_at") if occurred else envelope.time,
        event=event,
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


def make_handlers() -> Mapping[str, Sequence[Handler]]:
    """Build the registry: every ticket event goes to one handler, which answers it."""

    async def on_ticket_event(envelope: Envelope, uow: SlaUnitOfWork) -> None:
        """Advance the ticket's clocks and answer with its timer events."""
        await apply_ticket_event(uow, fact_from(envelope))

    on_ticket_event.__qualname__ = "on_ticket_event"
    return EveryTicketEvent(on_ticket_event)
