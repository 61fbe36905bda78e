"""Answers to unknown senders and failing addresses: the rules, then the use cases.

docs/notification.md's "Answers to unknown senders" and "Failing addresses": one
bilingual answer per address per window, never to robots, the desk or a failing
address; a bounce stops every email to the address (recorded as skipped, never
attempted) until an admin clears it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from notification.domain import answers
from notification.domain.answers import FailingAddress
from notification.domain.delivery import Status
from notification.domain.planning import EMAIL, WEBHOOK, Planned
from notification.usecases import mail, planning
from notification.usecases.delivery import lease_due
from shared.errors import NotFound, Unprocessable
from shared.events.mail import MailBounced, MailSenderUnknown
from shared.events.tickets import TicketCommented

from .conftest import NOW, FakeUnitOfWork, later, wrap
from .test_consumer_usecases import create, created

DAY = timedelta(hours=24)
OWN = answers.own_addresses("Support desk <Support@Support-Desk.local>", "help@desk.example, ")
BOUNCED_AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
DOMAIN = "support-desk.local"


def unknown(address: str = "John@Freemail.example", **kw: Any) -> MailSenderUnknown:
    fields: dict[str, Any] = {
        "inbound_id": uuid4(),
        "message_id": "CAJ3x9q@mail.freemail.example",
        "address": address,
        "subject": "Licence question",
        "language": "en",
    }
    return MailSenderUnknown(**{**fields, **kw})


def bounced(address: str = "anna@x.io") -> MailBounced:
    return MailBounced(
        inbound_id=uuid4(),
        message_id="dsn@mx.x.io",
        address=address,
        original_message_id="notif.1@support-desk.local",
        status="5.1.1",
        diagnostic="550 5.1.1 User unknown",
    )


async def bounce(uow: FakeUnitOfWork, event: MailBounced) -> bool:
    return await mail.mail_bounced(uow, event, now=NOW, message_id_domain=DOMAIN)


def failing(address: str = "anna@x.io") -> FailingAddress:
    return FailingAddress(address, "5.1.1", "550 5.1.1 User unknown", BOUNCED_AT)


async def answer(uow: FakeUnitOfWork, event: MailSenderUnknown, *, at: datetime = NOW) -> Planned:
    return await mail.sender_unknown(uow, event, source=wrap(event), now=at, own=OWN, window=DAY)


class TestNeverAnswer:
    @pytest.mark.parametrize(
        "address",
        [
            "mailer-daemon@mx.example",
            "MAILER-DAEMON@mx.example".lower(),
            "postmaster@customer.example",
            "noreply@service.example",
            "no-reply@service.example",
            "do-not-reply@service.example",
            "donotreply@service.example",
            "bounces+123@list.example",
            "autoreply@customer.example",
            "notifications@github.example",
        ],
    )
    def test_mail_systems_and_robots(self, address: str) -> None:
        reason = answers.never_answer(address, own=OWN, failing=None)

        assert reason is not None
        assert address in reason

    def test_the_desks_own_addresses_from_mail_from_and_the_setting(self) -> None:
        assert {"support@support-desk.local", "help@desk.example"} == OWN
        reason = answers.never_answer("help@desk.example", own=OWN, failing=None)
        assert reason is not None
        assert "own addresses" in reason

    def test_a_failing_address_says_since_when_and_why(self) -> None:
        reason = answers.never_answer("anna@x.io", own=OWN, failing=failing())

        assert reason is not None
        assert "bounced at 2026-12-07T08:00:00+00:00 (5.1.1: 550 5.1.1 User unknown)" in reason
        assert "DELETE /api/v1/notifications/failing-addresses/" in reason

    @pytest.mark.parametrize(
        "address", ["john@freemail.example", "replyto.ivan@x.example", "norepl@x.example"]
    )
    def test_people_may_be_answered(self, address: str) -> None:
        assert answers.never_answer(address, own=OWN, failing=None) is None

    def test_no_address_at_all(self) -> None:
        assert answers.never_answer("nobody-at-all", own=OWN, failing=None) is not None


class TestAnswerPlan:
    def test_an_email_threaded_to_their_message_in_their_language(self) -> None:
        planned = answers.answer(unknown(language="en"))

        assert planned == Planned(
            channel=EMAIL,
            recipient="john@freemail.example",
            template="sender_unknown",
            language="en",
            context={"subject": "Licence question", "address": "john@freemail.example"},
            in_reply_to="CAJ3x9q@mail.freemail.example",
        )

    def test_the_rate_limit_reason_names_the_window_and_the_next_time(self) -> None:
        reason = answers.rate_limited("a@b.example", answered_at=NOW, window=DAY)

        assert reason == (
            "a@b.example was answered at 2026-12-07T09:00:00+00:00; one answer per address "
            "per 24 h, the next not before 2026-12-08T09:00:00+00:00."
        )

    def test_skip_failing_marks_only_emails_to_failing_addresses(self) -> None:
        plans = [
            Planned(EMAIL, "anna@x.io", "resolved"),
            Planned(EMAIL, "petr@x.io", "resolved"),
            Planned(WEBHOOK, "anna@x.io", "ticket.created"),
        ]

        out = answers.skip_failing(plans, {"anna@x.io": failing()})

        assert [p.skip_reason is not None for p in out] == [True, False, False]


@pytest.mark.asyncio
class TestSenderUnknown:
    async def test_one_answer_then_skipped_within_the_window(self, uow: FakeUnitOfWork) -> None:
        first = await answer(uow, unknown())
        second = await answer(uow, unknown(inbound_id=uuid4()), at=later(3600))

        rows = sorted(uow.deliveries.of_template("sender_unknown"), key=lambda d: d.status)
        assert [(r.status, r.recipient) for r in rows] == [
            (Status.pending, "john@freemail.example"),
            (Status.skipped, "john@freemail.example"),
        ]
        assert first.skip_reason is None
        assert second.skip_reason is not None
        assert "one answer per address per 24 h" in second.skip_reason
        assert rows[1].last_error == second.skip_reason

    async def test_answered_again_after_the_window(self, uow: FakeUnitOfWork) -> None:
        await answer(uow, unknown())
        again = await answer(uow, unknown(), at=NOW + DAY)

        assert again.skip_reason is None

    async def test_a_redelivered_event_plans_nothing_twice(self, uow: FakeUnitOfWork) -> None:
        event = unknown()
        envelope = wrap(event)

        for _ in range(2):
            await mail.sender_unknown(uow, event, source=envelope, now=NOW, own=OWN, window=DAY)

        assert len(uow.deliveries.of_template("sender_unknown")) == 1

    async def test_a_robot_is_never_answered_and_does_not_take_the_window(
        self, uow: FakeUnitOfWork
    ) -> None:
        planned = await answer(uow, unknown("noreply@service.example"))

        [row] = uow.deliveries.of_template("sender_unknown")
        assert row.status == Status.skipped
        assert row.last_error == planned.skip_reason
        assert uow.answers.answered == {}

    async def test_a_failing_address_is_not_answered(self, uow: FakeUnitOfWork) -> None:
        await bounce(uow, bounced("john@freemail.example"))

        planned = await answer(uow, unknown())

        assert planned.skip_reason is not None
        assert "is failing" in planned.skip_reason


@pytest.mark.asyncio
class TestBounced:
    async def test_marks_the_address_failing_with_status_diagnostic_and_time(
        self, uow: FakeUnitOfWork
    ) -> None:
        event = bounced("Anna@X.io")

        await bounce(uow, event)

        assert uow.failing.items["anna@x.io"] == FailingAddress(
            address="anna@x.io",
            status="5.1.1",
            diagnostic="550 5.1.1 User unknown",
            bounced_at=NOW,
            original_message_id="notif.1@support-desk.local",
            inbound_id=str(event.inbound_id),
        )

    @pytest.mark.parametrize("quoted", [None, "<notif.7@Support-Desk.local>"])
    async def test_a_bounce_of_our_mail_or_one_quoting_nothing_counts(
        self, uow: FakeUnitOfWork, quoted: str | None
    ) -> None:
        event = bounced().model_copy(update={"original_message_id": quoted})

        assert await bounce(uow, event)
        assert "anna@x.io" in uow.failing.items

    async def test_backscatter_of_a_strangers_mail_marks_nothing(self, uow: FakeUnitOfWork) -> None:
        event = bounced().model_copy(update={"original_message_id": "spam.1@botnet.example"})

        assert not await bounce(uow, event)
        assert uow.failing.items == {}
        assert answers.not_ours(event, message_id_domain=DOMAIN) == (
            "the bounce for anna@x.io quotes spam.1@botnet.example, which is not the desk's "
            "(ours end in @support-desk.local): not marked failing."
        )

    async def test_a_ticket_email_to_a_failing_contact_is_skipped_with_the_reason(
        self, uow: FakeUnitOfWork
    ) -> None:
        event = created(contact_email="anna@x.io")
        await create(uow, event)
        await bounce(uow, bounced("anna@x.io"))
        comment = TicketCommented(
            ticket_id=event.ticket_id,
            comment_id=uuid4(),
            author="petr",
            author_kind="agent",
            public=True,
            body="Hi",
        )

        await planning.ticket_changed(uow, comment, source=wrap(comment), now=NOW)

        [row] = uow.deliveries.of_template("agent_comment")
        assert row.status == Status.skipped
        assert row.last_error is not None
        assert row.last_error.startswith("anna@x.io is failing: mail to it bounced at")
        leased = await lease_due(uow, now=later(1), batch=10, lease_seconds=60)
        assert [item.delivery.template for item in leased] == []  # never attempted

    async def test_a_pending_email_is_skipped_at_lease_when_the_address_began_failing(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.deliveries.add(
            [Planned(EMAIL, "anna@x.io", "resolved"), Planned(EMAIL, "petr@x.io", "resolved")],
            source=wrap(unknown()),
            ticket_id=None,
            customer_id=None,
            due=NOW,
        )
        await bounce(uow, bounced("anna@x.io"))

        leased = await lease_due(uow, now=later(1), batch=10, lease_seconds=60)

        assert [item.delivery.recipient for item in leased] == ["petr@x.io"]
        [skipped] = [d for d in uow.deliveries.rows.values() if d.recipient == "anna@x.io"]
        assert (skipped.status, skipped.attempts) == (Status.skipped, 0)
        assert skipped.last_error == failing().reason().replace(
            BOUNCED_AT.isoformat(timespec="seconds"), NOW.isoformat(timespec="seconds")
        )

    async def test_a_new_address_of_the_contact_is_mailed(self, uow: FakeUnitOfWork) -> None:
        await bounce(uow, bounced("anna@x.io"))
        event = created(contact_email="anna.new@x.io")

        await create(uow, event)

        [row] = uow.deliveries.of_template("ticket_registered")
        assert (row.recipient, row.status) == ("anna.new@x.io", Status.pending)


@pytest.mark.asyncio
class TestClearFailing:
    async def test_clears_and_commits(self, uow: FakeUnitOfWork) -> None:
        await bounce(uow, bounced("anna@x.io"))

        await mail.clear_failing(uow, " Anna@X.io ")

        assert uow.failing.items == {}
        assert uow.commits == 1

    async def test_an_address_that_is_not_failing_is_404(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound, match=r"anna@x\.io is not a failing address"):
            await mail.clear_failing(uow, "anna@x.io")

    async def test_no_address_is_422_with_how_to_fix(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(Unprocessable, match=r"e\.g\. user@example\.com") as err:
            await mail.clear_failing(uow, "not-an-address")
        assert err.value.extensions["errors"][0]["field"] == "address"
