"""sla-clock's registry: every ticket.* type, known or not, to one handler and inbox name."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from shared.events.base import Envelope
from shared.messaging.handlers import inbox_name
from sla_clock.handlers import make_handlers, ticket_event


def test_every_ticket_type_goes_to_one_handler_under_its_old_inbox_name() -> None:
    registry = make_handlers()

    handlers = {
        h for t in ("ticket.created", "ticket.assigned", "ticket.teleported") for h in registry[t]
    }

    assert [inbox_name(h) for h in handlers] == ["sla_clock.handlers.on_ticket_event"]
    assert "sla.timer.met" not in registry


def test_a_created_ticket_without_its_policy_is_refused() -> None:
    ticket = uuid.uuid4()
    envelope = Envelope(
        type="ticket.created",
        source="intake",
        subject=str(ticket),
        data={"ticket_id": str(ticket), "registration_number": "TP-1"},
    )
    with pytest.raises(ValidationError, match="policy"):
        ticket_event(envelope)


def test_an_unknown_ticket_type_keeps_the_common_fields_and_its_subject() -> None:
    ticket = uuid.uuid4()
    envelope = Envelope(type="ticket.teleported", source="intake", subject=str(ticket), data={})

    assert ticket_event(envelope).ticket_id == ticket
