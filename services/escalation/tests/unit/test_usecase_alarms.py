"""The alarm use case on an in-memory unit of work: the default policy's table, who is
told, stale alarms, replays and contract policies (docs/escalation.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from escalation.domain.decisions import Alarm, TicketView
from escalation.domain.model import TicketFacts, TimerChange
from escalation.usecases.alarms import on_alarm
from shared.escalation_policy import default_policy
from shared.events.escalations import EscalationRaised

from .conftest import NIGHT, OFFICE, FakeUnitOfWork

pytestmark = pytest.mark.asyncio(loop_scope="session")

DUE = NIGHT - timedelta(minutes=5)


def alarm_on(
    ticket: TicketView,
    timer: str = "response",
    trigger: str = "breach",
    percent: int | None = None,
    **kw: Any,
) -> Alarm:
    return Alarm(
        ticket_id=ticket.ticket_id, timer=timer, trigger=trigger, due_at=DUE, percent=percent, **kw
    )


async def raised(uow: FakeUnitOfWork, ticket: TicketView, *, at=OFFICE, **alarm: Any):
    """Run the alarm on a running timer; the one ``escalation.raised`` it wrote, or None."""
    made = alarm_on(ticket, **alarm)
    await uow.running(ticket, made.timer, DUE)
    before = len(uow.published(EscalationRaised))
    await on_alarm(uow, made, now=at)
    events = uow.published(EscalationRaised)[before:]
    assert len(events) <= 1
    return events[0] if events else None


def told(event: EscalationRaised) -> list[tuple[str, str | None]]:
    return [(r.role, r.email) for r in event.recipients]


class TestOnAlarmLineMoves:
    async def test_response_breach_moves_the_ticket_one_line_up(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()

        event = await raised(uow, ticket)

        assert (event.from_line, event.to_line, event.line, event.level) == (1, 2, 2, 2)
        assert (await uow.tickets.get(ticket.ticket_id)).line == 2

    async def test_line_two_moves_to_three(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(line=2)

        event = await raised(uow, ticket)

        assert (event.from_line, event.to_line) == (2, 3)

    async def test_never_past_line_three(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(line=3)

        event = await raised(uow, ticket)

        assert (event.from_line, event.to_line, event.line, event.level) == (3, None, None, 3)
        assert (await uow.tickets.get(ticket.ticket_id)).line == 3

    async def test_resolution_alarms_leave_the_line_as_it_is(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()

        event = await raised(uow, ticket, timer="resolution")

        assert event.to_line is None
        assert (await uow.tickets.get(ticket.ticket_id)).line == 1


class TestOnAlarmWhoIsTold:
    async def test_response_breach_tells_the_new_lines_lead_and_the_assignee(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.member("Lead1", line=1, role="lead")
        await uow.member("Lead2", line=2, role="lead")
        await uow.member("Ivan", line=1)
        ticket = await uow.ticket(assignee="Ivan")

        event = await raised(uow, ticket)

        assert told(event) == [
            ("line_lead", "lead2@vendor.example"),
            ("assignee", "ivan@vendor.example"),
        ]
        assert event.out_of_hours is False

    async def test_round_the_clock_ticket_calls_the_new_lines_duty_out_of_hours(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.member("Lead2", line=2, role="lead")
        await uow.on_duty(await uow.member("Duty1", line=1))
        duty = await uow.member("Duty2", line=2)
        await uow.on_duty(duty)
        ticket = await uow.ticket(tier="business", severity="high")

        event = await raised(uow, ticket, at=NIGHT)

        assert told(event) == [
            ("line_lead", "lead2@vendor.example"),
            ("on_duty", "duty2@vendor.example"),
        ]
        assert event.out_of_hours is True

    async def test_an_unassigned_round_the_clock_ticket_goes_to_the_engineer_on_duty(
        self, uow: FakeUnitOfWork
    ) -> None:
        duty = await uow.member("Duty2", line=2)
        await uow.on_duty(duty)
        ticket = await uow.ticket()

        event = await raised(uow, ticket, at=NIGHT)

        assert event.assign_to == duty.id

    async def test_an_assigned_ticket_is_not_handed_to_duty(self, uow: FakeUnitOfWork) -> None:
        await uow.on_duty(await uow.member("Duty2", line=2))
        ticket = await uow.ticket(assignee="someone@vendor.example")

        event = await raised(uow, ticket, at=NIGHT)

        assert event.assign_to is None
        assert "on_duty" in event.notify

    async def test_round_the_clock_ticket_in_office_hours_calls_nobody_on_duty(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.on_duty(await uow.member("Duty2", line=2), around=OFFICE)
        ticket = await uow.ticket()

        event = await raised(uow, ticket, at=OFFICE)

        assert "on_duty" not in event.notify
        assert event.assign_to is None

    @pytest.mark.parametrize(
        ("tier", "severity"), [("standard", "critical"), ("premium", "medium")]
    )
    async def test_other_tickets_call_nobody_at_night(
        self, uow: FakeUnitOfWork, tier: str, severity: str
    ) -> None:
        await uow.on_duty(await uow.member("Duty2", line=2))
        ticket = await uow.ticket(tier=tier, severity=severity)

        event = await raised(uow, ticket, at=NIGHT)

        assert event.to_line == 2
        assert "on_duty" not in event.notify
        assert event.assign_to is None

    async def test_everyone_on_an_overlapping_shift_is_called(self, uow: FakeUnitOfWork) -> None:
        first, second = await uow.member("Anna", line=2), await uow.member("Boris", line=2)
        await uow.on_duty(first, around=NIGHT - timedelta(hours=1))
        await uow.on_duty(second)
        ticket = await uow.ticket(assignee="x")

        event = await raised(uow, ticket, at=NIGHT)

        assert [email for role, email in told(event) if role == "on_duty"] == [
            "anna@vendor.example",
            "boris@vendor.example",
        ]

    async def test_a_person_without_an_address_is_skipped(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        await uow.contract(ticket.customer_id, dedicated_engineer="A. Volkov")

        event = await raised(uow, ticket, timer="resolution", trigger="warning", percent=75)

        assert event.recipients == []

    async def test_every_address_is_told_once_under_its_first_role(
        self, uow: FakeUnitOfWork
    ) -> None:
        lead = await uow.member("Lead2", line=2, role="lead")
        ticket = await uow.ticket(assignee=lead.email)

        event = await raised(uow, ticket)

        assert told(event) == [("line_lead", "lead2@vendor.example")]

    async def test_an_inactive_lead_is_not_told(self, uow: FakeUnitOfWork) -> None:
        await uow.member("Gone", line=2, role="lead", active=False)
        ticket = await uow.ticket()

        event = await raised(uow, ticket)

        assert event.recipients == []


class TestOnAlarmResolution:
    async def test_75_percent_tells_the_dedicated_engineer_by_staff_reference(
        self, uow: FakeUnitOfWork
    ) -> None:
        engineer = await uow.member("Eng", line=2)
        ticket = await uow.ticket(tier="standard", severity="medium")
        await uow.contract(ticket.customer_id, dedicated_engineer={"staff_id": str(engineer.id)})

        event = await raised(uow, ticket, timer="resolution", trigger="warning", percent=75)

        assert told(event) == [("dedicated_engineer", "eng@vendor.example")]
        assert event.recipients[0].staff_id == engineer.id
        assert (event.trigger, event.percent) == ("sla.timer.warning", 75)

    async def test_a_warning_says_the_working_time_left_from_its_target(
        self, uow: FakeUnitOfWork
    ) -> None:
        engineer = await uow.member("Eng", line=2)
        ticket = await uow.ticket(tier="standard", severity="medium")
        await uow.contract(ticket.customer_id, dedicated_engineer={"staff_id": str(engineer.id)})

        event = await raised(
            uow, ticket, timer="resolution", trigger="warning", percent=75, target="260min"
        )

        assert event.remaining_minutes == 65  # a quarter of 260 working minutes

    async def test_working_days_and_breaches_carry_no_remaining_time(self) -> None:
        ticket_id = uuid4()
        days = Alarm(ticket_id, "resolution", "warning", DUE, percent=75, target="2d")
        breach = Alarm(ticket_id, "resolution", "breach", DUE, target="4h")
        hours = Alarm(ticket_id, "response", "warning", DUE, percent=90, target="2h")

        assert (days.remaining_minutes, breach.remaining_minutes) == (None, None)
        assert hours.remaining_minutes == 12

    async def test_75_percent_without_a_dedicated_engineer_tells_nobody(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket(tier="standard", severity="medium")

        event = await raised(uow, ticket, timer="resolution", trigger="warning", percent=75)

        assert event.recipients == []

    async def test_90_percent_tells_the_dedicated_manager_by_address(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket()
        manager = {"name": "Olga", "email": "olga@customer.example", "language": "en"}
        await uow.contract(ticket.customer_id, dedicated_manager=manager)

        event = await raised(uow, ticket, timer="resolution", trigger="warning", percent=90)

        assert told(event) == [("dedicated_manager", "olga@customer.example")]
        assert event.recipients[0].language == "en"

    async def test_round_the_clock_warning_out_of_hours_calls_duty_too(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.on_duty(await uow.member("Duty1", line=1))
        ticket = await uow.ticket()
        await uow.contract(ticket.customer_id, dedicated_manager={"email": "m@c.example"})

        event = await raised(
            uow, ticket, at=NIGHT, timer="resolution", trigger="warning", percent=90
        )

        assert told(event) == [
            ("dedicated_manager", "m@c.example"),
            ("on_duty", "duty1@vendor.example"),
        ]

    async def test_resolution_breach_tells_manager_lead_and_assignee(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.member("Lead1", line=1, role="lead")
        await uow.member("Ivan", line=1)
        ticket = await uow.ticket(assignee="Ivan", tier="basic", severity="medium")
        await uow.contract(ticket.customer_id, dedicated_manager={"email": "m@c.example"})

        event = await raised(uow, ticket, timer="resolution")

        assert told(event) == [
            ("dedicated_manager", "m@c.example"),
            ("line_lead", "lead1@vendor.example"),
            ("assignee", "ivan@vendor.example"),
        ]
        assert event.trigger == "sla.timer.breached"

    @pytest.mark.parametrize(("timer", "percent"), [("resolution", 50), ("response", 75)])
    async def test_other_warning_percentages_raise_nothing(
        self, uow: FakeUnitOfWork, timer: str, percent: int
    ) -> None:
        ticket = await uow.ticket()

        event = await raised(uow, ticket, timer=timer, trigger="warning", percent=percent)

        assert event is None
        assert uow.escalations.items == {}


class TestOnAlarmCurrentState:
    @pytest.mark.parametrize("state", ["met", "paused", "stopped"])
    async def test_a_settled_timer_raises_nothing(self, uow: FakeUnitOfWork, state: str) -> None:
        ticket = await uow.ticket()
        made = alarm_on(ticket)
        await uow.timers.record(
            ticket.ticket_id,
            "response",
            change=TimerChange(state, DUE),
            timer_id=None,
            ticket=TicketFacts(),
        )

        assert await on_alarm(uow, made, now=OFFICE) is None
        assert uow.outbox.events == []

    async def test_a_moved_due_instant_raises_nothing(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        await uow.running(ticket, "response", DUE + timedelta(hours=2))

        assert await on_alarm(uow, alarm_on(ticket), now=OFFICE) is None

    @pytest.mark.parametrize("status", ["resolved", "closed"])
    async def test_a_ticket_no_longer_open_raises_nothing(
        self, uow: FakeUnitOfWork, status: str
    ) -> None:
        ticket = await uow.ticket(status=status)

        assert await raised(uow, ticket) is None

    async def test_an_alarm_raises_once_whatever_is_replayed(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(line=2)
        made = alarm_on(ticket)
        await uow.running(ticket, "response", DUE)

        first = await on_alarm(uow, made, now=OFFICE)
        again = await on_alarm(uow, made, now=OFFICE + timedelta(minutes=1))

        assert first is not None
        assert again is None
        assert len(uow.published(EscalationRaised)) == 1

    async def test_an_alarm_read_before_its_ticket_still_escalates(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = TicketView(ticket_id=uuid4(), status="new", customer_id=uuid4())
        made = alarm_on(ticket, customer_id=ticket.customer_id, tier="premium", severity="high")

        assert await on_alarm(uow, made, now=OFFICE) is not None

        stored = await uow.tickets.get(ticket.ticket_id)
        assert (stored.status, stored.tier, stored.severity, stored.line) == (
            "new",
            "premium",
            "high",
            2,
        )

    async def test_an_alarm_of_an_unknown_ticket_without_facts_raises_nothing(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = TicketView(ticket_id=uuid4(), status="new")

        assert await on_alarm(uow, alarm_on(ticket), now=OFFICE) is None

    async def test_decisions_on_one_ticket_are_serialised(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()

        await raised(uow, ticket)

        assert uow.tickets.locked == [ticket.ticket_id]


RULE = {"timer": "response", "trigger": "breach", "next_line": True, "notify": ["line_lead"]}


class TestOnAlarmContractPolicy:
    async def test_a_contracts_policy_replaces_the_default(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        policy = {"version": "acme-1", "entries": [{"on_duty": "always", "rules": [RULE]}]}
        await uow.on_duty(await uow.member("Duty2", line=2), around=OFFICE)
        await uow.contract(ticket.customer_id, escalation_policy=policy)

        event = await raised(uow, ticket)

        assert event.notify == ["on_duty"]  # always called, even in office hours
        [stored] = uow.escalations.items.values()
        assert stored.policy_version == "acme-1"

    async def test_the_default_decides_when_the_contract_is_not_in_force(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket()
        policy = {"version": "old", "entries": [{"rules": []}]}
        await uow.contract(ticket.customer_id, escalation_policy=policy, ends_at=OFFICE)

        await raised(uow, ticket, at=OFFICE + timedelta(days=1))

        [stored] = uow.escalations.items.values()
        assert stored.policy_version == default_policy().version

    async def test_an_invalid_contract_policy_falls_back_to_the_default(
        self, uow: FakeUnitOfWork
    ) -> None:
        ticket = await uow.ticket()
        await uow.contract(ticket.customer_id, escalation_policy={"version": "x", "entries": []})

        event = await raised(uow, ticket)

        assert event is not None
        [stored] = uow.escalations.items.values()
        assert stored.policy_version == default_policy().version

    async def test_a_ticket_no_entry_covers_is_not_escalated(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(severity="medium")
        policy = {"version": "crit", "entries": [{"severities": ["critical"], "rules": [RULE]}]}
        await uow.contract(ticket.customer_id, escalation_policy=policy)

        assert await raised(uow, ticket) is None

    async def test_the_first_matching_entry_wins(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        quiet = {**RULE, "next_line": False}
        entries = [{"tiers": ["premium"], "rules": [quiet]}, {"rules": [RULE]}]
        await uow.contract(
            ticket.customer_id, escalation_policy={"version": "v", "entries": entries}
        )

        event = await raised(uow, ticket)

        assert event.to_line is None

    async def test_assign_on_duty_off_calls_but_does_not_assign(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        entry = {"on_duty": "out_of_hours", "assign_on_duty": False, "rules": [RULE]}
        await uow.contract(
            ticket.customer_id, escalation_policy={"version": "v", "entries": [entry]}
        )
        await uow.on_duty(await uow.member("Duty2", line=2))

        event = await raised(uow, ticket, at=NIGHT)

        assert "on_duty" in event.notify
        assert event.assign_to is None

    async def test_contacts_are_the_customers_active_contacts(self, uow: FakeUnitOfWork) -> None:
        from escalation.domain.model import Contact

        ticket = await uow.ticket()
        rule = {"timer": "resolution", "trigger": "warning", "percent": 50, "notify": ["contacts"]}
        entry = {"rules": [rule]}
        await uow.contract(
            ticket.customer_id, escalation_policy={"version": "v", "entries": [entry]}
        )
        for name, active in (("Bea", True), ("Al", True), ("Cy", False)):
            await uow.contacts.record(
                Contact(
                    uuid4(), ticket.customer_id, name=name, email=f"{name}@c.example", active=active
                )
            )

        event = await raised(uow, ticket, timer="resolution", trigger="warning", percent=50)

        assert told(event) == [("contacts", "Al@c.example"), ("contacts", "Bea@c.example")]
        assert all(r.contact_id is not None for r in event.recipients)

    async def test_the_contract_of_the_tickets_tier_decides(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket(tier="business")
        other = {"version": "other", "entries": [{"rules": []}]}
        own = {"version": "own", "entries": [{"rules": [RULE]}]}
        await uow.contract(ticket.customer_id, tier="premium", escalation_policy=other)
        await uow.contract(ticket.customer_id, tier="business", escalation_policy=own)

        await raised(uow, ticket)

        [stored] = uow.escalations.items.values()
        assert stored.policy_version == "own"
