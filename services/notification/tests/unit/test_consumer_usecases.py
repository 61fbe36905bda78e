"""The consumer's use cases on a fake unit of work: who is told what, and when.

Each class is one use case of ``usecases.planning``; the rules are docs/notification.md's
"What is sent, to whom", "The registration email waits for the deadlines", "Threading"
and "Exactly once".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from notification.domain.planning import ContactFacts
from notification.usecases import planning
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    CustomerChanged,
    ReleasePublished,
)
from shared.events.escalations import EscalationRaised, OlaBreached, OlaWarning, Recipient
from shared.events.sla import TimerRecomputed, TimerScheduled
from shared.events.tickets import (
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCreated,
    TicketStatusChanged,
)

from .conftest import NOW, FakeUnitOfWork, later, wrap

pytestmark = pytest.mark.asyncio
WAIT = timedelta(seconds=60)
CUSTOMER = uuid4()


def created(**kw: Any) -> TicketCreated:
    ticket_id = kw.pop("ticket_id", uuid4())
    fields: dict[str, Any] = {
        "ticket_id": ticket_id,
        "customer_id": CUSTOMER,
        "registration_number": "TP-2026-000123",
        "severity": "high",
        "tier": "basic",
        "channel": "email",
        "subject": "It fails",
        "received_at": NOW,
        "contact_email": "Anna@X.io",
        "source_message_id": "<orig@x.io>",
    }
    return TicketCreated(**{**fields, **kw})


def scheduled(ticket_id: UUID, timer: str, hours: float = 4) -> TimerScheduled:
    return TimerScheduled(
        ticket_id=ticket_id,
        customer_id=CUSTOMER,
        timer=timer,
        due_at=NOW + timedelta(hours=hours),
        started_at=NOW,
    )


def contact_changed(contact_id: UUID, **kw: Any) -> ContactChanged:
    contact = {"id": str(contact_id), "customer_id": str(CUSTOMER), "email": "anna@x.io"}
    return ContactChanged(customer_id=CUSTOMER, change="created", contact={**contact, **kw})


async def create(uow: FakeUnitOfWork, event: TicketCreated) -> None:
    await planning.ticket_created(uow, event, source=wrap(event), now=NOW, wait=WAIT)


async def deadline(uow: FakeUnitOfWork, event: TimerScheduled | TimerRecomputed) -> None:
    await planning.deadline_known(uow, event, now=NOW)


async def both_deadlines(uow: FakeUnitOfWork, ticket_id: UUID) -> None:
    await deadline(uow, scheduled(ticket_id, "response", 4))
    await deadline(uow, scheduled(ticket_id, "resolution", 24))


def registration_due(uow: FakeUnitOfWork) -> list[Any]:
    return [d.next_attempt_at for d in uow.deliveries.of_template("ticket_registered")]


class TestTicketCreated:
    async def test_the_contact_is_emailed_a_registration(self, uow: FakeUnitOfWork) -> None:
        await create(uow, created())
        [d] = uow.deliveries.of_template("ticket_registered")
        assert (d.channel, d.recipient, d.customer_id) == ("email", "anna@x.io", CUSTOMER)
        assert d.context["registration_number"] == "TP-2026-000123"
        assert d.context["severity"] == "high"

    async def test_it_is_held_until_the_deadlines_are_known(self, uow: FakeUnitOfWork) -> None:
        await create(uow, created())
        assert registration_due(uow) == [NOW + WAIT]

    async def test_it_goes_at_once_when_deadlines_came_first(self, uow: FakeUnitOfWork) -> None:
        event = created()
        await both_deadlines(uow, event.ticket_id)
        await create(uow, event)
        assert registration_due(uow) == [NOW]

    async def test_it_waits_for_a_contact_not_yet_known(self, uow: FakeUnitOfWork) -> None:
        event = created(contact_id=uuid4())
        await both_deadlines(uow, event.ticket_id)
        await create(uow, event)
        assert registration_due(uow) == [NOW + WAIT]

    async def test_it_shows_whether_the_severity_was_capped(self, uow: FakeUnitOfWork) -> None:
        await create(uow, created(severity_capped=True))
        [d] = uow.deliveries.of_template("ticket_registered")
        assert d.context["severity_capped"] is True

    async def test_it_threads_to_the_customers_first_message(self, uow: FakeUnitOfWork) -> None:
        await create(uow, created())
        [d] = uow.deliveries.of_template("ticket_registered")
        assert d.in_reply_to == "<orig@x.io>"

    async def test_an_api_ticket_does_not_thread(self, uow: FakeUnitOfWork) -> None:
        await create(uow, created(channel="api"))
        [d] = uow.deliveries.of_template("ticket_registered")
        assert d.in_reply_to is None

    async def test_no_address_no_email(self, uow: FakeUnitOfWork) -> None:
        await create(uow, created(contact_email=None))
        assert uow.deliveries.rows == {}

    async def test_a_redelivered_event_plans_nothing_twice(self, uow: FakeUnitOfWork) -> None:
        event = created()
        source = wrap(event)
        for _ in range(2):
            await planning.ticket_created(uow, event, source=source, now=NOW, wait=WAIT)
        assert len(uow.deliveries.rows) == 1

    async def test_a_known_contact_gets_it_in_their_language(self, uow: FakeUnitOfWork) -> None:
        contact_id = uuid4()
        await uow.contacts.put(ContactFacts(contact_id, CUSTOMER, name="Anna", language="en"))
        await create(uow, created(contact_id=contact_id))
        [d] = uow.deliveries.of_template("ticket_registered")
        assert (d.language, d.context["name"]) == ("en", "Anna")


class TestDeadlineKnown:
    async def test_both_deadlines_release_the_held_email(self, uow: FakeUnitOfWork) -> None:
        event = created()
        await create(uow, event)
        await both_deadlines(uow, event.ticket_id)
        assert registration_due(uow) == [NOW]

    async def test_one_deadline_is_not_enough(self, uow: FakeUnitOfWork) -> None:
        event = created()
        await create(uow, event)
        await deadline(uow, scheduled(event.ticket_id, "response"))
        assert registration_due(uow) == [NOW + WAIT]

    async def test_deadlines_without_the_contact_keep_it_held(self, uow: FakeUnitOfWork) -> None:
        event = created(contact_id=uuid4())
        await create(uow, event)
        await both_deadlines(uow, event.ticket_id)
        assert registration_due(uow) == [NOW + WAIT]

    async def test_the_current_due_instant_is_kept(self, uow: FakeUnitOfWork) -> None:
        ticket_id = uuid4()
        await deadline(uow, scheduled(ticket_id, "response", 4))
        moved = TimerRecomputed(
            ticket_id=ticket_id,
            timer="response",
            due_at=NOW + timedelta(hours=9),
            previous_due_at=NOW + timedelta(hours=4),
        )
        await deadline(uow, moved)
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        assert ticket.response_due == NOW + timedelta(hours=9)

    async def test_other_timers_and_no_due_instant_are_ignored(self, uow: FakeUnitOfWork) -> None:
        ticket_id = uuid4()
        await deadline(uow, scheduled(ticket_id, "ola"))
        unset = TimerScheduled(ticket_id=ticket_id, timer="response", due_at=None, started_at=NOW)
        await deadline(uow, unset)
        assert uow.tickets.items == {}


class TestDirectoryChanged:
    async def test_the_contact_releases_a_registration_held_for_them(
        self, uow: FakeUnitOfWork
    ) -> None:
        contact_id = uuid4()
        event = created(contact_id=contact_id)
        await create(uow, event)
        await both_deadlines(uow, event.ticket_id)
        await planning.directory_changed(uow, contact_changed(contact_id), now=NOW)
        assert registration_due(uow) == [NOW]

    async def test_the_contact_alone_does_not_release_it(self, uow: FakeUnitOfWork) -> None:
        contact_id = uuid4()
        await create(uow, created(contact_id=contact_id))
        await planning.directory_changed(uow, contact_changed(contact_id), now=NOW)
        assert registration_due(uow) == [NOW + WAIT]

    async def test_another_contact_releases_nothing(self, uow: FakeUnitOfWork) -> None:
        event = created(contact_id=uuid4())
        await create(uow, event)
        await both_deadlines(uow, event.ticket_id)
        await planning.directory_changed(uow, contact_changed(uuid4()), now=NOW)
        assert registration_due(uow) == [NOW + WAIT]

    async def test_the_contact_is_kept_with_russian_by_default(self, uow: FakeUnitOfWork) -> None:
        contact_id = uuid4()
        await planning.directory_changed(uow, contact_changed(contact_id, name="Ivan"), now=NOW)
        kept = await uow.contacts.get(contact_id)
        assert kept is not None
        assert (kept.name, kept.language, kept.active) == ("Ivan", "ru", True)

    async def test_customer_and_calendar_carry_the_time_zone(self, uow: FakeUnitOfWork) -> None:
        other = uuid4()
        customer = CustomerChanged(
            change="updated", customer={"id": str(CUSTOMER), "timezone": "Asia/Tokyo"}
        )
        calendar = CalendarChanged(customer_id=other, calendar={"timezone": "Europe/Berlin"})
        await planning.directory_changed(uow, customer, now=NOW)
        await planning.directory_changed(uow, calendar, now=NOW)
        assert uow.customers.zones == {CUSTOMER: "Asia/Tokyo", other: "Europe/Berlin"}


async def known_ticket(uow: FakeUnitOfWork, **kw: Any) -> TicketCreated:
    event = created(**kw)
    await create(uow, event)
    uow.deliveries.rows.clear()
    return event


async def changed(uow: FakeUnitOfWork, event: Any) -> None:
    await planning.ticket_changed(uow, event, source=wrap(event), now=NOW)


def comment(ticket_id: UUID, *, public: bool = True, author_kind: str = "agent") -> TicketCommented:
    return TicketCommented(
        ticket_id=ticket_id,
        comment_id=uuid4(),
        public=public,
        author_kind=author_kind,
        author="Petr",
        body="Try again",
    )


def status(ticket_id: UUID, to: str, **kw: Any) -> TicketStatusChanged:
    return TicketStatusChanged(ticket_id=ticket_id, from_status="in_progress", to_status=to, **kw)


class TestTicketChanged:
    async def test_a_public_agent_comment_is_emailed(self, uow: FakeUnitOfWork) -> None:
        ticket = await known_ticket(uow)
        await changed(uow, comment(ticket.ticket_id))
        [d] = uow.deliveries.rows.values()
        assert (d.template, d.recipient, d.context["body"]) == (
            "agent_comment",
            "anna@x.io",
            "Try again",
        )

    async def test_private_and_customer_comments_are_not(self, uow: FakeUnitOfWork) -> None:
        ticket = await known_ticket(uow)
        await changed(uow, comment(ticket.ticket_id, public=False))
        await changed(uow, comment(ticket.ticket_id, author_kind="customer"))
        assert uow.deliveries.rows == {}

    async def test_a_chat_ticket_gets_the_reply_in_its_chat_only(self, uow: FakeUnitOfWork) -> None:
        ticket = await known_ticket(uow, channel="chat", chat_id="tg-1", source_message_id="9")
        await changed(uow, comment(ticket.ticket_id))
        [d] = uow.deliveries.rows.values()
        assert (d.channel, d.recipient, d.context["reply_to_message_id"]) == ("chat", "tg-1", "9")

    @pytest.mark.parametrize(
        ("to", "template"),
        [
            ("waiting_customer", "waiting_customer"),
            ("resolved", "resolved"),
            ("closed", "closed"),
            ("rejected_out_of_scope", "closed"),
            ("closed_not_reproducible", "closed"),
            ("in_progress", None),
        ],
    )
    async def test_chosen_statuses_are_told(
        self, uow: FakeUnitOfWork, to: str, template: str | None
    ) -> None:
        ticket = await known_ticket(uow)
        await changed(uow, status(ticket.ticket_id, to))
        assert [d.template for d in uow.deliveries.rows.values()] == (
            [template] if template else []
        )

    async def test_resolved_names_the_auto_close_instant(self, uow: FakeUnitOfWork) -> None:
        ticket = await known_ticket(uow)
        await changed(uow, status(ticket.ticket_id, "resolved", auto_close_at=later(3600)))
        [d] = uow.deliveries.rows.values()
        assert d.context["auto_close_at"] == "2026-12-07T10:00:00Z"  # as on the wire (JSON)

    @pytest.mark.parametrize(
        ("cr_status", "template"),
        [("proposal_sent", "cr_estimate"), ("delivered", "cr_delivered"), ("approved", None)],
    )
    async def test_change_request_estimate_and_delivery_are_told(
        self, uow: FakeUnitOfWork, cr_status: str, template: str | None
    ) -> None:
        ticket = await known_ticket(uow)
        event = TicketChangeRequestAdvanced(
            ticket_id=ticket.ticket_id,
            step="x",
            cr_status=cr_status,
            previous_cr_status="requested",
            details={"price": 100},
        )
        await changed(uow, event)
        planned = list(uow.deliveries.rows.values())
        assert [d.template for d in planned] == ([template] if template else [])
        if template:
            assert planned[0].context["details"] == {"price": 100}

    async def test_an_unknown_ticket_tells_nobody(self, uow: FakeUnitOfWork) -> None:
        await changed(uow, status(uuid4(), "resolved"))
        assert uow.deliveries.rows == {}

    async def test_times_are_in_the_customers_zone(self, uow: FakeUnitOfWork) -> None:
        await uow.customers.put(CUSTOMER, "Asia/Tokyo")
        ticket = await known_ticket(uow)
        await changed(uow, status(ticket.ticket_id, "resolved"))
        [d] = uow.deliveries.rows.values()
        assert d.context["timezone"] == "Asia/Tokyo"


def people(*emails: str | None) -> list[Recipient]:
    return [Recipient(role="on_duty", email=e, language="en", phone="+7") for e in emails]


class TestStaffEvent:
    async def test_each_recipient_with_an_email_is_told_once(self, uow: FakeUnitOfWork) -> None:
        event = EscalationRaised(
            ticket_id=uuid4(),
            customer_id=CUSTOMER,
            level=2,
            trigger="sla.timer.breached",
            recipients=people("Duty@x.io", "duty@x.io", None, "lead@x.io"),
        )
        await planning.staff_event(uow, event, source=wrap(event), now=NOW)
        planned = sorted(uow.deliveries.rows.values(), key=lambda d: d.recipient)
        assert [(d.recipient, d.template, d.language) for d in planned] == [
            ("duty@x.io", "escalation", "en"),
            ("lead@x.io", "escalation", "en"),
        ]
        assert planned[0].context["level"] == 2

    async def test_ola_takes_number_and_zone_from_the_ticket(self, uow: FakeUnitOfWork) -> None:
        await uow.customers.put(CUSTOMER, "Asia/Tokyo")
        ticket = await known_ticket(uow)
        breached = OlaBreached(ticket_id=ticket.ticket_id, line=2, recipients=people("a@x.io"))
        warning = OlaWarning(
            ticket_id=ticket.ticket_id, line=2, percent=80, recipients=people("a@x.io")
        )
        for event in (breached, warning):
            await planning.staff_event(uow, event, source=wrap(event), now=NOW)
        contexts = sorted(
            (d.context for d in uow.deliveries.rows.values()), key=lambda c: c["kind"]
        )
        assert [(c["kind"], c["percent"], c["line"]) for c in contexts] == [
            ("breached", None, 2),
            ("warning", 80, 2),
        ]
        assert {c["registration_number"] for c in contexts} == {"TP-2026-000123"}
        assert {c["timezone"] for c in contexts} == {"Asia/Tokyo"}
        assert {d.customer_id for d in uow.deliveries.rows.values()} == {CUSTOMER}


class TestReleasePublished:
    async def test_every_active_contact_once_per_address(self, uow: FakeUnitOfWork) -> None:
        other = uuid4()
        for customer, email, active in [
            (CUSTOMER, "a@x.io", True),
            (CUSTOMER, "A@x.io", True),
            (CUSTOMER, "off@x.io", False),
            (other, "b@y.io", True),
            (uuid4(), "not-concerned@z.io", True),
        ]:
            await uow.contacts.put(ContactFacts(uuid4(), customer, email=email, active=active))
        event = ReleasePublished(
            release={"notes": "n"}, customer_ids=[CUSTOMER, other], product="Desk", version="5"
        )
        await planning.release_published(uow, event, source=wrap(event), now=NOW)
        planned = {(d.customer_id, d.recipient) for d in uow.deliveries.rows.values()}
        assert planned == {(CUSTOMER, "a@x.io"), (other, "b@y.io")}
        assert {d.template for d in uow.deliveries.rows.values()} == {"release_published"}


class TestPlanWebhooks:
    async def plan(self, uow: FakeUnitOfWork, event: Any) -> int:
        subs = await uow.subscriptions.active()
        return await planning.plan_webhooks(uow, subs, source=wrap(event), event=event, now=NOW)

    async def test_a_subscribed_type_becomes_one_post_each(self, uow: FakeUnitOfWork) -> None:
        a = uow.subscriptions.make("ticket.created")
        b = uow.subscriptions.make("*")
        uow.subscriptions.make("ticket.commented")
        event = created()
        assert await self.plan(uow, event) == 2
        planned = uow.deliveries.rows.values()
        assert {d.subscription_id for d in planned} == {a.id, b.id}
        assert {d.channel for d in planned} == {"webhook"}
        assert {d.ticket_id for d in planned} == {event.ticket_id}
        assert all(d.context["envelope"]["data"]["ticket_id"] for d in planned)

    async def test_a_customer_filter_hears_only_its_customer(self, uow: FakeUnitOfWork) -> None:
        uow.subscriptions.make("*", customer_id=uuid4())
        mine = uow.subscriptions.make("*", customer_id=CUSTOMER)
        assert await self.plan(uow, created()) == 1
        release = ReleasePublished(release={}, customer_ids=[CUSTOMER])
        assert await self.plan(uow, release) == 1
        assert {d.subscription_id for d in uow.deliveries.rows.values()} == {mine.id}

    async def test_a_disabled_subscription_hears_nothing(self, uow: FakeUnitOfWork) -> None:
        sub = uow.subscriptions.make("*")
        uow.subscriptions.items[sub.id] = sub.__class__(**{**sub.__dict__, "active": False})
        assert await self.plan(uow, created()) == 0
