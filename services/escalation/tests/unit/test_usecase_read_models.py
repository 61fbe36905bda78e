"""The read models escalation keeps from events, and the handlers' typed translation of
those events, on an in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from escalation import handlers
from escalation.domain.commands import RecordTimer
from escalation.domain.model import Contact, Contract, TicketFacts, TimerChange
from escalation.domain.timers import timer_change
from escalation.usecases import read_models
from shared.clock import FrozenClock
from shared.escalation_policy import default_policy
from shared.events.base import Envelope, EventData
from shared.events.contracts import ContactChanged, ContractChanged
from shared.events.escalations import EscalationRaised
from shared.events.sla import (
    TimerBreached,
    TimerMet,
    TimerPaused,
    TimerRecomputed,
    TimerResumed,
    TimerScheduled,
    TimerStopped,
    TimerWarning,
)
from shared.events.tickets import TicketAssigned, TicketEscalated, TicketStatusChanged
from shared.messaging.handlers import inbox_name

from .conftest import NIGHT, OFFICE, FakeUnitOfWork

pytestmark = pytest.mark.asyncio(loop_scope="session")

DUE = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
T0 = DUE - timedelta(hours=4)


def wrap(data: EventData, *, at: datetime = OFFICE) -> Envelope:
    return Envelope.wrap(data, source="test", subject="s", time=at)


async def deliver(uow: FakeUnitOfWork, envelope: Envelope, *, now: datetime = OFFICE) -> None:
    """Call the registry's handlers of the envelope's type as the consumer does."""
    for handler in handlers.make_handlers(FrozenClock(now))[envelope.type]:
        await handler(envelope, uow)


class TestTimerChange:
    @pytest.mark.parametrize(
        ("event", "expected"),
        [
            (
                TimerScheduled(ticket_id=uuid4(), timer="response", due_at=DUE, started_at=T0),
                ("running", DUE, False),
            ),
            (
                TimerScheduled(ticket_id=uuid4(), timer="response", due_at=None, started_at=T0),
                ("no_target", None, False),
            ),
            (
                TimerResumed(ticket_id=uuid4(), timer="response", due_at=DUE, resumed_at=T0),
                ("running", DUE, False),
            ),
            (
                TimerRecomputed(
                    ticket_id=uuid4(), timer="response", due_at=DUE, previous_due_at=None
                ),
                (None, DUE, False),
            ),
            (
                TimerPaused(ticket_id=uuid4(), timer="response", paused_at=T0),
                ("paused", None, True),
            ),
            (
                TimerMet(ticket_id=uuid4(), timer="response", due_at=DUE, met_at=T0),
                ("met", None, True),
            ),
            (
                TimerStopped(ticket_id=uuid4(), timer="response", stopped_at=T0, reason="closed"),
                ("stopped", None, True),
            ),
        ],
    )
    async def test_each_timer_event_sets_state_and_due_instant(
        self, event: EventData, expected: tuple[object, ...]
    ) -> None:
        change = timer_change(event)  # type: ignore[arg-type]

        assert change is not None
        assert (change.state, change.due_at, change.keep_due) == expected

    async def test_the_state_an_event_carries_wins(self) -> None:
        event = TimerResumed(
            ticket_id=uuid4(), timer="response", due_at=DUE, resumed_at=T0, state="paused"
        )

        assert timer_change(event) == TimerChange("paused", DUE)

    async def test_alarms_change_no_timer_state(self) -> None:
        event = TimerWarning(
            ticket_id=uuid4(), timer="response", due_at=DUE, percent=75, fire_at=T0
        )

        assert timer_change(event) is None


class TestRecordTimer:
    async def test_a_pause_keeps_the_due_instant_and_a_resume_moves_it(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket_id = uuid4()

        async def record(change: TimerChange) -> None:
            await read_models.record_timer(
                uow, RecordTimer(ticket_id, "response", None, change, TicketFacts())
            )

        await record(TimerChange("running", DUE))
        await record(TimerChange("paused", keep_due=True))
        assert (
            await uow.timers.get(ticket_id, "response") == uow.timers.items[(ticket_id, "response")]
        )
        assert uow.timers.items[(ticket_id, "response")].due_at == DUE
        await record(TimerChange("running", DUE + timedelta(hours=1)))
        assert uow.timers.items[(ticket_id, "response")].due_at == DUE + timedelta(hours=1)

    async def test_a_timer_event_carries_tier_and_severity_to_the_ticket(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket(severity="critical")
        event = TimerRecomputed(
            ticket_id=ticket.ticket_id,
            timer="resolution",
            due_at=DUE,
            previous_due_at=None,
            tier="premium",
            severity="medium",
        )

        await deliver(uow, wrap(event))

        assert (await uow.tickets.get(ticket.ticket_id)).severity == "medium"
        assert uow.timers.items[(ticket.ticket_id, "resolution")].state == "running"


class TestRecordContract:
    async def test_a_valid_policy_is_kept_under_its_version(self, uow: FakeUnitOfWork) -> None:
        contract = Contract(uuid4(), uuid4(), escalation_policy={"version": "v7", "entries": [{}]})

        await read_models.record_contract(uow, contract)

        assert uow.contracts.items[contract.contract_id] == contract
        [stored] = await uow.contracts.policies()
        assert (stored.version, stored.contract_id) == ("v7", contract.contract_id)

    async def test_an_invalid_policy_is_not_kept_but_the_contract_is(
        self, uow: FakeUnitOfWork
    ) -> None:
        contract = Contract(uuid4(), uuid4(), escalation_policy={"entries": "nonsense"})

        await read_models.record_contract(uow, contract)

        assert contract.contract_id in uow.contracts.items
        assert await uow.contracts.policies() == []

    async def test_the_contract_document_is_read_with_its_instants(
        self, uow: FakeUnitOfWork
    ) -> None:
        customer, contract_id = uuid4(), uuid4()
        document = {
            "id": str(contract_id),
            "customer_id": str(customer),
            "tier": "premium",
            "starts_at": "2026-01-01T00:00:00+03:00",
            "ends_at": None,
            "dedicated_engineer": {"name": "A", "email": "a@v.example"},
        }

        await deliver(uow, wrap(ContractChanged(change="created", contract=document)))

        stored = uow.contracts.items[contract_id]
        assert (stored.customer_id, stored.tier) == (customer, "premium")
        assert stored.starts_at == datetime(2025, 12, 31, 21, 0, tzinfo=UTC)
        assert stored.in_force(OFFICE)

    async def test_a_document_without_id_or_customer_is_ignored(self, uow: FakeUnitOfWork) -> None:
        for document in ({"tier": "premium"}, {"id": str(uuid4())}):
            await deliver(uow, wrap(ContractChanged(change="x", contract=document)))
            await deliver(uow, wrap(ContactChanged(change="x", contact=document)))

        assert (uow.contracts.items, uow.contacts.items) == ({}, {})

    async def test_the_policy_listing_starts_with_the_default(self, uow: FakeUnitOfWork) -> None:
        from escalation.usecases import people

        await uow.contracts.save_policy(uuid4(), "acme-1", {"version": "acme-1"})

        listed = await people.list_policies(uow)

        assert [(p.version, p.default) for p in listed] == [
            (default_policy().version, True),
            ("acme-1", False),
        ]


class TestRecordContact:
    async def test_a_contact_defaults_to_russian_and_active(self, uow: FakeUnitOfWork) -> None:
        customer, contact_id = uuid4(), uuid4()
        event = ContactChanged(
            change="created", customer_id=customer, contact={"id": str(contact_id), "email": "c@x"}
        )

        await deliver(uow, wrap(event))

        assert uow.contacts.items[contact_id] == Contact(contact_id, customer, email="c@x")

    async def test_a_deactivated_contact_is_no_longer_told(self, uow: FakeUnitOfWork) -> None:
        customer, contact_id = uuid4(), uuid4()
        for active in (True, False):
            contact = {"id": str(contact_id), "email": "c@x", "active": active}
            changed = ContactChanged(change="u", customer_id=customer, contact=contact)
            await deliver(uow, wrap(changed))

        assert await uow.contacts.active_of(customer) == []


class TestHandlers:
    async def test_a_take_meets_the_target_at_the_events_instant(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(line=2)
        from escalation.usecases import ola

        await ola.start_ola(uow, ticket, line=2, at=NIGHT, escalation_id=None)
        taken = NIGHT + timedelta(minutes=7)
        event = TicketStatusChanged(
            ticket_id=ticket.ticket_id,
            from_status="new",
            to_status="in_progress",
            action="take",
            occurred_at=taken,
        )

        await deliver(uow, wrap(event, at=OFFICE))

        [target] = uow.olas.of(ticket.ticket_id)
        assert target.met_at == taken

    @pytest.mark.parametrize(("source", "met"), [("agent", True), ("escalation", False)])
    async def test_an_assignment_by_a_person_is_a_response_the_duty_handover_is_not(
        self, uow: FakeUnitOfWork, source: str, met: bool
    ) -> None:
        from escalation.usecases import ola

        ticket = await uow.ticket(line=2)
        await ola.start_ola(uow, ticket, line=2, at=NIGHT, escalation_id=None)
        event = TicketAssigned(ticket_id=ticket.ticket_id, assignee="ivan", source=source)

        await deliver(uow, wrap(event, at=NIGHT + timedelta(minutes=3)))

        [target] = uow.olas.of(ticket.ticket_id)
        assert (target.met_at is not None) is met
        assert (await uow.tickets.get(ticket.ticket_id)).assignee == "ivan"

    async def test_an_alarm_is_decided_at_the_clocks_instant(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        await uow.running(ticket, "response", DUE)
        [alarm] = handlers.make_handlers(FrozenClock(NIGHT))[TimerBreached.TYPE]
        event = TimerBreached(ticket_id=ticket.ticket_id, timer="response", due_at=DUE)

        await alarm(wrap(event, at=OFFICE), uow)

        [raised] = uow.published(EscalationRaised)
        assert raised.out_of_hours is True  # NIGHT, not the envelope's office-hours time

    async def test_a_move_keys_its_escalation_by_the_events_id(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        envelope = wrap(
            TicketEscalated(ticket_id=ticket.ticket_id, line=2, previous_line=1, source="agent")
        )

        await deliver(uow, envelope)
        await deliver(uow, envelope)

        assert uow.escalations.keys == {f"manual:{envelope.id}"}

    async def test_handler_names_stay_what_the_inbox_has_claimed(self) -> None:
        registry = handlers.make_handlers(FrozenClock(NIGHT))

        names = {inbox_name(h) for found in registry.values() for h in found}

        assert names == {
            "escalation.handlers.on_ticket",
            "escalation.handlers.on_ticket_escalated",
            "escalation.handlers.on_timer",
            "escalation.handlers.on_alarm",
            "escalation.handlers.on_contract",
            "escalation.handlers.on_contact",
        }
