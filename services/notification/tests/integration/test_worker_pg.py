"""The worker against a real SMTP server (aiosmtpd) and real HTTP receivers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook

from notification.adapters.subscriptions import forget_subscriptions
from notification.config import SCHEMA, Settings
from notification.domain.answers import FailingAddress
from notification.domain.signing import new_secret
from notification.usecases.delivery import lease_due
from notification.worker import DeliveryWorker
from shared.events.escalations import EscalationRaised, Recipient
from shared.events.tickets import TicketCommented
from shared.infra.mailcatcher import MailCatcher
from shared.infra.net import free_port
from shared.testing.receiver import WebhookReceiver as Receiver

from .conftest import Feed, created, mail_files, make_all_due, rows

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


async def _escalate(feed: Feed, *emails: str) -> uuid.UUID:
    ticket_id = uuid.uuid4()
    await feed(
        EscalationRaised(
            ticket_id=ticket_id,
            level=1,
            trigger="sla.timer.warning",
            registration_number="TP-2026-000777",
            recipients=[Recipient(role="on_duty", email=e, language="en") for e in emails],
        ),
        ticket_id,
    )
    return ticket_id


async def _state(runtime: Any, ticket_id: uuid.UUID) -> list[Any]:
    return await rows(
        runtime,
        f'SELECT * FROM "{SCHEMA}".delivery WHERE ticket_id = :t ORDER BY recipient',
        t=ticket_id,
    )


async def _outbox_types(runtime: Any) -> list[str]:
    found = await rows(runtime, f'SELECT event_type FROM "{SCHEMA}".outbox ORDER BY seq')
    return [r.event_type for r in found]


async def test_email_is_sent_once_with_a_message_id_from_its_key(
    feed: Feed, worker: DeliveryWorker, runtime: Any, catcher: MailCatcher
) -> None:
    before = len(mail_files(catcher))
    ticket_id = await _escalate(feed, "duty@x.io", "lead@x.io")
    assert await worker.deliver_due() == 2
    assert await worker.deliver_due() == 0
    files = mail_files(catcher)[before:]
    assert len(files) == 2
    msgs = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert all(m["Subject"].startswith("[TP-2026-000777] Escalation level 1") for m in msgs)
    state = await _state(runtime, ticket_id)
    assert [r.status for r in state] == ["sent", "sent"]
    assert {m["Message-ID"] for m in msgs} == {r.message_id for r in state}
    attempts = await rows(runtime, f'SELECT * FROM "{SCHEMA}".delivery_attempt')
    assert [(a.ok, a.status_code) for a in attempts] == [(True, 250), (True, 250)]
    assert await _outbox_types(runtime) == ["notification.sent", "notification.sent"]


async def test_an_address_that_began_failing_after_planning_is_skipped_at_the_lease(
    feed: Feed, worker: DeliveryWorker, runtime: Any, catcher: MailCatcher
) -> None:
    """The lease reads each email's address failure with the row: that one is never sent."""
    before = len(mail_files(catcher))
    ticket_id = await _escalate(feed, "gone@x.io", "fine@x.io")
    async with runtime.uow() as uow:
        await uow.failing.mark(FailingAddress("gone@x.io", "5.1.1", "User unknown", worker.now()))
        await uow.commit()
    assert await worker.deliver_due() == 1
    state = await _state(runtime, ticket_id)
    assert [(r.recipient, r.status, r.attempts) for r in state] == [
        ("fine@x.io", "sent", 1),
        ("gone@x.io", "skipped", 0),
    ]
    assert "gone@x.io is failing" in state[1].last_error
    assert len(mail_files(catcher)) - before == 1


async def _settled_behind_a_group(
    worker: DeliveryWorker, runtime: Any, monkeypatch: pytest.MonkeyPatch, *, fail_first: bool
) -> int:
    """Deliver what is due while a settle is in progress; how many settling transactions."""
    opened = 0
    make = runtime.uow

    def counting() -> Any:
        nonlocal opened
        opened += 1
        if fail_first and opened == 1:
            raise ConnectionResetError("the group's transaction failed")
        return make()

    async with worker._settling:  # a settle in progress: the outcomes queue behind it
        monkeypatch.setattr(runtime, "uow", counting)
        delivering = asyncio.create_task(worker.deliver_due())
        deadline = asyncio.get_running_loop().time() + 10
        while len(worker._to_settle) < 4:
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.01)
    assert await delivering == 4
    return opened


async def test_outcomes_that_wait_together_settle_in_one_transaction(
    feed: Feed, worker: DeliveryWorker, runtime: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_id = await _escalate(feed, *(f"group{n}@x.io" for n in range(4)))
    assert await _settled_behind_a_group(worker, runtime, monkeypatch, fail_first=False) == 1
    state = await _state(runtime, ticket_id)
    assert [r.status for r in state] == ["sent"] * 4
    assert await _outbox_types(runtime) == ["notification.sent"] * 4


async def test_a_group_that_fails_to_settle_is_settled_one_by_one(
    feed: Feed, worker: DeliveryWorker, runtime: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_id = await _escalate(feed, *(f"alone{n}@x.io" for n in range(4)))
    assert await _settled_behind_a_group(worker, runtime, monkeypatch, fail_first=True) == 1 + 4
    state = await _state(runtime, ticket_id)
    assert [(r.status, r.attempts) for r in state] == [("sent", 1)] * 4
    attempts = await rows(runtime, f'SELECT ok FROM "{SCHEMA}".delivery_attempt')
    assert [a.ok for a in attempts] == [True] * 4


async def test_a_crash_after_the_250_resends_once_with_the_same_message_id(
    feed: Feed, worker: DeliveryWorker, runtime: Any, catcher: MailCatcher
) -> None:
    before = len(mail_files(catcher))
    ticket_id = await _escalate(feed, "crash@x.io")
    async with runtime.uow() as uow:
        [leased] = await lease_due(uow, now=worker.now(), batch=20, lease_seconds=60)
        await uow.commit()
    await worker._send(leased, worker.now())  # SMTP said 250 ... and the process died
    await make_all_due(runtime)  # the lease runs out
    assert await worker.deliver_due() == 1
    msgs = [
        message_from_bytes(f.read_bytes(), policy=policy.default)
        for f in mail_files(catcher)[before:]
    ]
    assert len(msgs) == 2
    assert msgs[0]["Message-ID"] == msgs[1]["Message-ID"]
    [state] = await _state(runtime, ticket_id)
    assert (state.status, state.attempts) == ("sent", 2)


async def test_smtp_down_retries_then_fails(feed: Feed, runtime: Any, settings: Settings) -> None:
    down = DeliveryWorker(
        runtime, settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{free_port()}"})
    )
    ticket_id = await _escalate(feed, "nobody@x.io")
    for expected in ("pending", "pending", "failed"):
        await make_all_due(runtime)
        assert await down.deliver_due() == 1
        [state] = await _state(runtime, ticket_id)
        assert state.status == expected
        assert "Connect" in state.last_error or "refused" in state.last_error.lower()
    await down.aclose()
    assert await _outbox_types(runtime) == [
        "notification.retrying",
        "notification.retrying",
        "notification.failed",
    ]
    attempts = await rows(
        runtime, f'SELECT attempt, ok FROM "{SCHEMA}".delivery_attempt ORDER BY id'
    )
    assert [(a.attempt, a.ok) for a in attempts] == [(1, False), (2, False), (3, False)]


async def test_a_running_worker_sleeps_until_its_next_retry_not_a_poll(
    feed: Feed, runtime: Any, settings: Settings
) -> None:
    """No fixed poll: between rounds the worker sleeps until the earliest pending row
    (here each retry, 0.2 s apart), while the poll (60 s) only caps the sleep."""
    down = DeliveryWorker(
        runtime,
        settings.model_copy(
            update={
                "smtp_url": f"smtp://127.0.0.1:{free_port()}",
                "worker_poll_seconds": 60.0,
                "email_max_attempts": 3,
                "email_backoff_base_seconds": 0.2,
                "backoff_jitter": 0.0,
            }
        ),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(down.run(stop))
    try:
        ticket_id = await _escalate(feed, "sleeper@x.io")  # its NOTIFY wakes the worker
        deadline = asyncio.get_running_loop().time() + 10
        while (await _state(runtime, ticket_id))[0].status != "failed":
            assert asyncio.get_running_loop().time() < deadline, "retries waited for a poll"
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await running
    [state] = await _state(runtime, ticket_id)
    assert state.attempts == 3


async def test_only_a_delivery_due_before_the_planned_pass_wakes_the_worker(
    feed: Feed, runtime: Any, settings: Settings
) -> None:
    """A registration email held for its deadlines (due in 10 min) is announced with its
    due instant: a worker whose next pass comes sooner stays asleep; an email due now
    wakes it, and so does the held one once it is released."""
    sleeper = DeliveryWorker(runtime, settings.model_copy(update={"worker_poll_seconds": 60.0}))
    stop = asyncio.Event()
    running = asyncio.create_task(sleeper.run(stop))
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while sleeper.poller.passes < 1 or sleeper._listener is None:
            assert loop.time() < deadline
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # the first pass planned the next (at most 60 s away)
        passes = sleeper.poller.passes
        held = created(uuid.uuid4(), contact_email="held@x.io")
        await feed(held, "held")
        await asyncio.sleep(0.5)
        assert sleeper.poller.passes == passes  # held 600 s: the planned pass comes first
        await _escalate(feed, "now@x.io")
        while sleeper.poller.passes == passes:
            assert loop.time() < deadline, "an email due now did not wake the worker"
            await asyncio.sleep(0.05)
        settled = sleeper.poller.passes
        await asyncio.sleep(1.5)  # the email's sending and settling passes are over
        while sleeper.poller.passes != settled:
            settled = sleeper.poller.passes
            await asyncio.sleep(1.5)
        [registration] = await _state(runtime, held.ticket_id)
        assert registration.status == "pending"  # still held; the next pass is 60 s away
        async with runtime.uow() as uow:  # its deadlines became known: it goes now
            await uow.deliveries.release_registration(held.ticket_id, datetime.now(UTC))
            await uow.commit()
        deadline = loop.time() + 5
        while (await _state(runtime, held.ticket_id))[0].status != "sent":
            assert loop.time() < deadline, "a released registration waited for the poll"
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await running


async def test_a_5xx_smtp_refusal_is_final(
    feed: Feed, runtime: Any, settings: Settings, tmp_path: Any
) -> None:
    class Refuse:
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            return "550 5.1.1 no such user"

    port = free_port()
    refusing = Controller(Refuse(), hostname="127.0.0.1", port=port)
    refusing.start()
    try:
        w = DeliveryWorker(
            runtime, settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
        )
        ticket_id = await _escalate(feed, "gone@x.io")
        assert await w.deliver_due() == 1
        await w.aclose()
    finally:
        refusing.stop()
    [state] = await _state(runtime, ticket_id)
    assert state.status == "failed"
    assert "550" in state.last_error


async def _subscribe(
    runtime: Any, url: str, customer: uuid.UUID | None = None
) -> tuple[uuid.UUID, str]:
    sub_id, secret = uuid.uuid4(), new_secret()
    async with runtime.uow() as uow:
        from notification.adapters.orm import webhook_subscription

        await uow.session.execute(
            webhook_subscription.insert().values(
                id=sub_id,
                url=url,
                event_types=["ticket.created"],
                customer_id=customer,
                secret=secret,
                active=True,
                consecutive_failures=0,
                created_at=runtime.clock.now(),
            )
        )
        await uow.commit()
    forget_subscriptions(runtime)  # written past the API, so tell the consumer's cache
    return sub_id, secret


async def test_webhook_is_signed_and_the_customer_filter_holds(
    feed: Feed, worker: DeliveryWorker, runtime: Any, receiver: Receiver
) -> None:
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    by_name = receiver.url.replace("127.0.0.1", "localhost")  # pinned to the checked address
    _, secret = await _subscribe(runtime, by_name, customer=mine)
    await feed(created(mine), mine)
    await feed(created(theirs), theirs)
    assert await worker.deliver_due() == 1
    [(headers, body)] = receiver.requests
    envelope = Webhook(secret).verify(body, headers)
    assert envelope["type"] == "ticket.created"
    assert envelope["data"]["customer_id"] == str(mine)
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["content-type"] == "application/json"
    assert lowered["host"] == by_name.split("/")[2]


async def test_redirects_are_not_followed_and_failures_disable_the_subscription(
    feed: Feed, worker: DeliveryWorker, runtime: Any
) -> None:
    hook = Receiver([302] * 6, default_status=200)
    try:
        sub_id, _ = await _subscribe(runtime, hook.url)
        for _ in range(3):
            await feed(created(uuid.uuid4()), uuid.uuid4())
        for _ in range(3):  # two attempts each (webhook_max_attempts=2)
            await make_all_due(runtime)
            await worker.deliver_due()
        assert len(hook.requests) == 6  # never the redirect target
        [sub] = await rows(
            runtime, f'SELECT * FROM "{SCHEMA}".webhook_subscription WHERE id = :i', i=sub_id
        )
        assert sub.active is False
        assert sub.disabled_reason
        await feed(created(uuid.uuid4()), uuid.uuid4())
        await make_all_due(runtime)
        assert await worker.deliver_due() == 0  # a disabled subscription is not planned
    finally:
        hook.close()


async def test_chat_reply_is_posted_signed_to_the_bot_callback(
    feed: Feed, runtime: Any, settings: Settings, receiver: Receiver
) -> None:
    secret = new_secret()
    w = DeliveryWorker(
        runtime,
        settings.model_copy(update={"chat_callback_url": receiver.url, "chat_secret": secret}),
    )
    tid = uuid.uuid4()
    await feed(
        created(
            uuid.uuid4(),
            ticket_id=tid,
            channel="chat",
            chat_id="tg-9",
            source_message_id="41",
            registration_number="TP-2026-000002",
        ),
        tid,
    )
    await feed(
        TicketCommented(
            ticket_id=tid, comment_id=uuid.uuid4(), public=True, author_kind="agent", body="Done"
        ),
        tid,
    )
    assert await w.deliver_due() == 1
    await w.aclose()
    [(headers, body)] = receiver.requests
    payload = Webhook(secret).verify(body, headers)
    assert (payload["chat_id"], payload["text"], payload["reply_to_message_id"]) == (
        "tg-9",
        "Done",
        "41",
    )
    assert json.loads(body)["registration_number"] == "TP-2026-000002"


async def test_a_kept_smtp_session_the_server_dropped_is_replaced(tmp_path: Any) -> None:
    from notification.adapters.senders import SmtpSender, SmtpTarget, build_email
    from notification.domain.templates import render

    port = free_port()
    first = MailCatcher(tmp_path / "a", port=port).start()
    sender = SmtpSender(SmtpTarget.parse(first.smtp_url), timeout=5)
    rendered = render(
        "closed", "en", {"registration_number": "TP-1", "title": "t", "status": "closed"}
    )

    def message(n: int) -> Any:
        return build_email(
            rendered,
            sender="s@x.io",
            to="c@x.io",
            message_id=f"<{n}@x>",
            in_reply_to=None,
            ticket_id=None,
        )

    try:
        assert (await sender.send(message(1))).ok
        first.stop()  # the server goes away: the kept session is dead
        second = MailCatcher(tmp_path / "b", port=port).start()
        try:
            outcome = await sender.send(message(2))
            assert outcome.ok, outcome.reply
            assert len(list((tmp_path / "b").glob("*.eml"))) == 1
        finally:
            await sender.close()
            second.stop()
    finally:
        with contextlib.suppress(Exception):
            first.stop()
