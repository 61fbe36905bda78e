"""Moves to another line and the lines' own targets (OLA) on an in-memory unit of work:
manual escalations, when a target starts, how it counts, when it fires and is met."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from escalation.domain.commands import MoveTicket, RecordTicket
from escalation.domain.decisions import TicketView
from escalation.domain.model import TicketFacts
from escalation.usecases import escalations, moves, ola, read_models
from shared.clock import FrozenClock
from shared.events.escalations import EscalationRaised, OlaBreached, OlaWarning
from shared.poller import DurablePoller
from shared.worktime.schedule import Schedule

from .conftest import NIGHT, OFFICE, FakeUnitOfWork

pytestmark = pytest.mark.asyncio(loop_scope="session")

FRIDAY_1730_MSK = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)
EIGHT_FIVE = Schedule.business_hours().to_dict()


def move(ticket: TicketView, line: int = 2, *, at: datetime = OFFICE, **kw: Any) -> MoveTicket:
    values: dict[str, Any] = {
        "previous_line": ticket.line,
        "customer_id": ticket.customer_id,
        "source": "agent",
        "reason": "needs a specialist",
        "event_id": uuid4(),
    }
    values.update(kw)
    return MoveTicket(ticket_id=ticket.ticket_id, line=line, at=at, **values)


class TestOnTicketMoved:
    async def test_an_agents_move_tells_the_new_lines_lead(self, uow: FakeUnitOfWork) -> None:
        await uow.member("Lead3", line=3, role="lead")
        ticket = await uow.ticket()

        assert await moves.on_ticket_moved(uow, move(ticket, 3)) is not None

        [event] = uow.published(EscalationRaised)
        assert (event.trigger, event.from_line, event.to_line) == ("manual", 1, 3)
        assert [(r.role, r.email) for r in event.recipients] == [
            ("line_lead", "lead3@vendor.example")
        ]
        assert event.reason == "needs a specialist"

    async def test_an_agents_move_out_of_hours_calls_duty_too(self, uow: FakeUnitOfWork) -> None:
        await uow.on_duty(await uow.member("Duty2", line=2))
        ticket = await uow.ticket()

        await moves.on_ticket_moved(uow, move(ticket, at=NIGHT))

        [event] = uow.published(EscalationRaised)
        assert event.notify == ["on_duty"]
        assert event.assign_to is None  # a manual move hands the ticket to nobody

    async def test_escalations_own_move_raises_nothing_but_starts_the_target(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket()

        assert await moves.on_ticket_moved(uow, move(ticket, source="escalation")) is None

        assert uow.published(EscalationRaised) == []
        assert [t.line for t in uow.olas.of(ticket.ticket_id)] == [2]

    async def test_a_redelivered_move_raises_once(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        cmd = move(ticket)

        await moves.on_ticket_moved(uow, cmd)
        await moves.on_ticket_moved(uow, cmd)

        assert len(uow.published(EscalationRaised)) == 1
        assert len(uow.olas.of(ticket.ticket_id)) == 1

    async def test_the_move_is_recorded_on_the_ticket(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()

        await moves.on_ticket_moved(uow, move(ticket, 3, source="escalation"))

        assert (await uow.tickets.get(ticket.ticket_id)).line == 3


class TestStartOla:
    @pytest.mark.parametrize(("severity", "hours"), [("critical", 1), ("high", 2), ("medium", 4)])
    async def test_lines_two_and_three_get_hours_by_severity(
        self, uow: FakeUnitOfWork, severity: str, hours: int
    ) -> None:
        ticket = await uow.ticket(severity=severity)

        assert await ola.start_ola(uow, ticket, line=2, at=NIGHT, escalation_id=None)

        [target] = uow.olas.of(ticket.ticket_id)
        assert target.due_at == NIGHT + timedelta(hours=hours)  # no schedule: round the clock
        assert target.warning_at == NIGHT + timedelta(hours=hours) * 0.75
        assert target.warning_percent == 75

    async def test_a_severity_without_hours_gets_no_target(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(severity="low")

        assert not await ola.start_ola(uow, ticket, line=2, at=NIGHT, escalation_id=None)
        assert uow.olas.items == {}

    async def test_line_one_has_no_target(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()

        assert not await ola.start_ola(uow, ticket, line=1, at=NIGHT, escalation_id=None)

    async def test_it_counts_the_tickets_working_time(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(schedule=EIGHT_FIVE)

        await ola.start_ola(uow, ticket, line=2, at=FRIDAY_1730_MSK, escalation_id=None)

        # 30 minutes on Friday, 30 on Monday from 09:00 Moscow (06:00 UTC).
        [target] = uow.olas.of(ticket.ticket_id)
        assert target.due_at == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)
        assert target.warning_at == datetime(2026, 11, 30, 6, 15, tzinfo=UTC)

    async def test_a_line_keeps_its_first_target(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        await ola.start_ola(uow, ticket, line=2, at=NIGHT, escalation_id=None)

        later = NIGHT + timedelta(hours=3)
        assert not await ola.start_ola(uow, ticket, line=2, at=later, escalation_id=None)
        assert [t.started_at for t in uow.olas.of(ticket.ticket_id)] == [NIGHT]

    async def test_a_contract_sets_its_own_hours_and_warning(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        policy = {
            "version": "fast",
            "entries": [{"rules": []}],
            "ola_hours": {"critical": 0.5},
            "ola_warning_percent": 50,
        }
        await uow.contract(ticket.customer_id, escalation_policy=policy)

        await ola.start_ola(uow, ticket, line=3, at=NIGHT, escalation_id=None)

        [target] = uow.olas.of(ticket.ticket_id)
        assert (target.warning_at, target.due_at) == (
            NIGHT + timedelta(minutes=15),
            NIGHT + timedelta(minutes=30),
        )

    async def test_a_stored_target_wakes_the_scheduler_for_its_first_instant(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket()

        await ola.start_ola(uow, ticket, line=2, at=NIGHT, escalation_id=None)

        assert uow.due == [NIGHT + timedelta(minutes=45)]

    async def test_the_target_names_the_escalation_that_moved_the_ticket(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket()

        escalation_id = await moves.on_ticket_moved(uow, move(ticket))

        [target] = uow.olas.of(ticket.ticket_id)
        assert target.escalation_id == escalation_id is not None


async def started(uow: FakeUnitOfWork, *, line: int = 2) -> tuple[TicketView, UUID]:
    """A premium critical ticket on ``line`` with its one-hour target from NIGHT."""
    ticket = await uow.ticket(line=line)
    await ola.start_ola(uow, ticket, line=line, at=NIGHT, escalation_id=None)
    [target] = uow.olas.of(ticket.ticket_id)
    return ticket, target.id


async def fire(uow: FakeUnitOfWork, at: datetime, *, batch: int = 10) -> int:
    """One pass of the OLA scheduler's jobs on the shared durable poller, at ``at``."""
    poller = DurablePoller(
        "ola",
        uow=lambda: uow,
        jobs=ola.ola_jobs(),
        clock=FrozenClock(at),
        batch=batch,
        poll_seconds=1,
    )
    return await poller.run_once()


class TestOlaJobs:
    async def test_the_warning_fires_once_to_the_lines_lead_and_duty(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.member("Lead2", line=2, role="lead")
        await uow.on_duty(await uow.member("Duty2", line=2))
        ticket, _ = await started(uow)
        at = NIGHT + timedelta(minutes=45)

        assert await fire(uow, at - timedelta(seconds=1)) == 0
        assert await fire(uow, at) == 1
        assert await fire(uow, at) == 0

        [event] = uow.published(OlaWarning)
        assert (event.ticket_id, event.line, event.percent) == (ticket.ticket_id, 2, 75)
        assert [r.role for r in event.recipients] == ["line_lead", "on_duty"]
        assert uow.committed

    async def test_the_breach_fires_once_and_ends_the_target(self, uow: FakeUnitOfWork) -> None:
        await started(uow)
        await fire(uow, NIGHT + timedelta(minutes=45))

        assert await fire(uow, NIGHT + timedelta(hours=1)) == 1
        assert await fire(uow, NIGHT + timedelta(hours=2)) == 0

        assert len(uow.published(OlaBreached)) == 1
        assert await ola.next_instant(uow) is None

    async def test_a_late_pass_warns_then_breaches(self, uow: FakeUnitOfWork) -> None:
        await started(uow)

        assert await fire(uow, NIGHT + timedelta(hours=3)) == 2

        assert [type(e) for e in uow.outbox.events] == [OlaWarning, OlaBreached]

    async def test_a_met_target_fires_nothing(self, uow: FakeUnitOfWork) -> None:
        ticket, _ = await started(uow)
        await ola.meet_ola(uow, ticket.ticket_id, at=NIGHT + timedelta(minutes=1))

        assert await fire(uow, NIGHT + timedelta(hours=2)) == 0

    async def test_a_batch_takes_the_earliest_first(self, uow: FakeUnitOfWork) -> None:
        first, _ = await started(uow)
        await started(uow)
        for key, target in list(uow.olas.items.items()):
            if target.ticket_id != first.ticket_id:  # the second warns five minutes later
                later = target.warning_at + timedelta(minutes=5)
                uow.olas.items[key] = dataclasses.replace(target, warning_at=later)

        assert await fire(uow, NIGHT + timedelta(minutes=50), batch=1) == 1

        [event] = uow.published(OlaWarning)
        assert event.ticket_id == first.ticket_id

    async def test_the_next_instant_is_the_warning_then_the_due(self, uow: FakeUnitOfWork) -> None:
        assert await ola.next_instant(uow) is None
        await started(uow)

        assert await ola.next_instant(uow) == NIGHT + timedelta(minutes=45)
        await fire(uow, NIGHT + timedelta(minutes=45))
        assert await ola.next_instant(uow) == NIGHT + timedelta(hours=1)


class TestMeetOla:
    async def test_taking_the_ticket_into_work_meets_the_target(self, uow: FakeUnitOfWork) -> None:
        ticket, target_id = await started(uow)
        at = NIGHT + timedelta(minutes=10)

        await read_models.record_ticket(
            uow, RecordTicket(ticket.ticket_id, TicketFacts(status="in_progress"), responded_at=at)
        )

        assert uow.olas.items[target_id].met_at == at
        assert (await uow.tickets.get(ticket.ticket_id)).status == "in_progress"

    async def test_a_change_that_is_no_response_leaves_the_target_open(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket, target_id = await started(uow)

        await read_models.record_ticket(
            uow, RecordTicket(ticket.ticket_id, TicketFacts(status="waiting_customer"))
        )

        assert uow.olas.items[target_id].met_at is None

    async def test_a_response_before_the_move_meets_nothing(self, uow: FakeUnitOfWork) -> None:
        ticket, target_id = await started(uow)

        assert await ola.meet_ola(uow, ticket.ticket_id, at=NIGHT - timedelta(minutes=1)) == 0
        assert uow.olas.items[target_id].met_at is None

    async def test_an_acknowledgement_meets_only_its_lines_target(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket(line=1)
        for line in (2, 3):
            await ola.start_ola(uow, ticket, line=line, at=NIGHT, escalation_id=None)
        escalation_id = await moves.on_ticket_moved(
            uow, move(ticket, 3, previous_line=2, at=NIGHT + timedelta(minutes=1))
        )
        assert escalation_id is not None

        await escalations.acknowledge(
            uow, escalation_id, by="key-1", now=NIGHT + timedelta(minutes=5)
        )

        met = {t.line: t.met_at for t in uow.olas.of(ticket.ticket_id)}
        assert met == {2: None, 3: NIGHT + timedelta(minutes=5)}
