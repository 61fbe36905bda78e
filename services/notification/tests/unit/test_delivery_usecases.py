"""The worker's use cases on a fake unit of work: lease, render, settle, retry, disable.

docs/notification.md's "Exactly once" (claim with a lease, one outcome per attempt,
a lost lease stores only the attempt), "Retries" and the webhook and chat failures.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest
import pytest_asyncio

from notification.config import Settings
from notification.domain import registration
from notification.domain.backoff import RetryPolicy
from notification.domain.delivery import Delivery, Outcome, Status
from notification.domain.planning import ContactFacts, Planned
from notification.usecases.delivery import SettleCommand, lease_due, next_due, settle, settle_many
from notification.worker import DeliveryWorker
from shared.events.tickets import TicketCreated
from shared.settings import DatabaseSettings

from .conftest import NOW, FakeUnitOfWork, later, wrap

pytestmark = pytest.mark.asyncio
LEASE = 60.0
POLICY = RetryPolicy(max_attempts=3, base_seconds=10, cap_seconds=100, jitter=0)
WEBHOOK_POLICY = RetryPolicy(max_attempts=3, base_seconds=1, cap_seconds=100, jitter=0)
SOURCE = wrap(
    TicketCreated(
        ticket_id=uuid4(),
        registration_number="TP-1",
        severity="medium",
        tier="basic",
        channel="api",
        subject="s",
        received_at=NOW,
    )
)


async def plan(
    uow: FakeUnitOfWork,
    *,
    due: Any = NOW,
    channel: str = "email",
    template: str = "resolved",
    context: dict[str, Any] | None = None,
    ticket_id: Any = None,
    **kw: Any,
) -> Delivery:
    item = Planned(
        channel=channel,
        recipient=f"{uuid4().hex}@x.io",
        template=template,
        context=context or {},
        **kw,
    )
    await uow.deliveries.add([item], source=SOURCE, ticket_id=ticket_id, customer_id=None, due=due)
    return next(d for d in uow.deliveries.rows.values() if d.recipient == item.recipient)


async def claim(uow: FakeUnitOfWork, now: Any = NOW, batch: int = 20) -> list[Delivery]:
    return [leased.delivery for leased in await lease(uow, now, batch)]


async def lease(uow: FakeUnitOfWork, now: Any = NOW, batch: int = 20) -> Any:
    return await lease_due(uow, now=now, batch=batch, lease_seconds=LEASE)


async def attempt(uow: FakeUnitOfWork, row: Delivery, outcome: Outcome, **kw: Any) -> Any:
    cmd = SettleCommand(delivery=row, outcome=outcome, message_id="<m@x>", at=kw.get("at", NOW))
    return await settle(uow, cmd, policy=kw.get("policy", POLICY), disable_after=2)


OK = Outcome(ok=True, latency_ms=5, status_code=250, reply="queued")
FAILED = Outcome(ok=False, latency_ms=5, status_code=503, reply="busy")
REFUSED = Outcome(ok=False, latency_ms=5, status_code=550, reply="no such user", permanent=True)


class TestClaimDue:
    async def test_only_due_rows_are_leased(self, uow: FakeUnitOfWork) -> None:
        due = await plan(uow)
        await plan(uow, due=later(30))
        claimed = await claim(uow)
        assert [d.id for d in claimed] == [due.id]
        [leased] = claimed
        assert (leased.status, leased.attempts, leased.next_attempt_at) == (
            Status.sending,
            1,
            later(LEASE),
        )

    async def test_the_earliest_open_row_wakes_the_worker(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        await plan(uow, due=later(30))
        await claim(uow)
        assert await next_due(uow) == later(30)

    async def test_a_lease_that_ran_out_is_claimed_again(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        await claim(uow)
        assert await claim(uow, now=later(LEASE - 1)) == []
        [again] = await claim(uow, now=later(LEASE))
        assert again.attempts == 2

    async def test_a_batch_is_bounded(self, uow: FakeUnitOfWork) -> None:
        for _ in range(5):
            await plan(uow)
        assert len(await claim(uow, batch=3)) == 3

    async def test_the_facts_to_render_with_are_read_at_claim(self, uow: FakeUnitOfWork) -> None:
        ticket = (await uow.tickets.merge(uuid4(), {"response_due": later(3600)})).ticket
        contact_id = uuid4()
        await uow.contacts.put(ContactFacts(contact_id, uuid4(), name="Anna", language="en"))
        await plan(
            uow,
            template=registration.TEMPLATE,
            context={"contact_id": str(contact_id)},
            ticket_id=ticket.ticket_id,
        )
        [leased] = await lease(uow)
        assert leased.ticket == ticket
        assert leased.contact is not None
        assert leased.contact.name == "Anna"


class TestSettleMany:
    async def test_several_attempts_settle_in_one_commit(self, uow: FakeUnitOfWork) -> None:
        for _ in range(3):
            await plan(uow)
        await plan(uow, channel="webhook")
        rows = await claim(uow)
        cmds = [SettleCommand(delivery=r, outcome=FAILED, message_id=None, at=NOW) for r in rows]
        settled = await settle_many(
            uow, cmds, policies={"email": POLICY, "webhook": WEBHOOK_POLICY}, disable_after=2
        )
        assert uow.commits == 1
        assert [s.next_attempt_at for s in settled] == [later(10)] * 3 + [later(1)]
        assert uow.outbox.types() == ["notification.retrying"] * 4
        assert len(uow.deliveries.attempts) == 4


class TestSettle:
    async def test_accepted_is_sent_with_its_message_id(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        [row] = await claim(uow)
        await attempt(uow, row, OK)
        stored = uow.deliveries.rows[row.id]
        assert (stored.status, stored.message_id, stored.sent_at) == (Status.sent, "<m@x>", NOW)
        assert uow.outbox.types() == ["notification.sent"]
        [a] = uow.deliveries.attempts
        assert (a.attempt, a.ok, a.status_code, a.latency_ms) == (1, True, 250, 5)

    async def test_a_failure_retries_after_the_backoff(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        [row] = await claim(uow)
        await attempt(uow, row, FAILED)
        stored = uow.deliveries.rows[row.id]
        assert (stored.status, stored.next_attempt_at, stored.last_error) == (
            Status.pending,
            later(10),
            "busy",
        )
        assert uow.outbox.types() == ["notification.retrying"]

    async def test_backoff_doubles_with_each_attempt(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        waits = []
        now = NOW
        for _ in range(2):
            [row] = await claim(uow, now=now)
            await attempt(uow, row, FAILED, at=now)
            nxt = uow.deliveries.rows[row.id].next_attempt_at
            waits.append(nxt - now)
            now = nxt
        assert waits == [timedelta(seconds=10), timedelta(seconds=20)]

    async def test_the_last_attempt_fails_for_good(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        now = NOW
        for _ in range(3):
            [row] = await claim(uow, now=now)
            await attempt(uow, row, FAILED, at=now)
            now = uow.deliveries.rows[row.id].next_attempt_at
        assert uow.deliveries.rows[row.id].status == Status.failed
        assert uow.outbox.types()[-1] == "notification.failed"

    async def test_a_permanent_refusal_fails_at_once(self, uow: FakeUnitOfWork) -> None:
        await plan(uow)
        [row] = await claim(uow)
        await attempt(uow, row, REFUSED)
        assert uow.deliveries.rows[row.id].status == Status.failed
        assert uow.outbox.types() == ["notification.failed"]

    async def test_a_lost_lease_keeps_the_attempt_but_not_the_outcome(
        self, uow: FakeUnitOfWork
    ) -> None:
        await plan(uow)
        [first] = await claim(uow)
        await claim(uow, now=later(LEASE))  # another worker took it over
        await attempt(uow, first, OK)
        assert uow.deliveries.rows[first.id].status == Status.sending
        assert uow.outbox.types() == []
        assert len(uow.deliveries.attempts) == 1

    async def test_a_webhook_keeps_no_message_id_but_the_event_names_it(
        self, uow: FakeUnitOfWork
    ) -> None:
        await plan(uow, channel="webhook")
        [row] = await claim(uow)
        await attempt(uow, row, OK)
        assert uow.deliveries.rows[row.id].message_id is None
        [(event, _)] = uow.outbox.published
        assert event.message_id == "<m@x>"  # type: ignore[attr-defined]


class TestSubscriptionFailures:
    async def deliver(self, uow: FakeUnitOfWork, sub_id: Any, outcome: Outcome) -> None:
        await plan(uow, channel="webhook", subscription_id=sub_id)
        [row] = await claim(uow, now=later(10**6))
        await attempt(uow, row, outcome)

    async def test_a_run_of_failures_disables_it(self, uow: FakeUnitOfWork) -> None:
        sub = uow.subscriptions.make("*")
        await self.deliver(uow, sub.id, REFUSED)
        assert uow.subscriptions.items[sub.id].active
        await self.deliver(uow, sub.id, REFUSED)
        disabled = uow.subscriptions.items[sub.id]
        assert (disabled.active, disabled.disabled_reason) == (
            False,
            "too many failed deliveries in a row",
        )

    async def test_a_success_resets_the_run(self, uow: FakeUnitOfWork) -> None:
        sub = uow.subscriptions.make("*")
        await self.deliver(uow, sub.id, REFUSED)
        await self.deliver(uow, sub.id, OK)
        await self.deliver(uow, sub.id, REFUSED)
        assert uow.subscriptions.items[sub.id].active
        assert uow.subscriptions.items[sub.id].consecutive_failures == 1

    async def test_a_retry_does_not_count(self, uow: FakeUnitOfWork) -> None:
        sub = uow.subscriptions.make("*")
        await self.deliver(uow, sub.id, FAILED)
        assert uow.subscriptions.items[sub.id].consecutive_failures == 0


class FakeRuntime:
    """What the worker uses of its runtime: a unit of work, a clock, the cache slot."""

    def __init__(self, uow: FakeUnitOfWork, settings: Settings) -> None:
        self._uow = uow
        self.settings = settings
        self.clock = SimpleNamespace(now=lambda: NOW)
        self.state = SimpleNamespace(subscriptions=None, worker=None)

    def uow(self) -> FakeUnitOfWork:
        return self._uow


@pytest_asyncio.fixture
async def worker(uow: FakeUnitOfWork) -> Any:
    settings = Settings(database=DatabaseSettings(url="postgresql+asyncpg://x@localhost/x"))
    w = DeliveryWorker(FakeRuntime(uow, settings), settings)  # type: ignore[arg-type]
    yield w
    await w.aclose()


class TestWorkerSends:
    async def test_a_deleted_subscription_fails_at_once(
        self, uow: FakeUnitOfWork, worker: DeliveryWorker
    ) -> None:
        await plan(uow, channel="webhook", subscription_id=uuid4())
        assert await worker.deliver_due() == 1
        [row] = uow.deliveries.rows.values()
        assert (row.status, row.last_error) == (Status.failed, "subscription deleted or disabled")

    async def test_chat_without_its_callback_fails_with_the_reason(
        self, uow: FakeUnitOfWork, worker: DeliveryWorker
    ) -> None:
        await plan(uow, channel="chat")
        await worker.deliver_due()
        [row] = uow.deliveries.rows.values()
        assert row.status == Status.failed
        assert "NOTIFICATION_CHAT_CALLBACK_URL" in (row.last_error or "")

    async def test_a_template_that_cannot_render_fails_for_good(
        self, uow: FakeUnitOfWork, worker: DeliveryWorker
    ) -> None:
        await plan(uow, template="no_such_template")
        await worker.deliver_due()
        [row] = uow.deliveries.rows.values()
        assert row.status == Status.failed
        assert uow.outbox.types() == ["notification.failed"]

    async def test_a_refused_webhook_url_fails_at_once(
        self, uow: FakeUnitOfWork, worker: DeliveryWorker
    ) -> None:
        sub = uow.subscriptions.make("*", url="http://127.0.0.1:9/hook")
        await plan(uow, channel="webhook", subscription_id=sub.id, context={"envelope": {}})
        await worker.deliver_due()
        [row] = uow.deliveries.rows.values()
        assert row.status == Status.failed
        assert "refused" in (row.last_error or "")
