"""Severity, assignment, hardware faults and support lines through the use cases, in memory."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.api import mapping
from intake.domain.actors import Actor, ActorKind
from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.usecases import admission, lifecycle
from intake.usecases.reading import QueueEntry
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.tickets import TicketSeverityChanged
from shared.events.vocabulary import Severity, Tier

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
AGENT = Actor(kind=ActorKind.agent, name="eng-1")
CUSTOMER = Actor(kind=ActorKind.customer, contact_email="ann@example.com")


async def new_ticket(uow, entitlements, severity: Severity):
    admitted = await admission.open_ticket(
        OpenTicket(contact_email="ann@example.com", subject="Slow", severity=severity),
        uow=uow,
        entitlements=entitlements,
        config=IntakeConfig(),
        now=NOW,
    )
    return admitted.ticket


async def change_severity(uow, entitlements, ticket, severity: Severity, actor: Actor):
    return await lifecycle.change_severity(
        ticket.id, severity, actor=actor, uow=uow, entitlements=entitlements, now=NOW
    )


class TestChangeSeverity:
    async def test_the_customer_lowers(self, uow, entitlements, contact) -> None:
        contact(tier=Tier.standard)
        ticket = await new_ticket(uow, entitlements, Severity.critical)

        await change_severity(uow, entitlements, ticket, Severity.high, CUSTOMER)

        event = uow.events[-1][1]
        assert isinstance(event, TicketSeverityChanged)
        assert (event.severity, event.previous_severity) == (Severity.high, Severity.critical)

    async def test_the_customer_cannot_raise(self, uow, entitlements, contact) -> None:
        contact(tier=Tier.standard)
        ticket = await new_ticket(uow, entitlements, Severity.medium)

        with pytest.raises(Forbidden):
            await change_severity(uow, entitlements, ticket, Severity.high, CUSTOMER)

    async def test_the_tickets_own_policy_caps_a_raise(self, uow, entitlements, contact) -> None:
        contact(tier=Tier.basic)
        ticket = await new_ticket(uow, entitlements, Severity.medium)

        with pytest.raises(Unprocessable) as err:
            await change_severity(uow, entitlements, ticket, Severity.critical, AGENT)

        assert err.value.slug == "severity-capped"
        assert ticket.severity == Severity.medium

    async def test_an_agent_raises_where_the_policy_serves_it(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.basic, caps={})
        ticket = await new_ticket(uow, entitlements, Severity.medium)

        raised = await change_severity(uow, entitlements, ticket, Severity.critical, AGENT)

        assert (raised.severity, raised.severity_capped) == (Severity.critical, False)


class TestAgentRecords:
    async def test_only_agents_assign(self, uow, entitlements, contact) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements, Severity.high)

        with pytest.raises(Forbidden):
            await lifecycle.assign(ticket.id, "eng-2", actor=CUSTOMER, uow=uow, now=NOW)
        assigned = await lifecycle.assign(ticket.id, "eng-2", actor=AGENT, uow=uow, now=NOW)

        assert assigned.assignee == "eng-2"
        assert uow.event_types()[-1] == "ticket.assigned"

    async def test_a_hardware_fault_is_marked_once_with_its_advice(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements, Severity.high)

        await lifecycle.mark_hardware_fault(
            ticket.id, reason="disk", recommendations="Replace it", actor=AGENT, uow=uow, now=NOW
        )
        with pytest.raises(Conflict):
            await lifecycle.mark_hardware_fault(
                ticket.id, reason="disk", recommendations=None, actor=AGENT, uow=uow, now=NOW
            )

        assert uow.event_types()[-2:] == ["ticket.hardware_fault_marked", "ticket.commented"]
        assert [c.body for c in uow.comments.items] == ["Replace it"]


class TestSupportLines:
    async def test_an_agent_escalates_only_upwards(self, uow, entitlements, contact) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements, Severity.high)

        await lifecycle.escalate(ticket.id, line=3, reason="db", actor=AGENT, uow=uow, now=NOW)
        with pytest.raises(Conflict):
            await lifecycle.escalate(ticket.id, line=2, reason=None, actor=AGENT, uow=uow, now=NOW)

        assert ticket.support_line == 3

    async def test_the_work_queue_names_each_tickets_line(self, uow, entitlements, contact) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements, Severity.high)
        await lifecycle.escalate(ticket.id, line=2, reason="db", actor=AGENT, uow=uow, now=NOW)

        item = mapping.queue_item(QueueEntry(ticket=ticket, next_due_at=None, breached=False))

        assert item.support_line == 2

    async def test_a_stale_escalation_decision_changes_nothing(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements, Severity.high)
        decide = lifecycle.escalate_from_event

        first = await decide(uow, ticket_id=ticket.id, line=2, reason="t", now=NOW, assignee="d")
        again = await decide(uow, ticket_id=ticket.id, line=2, reason="t", now=NOW, assignee="e")

        assert (first, again) == (True, False)
        assert (ticket.support_line, ticket.assignee) == (2, "d")
        assert uow.event_types()[-2:] == ["ticket.escalated", "ticket.assigned"]
