"""Lifecycle use cases with an in-memory unit of work: each move, its refusals, its instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.domain.actors import Actor, ActorKind
from intake.domain.commands import AddComment, MoveTicket, OpenTicket
from intake.domain.config import IntakeConfig
from intake.domain.lifecycle import Action
from intake.usecases import admission, comments, lifecycle
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.tickets import TicketStatusChanged
from shared.events.vocabulary import Severity, TicketStatus, Tier

pytestmark = pytest.mark.asyncio(loop_scope="session")

FRIDAY_NOON_MSK = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CONFIG = IntakeConfig()
AGENT = Actor(kind=ActorKind.agent, name="eng-1")
CUSTOMER = Actor(kind=ActorKind.customer, contact_email="ann@example.com")


async def new_ticket(uow, entitlements, *, severity: Severity = Severity.high):
    admitted = await admission.open_ticket(
        OpenTicket(contact_email="ann@example.com", subject="Down", severity=severity),
        uow=uow,
        entitlements=entitlements,
        config=CONFIG,
        now=FRIDAY_NOON_MSK,
    )
    return admitted.ticket


async def move(uow, entitlements, ticket, action: Action, actor: Actor = AGENT, **kwargs):
    at = kwargs.pop("now", FRIDAY_NOON_MSK)
    cmd = MoveTicket(ticket_id=ticket.id, action=action, actor=actor, **kwargs)
    return await lifecycle.change_status(
        cmd, uow=uow, entitlements=entitlements, config=CONFIG, now=at
    )


async def in_progress(uow, entitlements):
    ticket = await new_ticket(uow, entitlements)
    return await move(uow, entitlements, ticket, Action.take, assignee="eng-1")


async def resolved(uow, entitlements):
    ticket = await in_progress(uow, entitlements)
    return await move(uow, entitlements, ticket, Action.resolve)


def last_move(uow) -> TicketStatusChanged:
    event = uow.events[-1][1]
    assert isinstance(event, TicketStatusChanged)
    return event


class TestMoves:
    async def test_take_assigns_and_announces_the_move(self, uow, entitlements, contact) -> None:
        contact()

        ticket = await in_progress(uow, entitlements)

        assert (ticket.status, ticket.assignee, ticket.version) == (
            TicketStatus.in_progress,
            "eng-1",
            2,
        )
        event = last_move(uow)
        assert (uow.events[-1][0], event.from_status, event.to_status) == (
            2,
            TicketStatus.new,
            TicketStatus.in_progress,
        )

    async def test_a_move_from_the_wrong_status_names_what_is_allowed(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements)
        uow.committed = False

        with pytest.raises(Conflict) as err:
            await move(uow, entitlements, ticket, Action.resolve)

        assert err.value.extensions["allowed"] == ["take", "reject_out_of_scope"]
        assert not uow.committed
        assert len(uow.events) == 1

    async def test_a_customer_cannot_take_a_ticket(self, uow, entitlements, contact) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements)

        with pytest.raises(Forbidden):
            await move(uow, entitlements, ticket, Action.take, CUSTOMER, assignee="x")

    async def test_rejecting_needs_one_of_the_rules_reasons(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        ticket = await new_ticket(uow, entitlements)

        with pytest.raises(Unprocessable):
            await move(uow, entitlements, ticket, Action.reject_out_of_scope, reason="meh")
        rejected = await move(
            uow, entitlements, ticket, Action.reject_out_of_scope, reason="legal_advice"
        )

        assert (rejected.status, rejected.closed_at) == (
            TicketStatus.rejected_out_of_scope,
            FRIDAY_NOON_MSK,
        )


async def answer_while_waiting(uow, entitlements, *, actor: Actor, public: bool):
    ticket = await in_progress(uow, entitlements)
    await move(uow, entitlements, ticket, Action.wait_for_customer)
    await comments.add_comment(
        AddComment(ticket_id=ticket.id, body="Here it is", public=public, actor=actor),
        uow=uow,
        entitlements=entitlements,
        now=FRIDAY_NOON_MSK,
    )
    return ticket


class TestPauses:
    async def test_the_customers_answer_resumes_a_waiting_ticket(
        self, uow, entitlements, contact
    ) -> None:
        contact()

        ticket = await answer_while_waiting(uow, entitlements, actor=CUSTOMER, public=True)

        assert ticket.status == TicketStatus.in_progress
        assert uow.event_types()[-2:] == ["ticket.commented", "ticket.status_changed"]
        assert last_move(uow).reason == "customer_replied"

    async def test_an_agents_internal_note_does_not_resume(
        self, uow, entitlements, contact
    ) -> None:
        contact()

        ticket = await answer_while_waiting(uow, entitlements, actor=AGENT, public=False)

        assert ticket.status == TicketStatus.waiting_customer
        assert uow.event_types()[-1] == "ticket.commented"


class TestResolution:
    async def test_resolving_sets_the_auto_close_instant_in_working_days(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.standard)

        ticket = await resolved(uow, entitlements)

        # Friday noon Moscow + 3 working days of the 8x5 schedule = Wednesday noon.
        assert ticket.auto_close_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
        assert last_move(uow).auto_close_at == ticket.auto_close_at

    async def test_a_24x7_ticket_closes_after_calendar_days(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.premium)

        ticket = await resolved(uow, entitlements)

        assert ticket.auto_close_at == FRIDAY_NOON_MSK + timedelta(days=3)

    async def test_the_customer_confirms(self, uow, entitlements, contact) -> None:
        contact()
        ticket = await resolved(uow, entitlements)

        closed = await move(uow, entitlements, ticket, Action.confirm, CUSTOMER)

        assert (closed.status, closed.closed_at, closed.auto_close_at) == (
            TicketStatus.closed,
            FRIDAY_NOON_MSK,
            None,
        )

    async def test_the_customer_reopens_and_the_instants_clear(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        ticket = await resolved(uow, entitlements)

        reopened = await move(uow, entitlements, ticket, Action.reopen, CUSTOMER)

        assert (reopened.status, reopened.resolved_at, reopened.auto_close_at) == (
            TicketStatus.in_progress,
            None,
            None,
        )

    async def test_reopening_counts_against_the_open_ticket_limit(
        self, uow, entitlements, contact
    ) -> None:
        contact(max_open_tickets=1)
        ticket = await resolved(uow, entitlements)
        other = await new_ticket(uow, entitlements)

        with pytest.raises(Conflict) as err:
            await move(uow, entitlements, ticket, Action.reopen, CUSTOMER)

        assert err.value.extensions["open_registration_numbers"] == [other.registration_number]
        assert ticket.status == TicketStatus.resolved


class TestAutoClose:
    async def test_closes_only_what_is_due_without_objection(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        ticket = await resolved(uow, entitlements)
        at = ticket.auto_close_at
        assert at is not None

        early = await lifecycle.auto_close_due(uow, now=at - timedelta(seconds=1))
        due = await lifecycle.auto_close_due(uow, now=at)
        again = await lifecycle.auto_close_due(uow, now=at + timedelta(days=9))

        assert (early, due, again) == (0, 1, 0)
        event = last_move(uow)
        assert (event.to_status, event.reason, event.action) == (
            TicketStatus.closed,
            "no_objection",
            "auto_close",
        )
