"""Inbound-event handlers of sla-clock and the registry the consumer dispatches on."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from shared.events import topics
from shared.events.base import Envelope, EventData
from shared.events.policy import PolicyDocument
from shared.events.tickets import TicketCreated, TicketEventData
from shared.messaging.handlers import HandlerRegistry
from shared.worktime.worktime import to_utc
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import TicketFact
from sla_clock.service import apply_ticket_event, record_ticket_events

TOPICS = [topics.TICKETS]
TICKET_TYPES = "ticket."  # every type on the tickets topic starts so


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
        # The consumer validated it as TicketCreated already; with a policy that is all
        # the clock needs, and the (large) policy document is not validated again.
        # Without one, ClockedTicketCreated refuses it, naming ``policy``.
        created = _checked(envelope)
        if isinstance(created, TicketCreated) and created.policy is not None:
            return created
        return ClockedTicketCreated.model_validate(data)
    typed = envelope.typed()  # the consumer validated it already: this reuses its check
    if isinstance(typed, TicketEventData):
        return typed
    return TicketEventData.model_validate(data)


def _checked(envelope: Envelope) -> EventData | None:
    """The payload as the consumer validated it, or None if it does not validate."""
    try:
        return envelope.typed()
    except ValidationError:
        return None


def fact_from(envelope: Envelope, event: TicketEventData) -> TicketFact:
    """Turn a ticket event into a fact: its instant is ``occurred_at``, else the envelope's."""
    occurred = event.occurred_at
    return TicketFact(
        event_id=envelope.id,
        type=envelope.type,
        occurred_at=to_utc(occurred, "occurred_at") if occurred else envelope.time,
        event=event,
    )


async def on_ticket_event(event: TicketEventData, envelope: Envelope, uow: SlaUnitOfWork) -> None:
    """Advance the ticket's clocks and answer with its timer events."""
    await apply_ticket_event(uow, fact_from(envelope, event))


async def on_ticket_events(
    events: Sequence[tuple[TicketEventData, Envelope]], uow: SlaUnitOfWork
) -> None:
    """The handler's batch step: a poll's events recorded, their tickets' clocks read."""
    await record_ticket_events(uow, [fact_from(envelope, event) for event, envelope in events])


def make_handlers() -> HandlerRegistry[SlaUnitOfWork]:
    """The registry: every ``ticket.*`` type, known to this build or added after it, goes to
    one handler, which answers it (with timer events or ``sla.timer.unchanged``)."""
    registry: HandlerRegistry[SlaUnitOfWork] = HandlerRegistry()
    registry.add_family(TICKET_TYPES, ticket_event, on_ticket_event, prepare=on_ticket_events)
    return registry
