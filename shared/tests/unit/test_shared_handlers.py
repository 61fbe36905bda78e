"""The typed handler registry: dispatch by payload class, stable inbox names."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from shared.db import UnitOfWork
from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised
from shared.events.sla import TimerEventData, TimerMet, TimerPaused
from shared.events.tickets import TicketEventData
from shared.messaging.consumer import _name
from shared.messaging.handlers import HandlerRegistry

pytestmark = pytest.mark.asyncio(loop_scope="session")

seen: list[tuple[str, Any]] = []


class FakeUow(UnitOfWork):
    """Never opened: the handlers here only record what they were given."""

    def __init__(self) -> None:
        pass


async def on_raised(event: EscalationRaised, envelope: Envelope, uow: FakeUow) -> None:
    seen.append(("raised", event))


async def on_timer(event: TimerEventData, envelope: Envelope, uow: FakeUow) -> None:
    seen.append(("timer", event))


def _envelope(data: Any) -> Envelope:
    return Envelope.wrap(data, source="t", subject=str(uuid.uuid4()))


class StrictRaised(EscalationRaised):
    """The same type, as a service that needs a ``reason`` reads it."""

    reason: str


class TestRegistry:
    async def test_a_handler_gets_the_validated_payload_its_envelope_and_the_uow(self) -> None:
        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        registry.add(EscalationRaised, on_raised)
        event = EscalationRaised(ticket_id=uuid.uuid4(), level=2, trigger="t")
        envelope = _envelope(event)
        seen.clear()

        [handler] = registry[EscalationRaised.TYPE]
        await handler(envelope, FakeUow())

        assert seen == [("raised", event)]
        assert type(seen[0][1]) is EscalationRaised

    async def test_one_function_on_several_payloads_keeps_one_inbox_name(self) -> None:
        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        registry.on(TimerPaused, TimerMet)(on_timer)

        names = {_name(h) for t in (TimerPaused.TYPE, TimerMet.TYPE) for h in registry[t]}

        assert names == {f"{__name__}.on_timer"}  # what the inbox knew before the registry
        assert sorted(registry) == sorted([TimerPaused.TYPE, TimerMet.TYPE])

    async def test_the_inbox_name_can_be_kept_for_a_renamed_function(self) -> None:
        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        registry.add(EscalationRaised, on_raised, name="svc.handlers.apply_escalation")

        assert [_name(h) for h in registry[EscalationRaised.TYPE]] == [
            "svc.handlers.apply_escalation"
        ]

    async def test_a_stricter_payload_class_refuses_what_it_needs(self) -> None:
        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        registry.add(StrictRaised, on_raised)
        envelope = _envelope(EscalationRaised(ticket_id=uuid.uuid4(), level=1, trigger="t"))

        [handler] = registry[EscalationRaised.TYPE]  # filed under the type it inherits
        with pytest.raises(ValidationError, match="reason"):
            await handler(envelope, FakeUow())

    async def test_an_unregistered_type_is_not_there(self) -> None:
        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        registry.add(EscalationRaised, on_raised)

        assert registry.get("sla.timer.met", ()) == ()
        assert "sla.timer.met" not in registry
        assert registry
        assert not HandlerRegistry()

    async def test_a_payload_without_a_type_is_refused_at_registration(self) -> None:
        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        with pytest.raises(TypeError, match="no event type"):
            registry.add(TimerEventData, on_timer)

    async def test_a_family_takes_every_type_of_its_prefix_known_or_not(self) -> None:
        got: list[TicketEventData] = []

        async def on_any_ticket(event: TicketEventData, envelope: Envelope, uow: FakeUow) -> None:
            got.append(event)

        def parse(envelope: Envelope) -> TicketEventData:
            return TicketEventData.model_validate({"ticket_id": envelope.subject, **envelope.data})

        registry: HandlerRegistry[FakeUow] = HandlerRegistry()
        registry.add_family("ticket.", parse, on_any_ticket)
        ticket = uuid.uuid4()
        future = Envelope(type="ticket.teleported", source="t", subject=str(ticket), data={})

        [handler] = registry["ticket.teleported"]
        await handler(future, FakeUow())

        assert got[0].ticket_id == ticket
        assert "ticket.created" in list(registry)  # known types of the family are listed
        with pytest.raises(KeyError):
            registry["sla.timer.met"]


class TestTimerView:
    """The one projection of timer events (intake's summary, escalation's timers)."""

    async def test_the_state_the_event_carries_wins_and_no_due_means_no_target(self) -> None:
        from shared.events.sla import TimerRecomputed, TimerScheduled, timer_view

        ticket, now = uuid.uuid4(), datetime.now(UTC)
        scheduled = TimerScheduled(
            ticket_id=ticket, timer="response", due_at=None, started_at=now, state="running"
        )
        assert timer_view(scheduled) == {
            "state": "no_target",
            "due_at": None,
            "target": None,
            "paused_at": None,
        }
        moved = TimerRecomputed(
            ticket_id=ticket, timer="response", due_at=now, previous_due_at=None, state="paused"
        )
        assert timer_view(moved) == {"state": "paused", "due_at": now, "target": None}
        old = TimerRecomputed(ticket_id=ticket, timer="response", due_at=now, previous_due_at=None)
        assert "state" not in (timer_view(old) or {})  # published before events carried it

    async def test_alarms_leave_the_state_and_unknown_events_change_nothing(self) -> None:
        from shared.events.sla import TimerBreached, TimerUnchanged, timer_view

        ticket, now = uuid.uuid4(), datetime.now(UTC)
        breach = TimerBreached(ticket_id=ticket, timer="resolution", due_at=now, state="running")
        assert timer_view(breach) == {"breached": True, "breached_at": now}
        assert timer_view(TimerUnchanged(ticket_id=ticket, timer="response")) is None
