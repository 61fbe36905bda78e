"""The delivery worker: claims due deliveries, sends them, records each attempt and outcome.

Claiming is the platform's durable poller (``shared.poller``: ``FOR UPDATE SKIP
LOCKED`` in ``adapters.repository``) with a lease as the stamp: a claimed row is marked
``sending`` and becomes due again ``lease_seconds`` later, so a worker that dies
mid-send leaves it to the next claim.
The send happens outside any transaction; the outcome (attempt row, status, the
notification.* event in the outbox) commits afterwards. A crash between the
receiver's "accepted" and that commit therefore re-sends once, with the same
Message-ID (derived from the delivery key) or the same ``webhook-id``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx

from notification.adapters.repository import DUE_CHANNEL, TRACE_KEY, announced_due
from notification.adapters.senders import SmtpSender, SmtpTarget, build_email, post_signed
from notification.adapters.subscriptions import forget_subscriptions
from notification.adapters.uow import SqlNotificationUnitOfWork
from notification.config import Settings
from notification.domain import registration
from notification.domain.backoff import RetryPolicy
from notification.domain.delivery import Delivery, Outcome, Settled
from notification.domain.keys import angle, message_id
from notification.domain.planning import CHAT, EMAIL, WEBHOOK
from notification.domain.templates import render
from notification.metrics import record_delivery
from notification.runtime import NotificationRuntime
from notification.usecases.delivery import (
    Leased,
    SettleCommand,
    lease_due,
    next_due,
    settle,
    settle_many,
)
from shared import pgconnect
from shared.logging import get_logger
from shared.observability.tracing import client_span
from shared.periodic import Periodic
from shared.poller import DueJob, DurablePoller

log = get_logger(__name__)
LISTEN_RETRY_SECONDS = 5.0
LISTEN_CHECK_SECONDS = 30.0


class DeliveryWorker:
    """Runs in the notification process (``ServiceRuntime`` background task)."""

    def __init__(self, runtime: NotificationRuntime, settings: Settings) -> None:
        self.runtime = runtime
        self.settings = settings
        self.smtp = SmtpSender(
            SmtpTarget.parse(settings.smtp_url),
            timeout=settings.smtp_timeout_seconds,
            keep=settings.worker_concurrency,
        )
        self.policies = {
            EMAIL: RetryPolicy(
                settings.email_max_attempts,
                settings.email_backoff_base_seconds,
                settings.email_backoff_cap_seconds,
                settings.backoff_jitter,
            ),
            WEBHOOK: RetryPolicy(
                settings.webhook_max_attempts,
                settings.webhook_backoff_base_seconds,
                settings.webhook_backoff_cap_seconds,
                settings.backoff_jitter,
            ),
        }
        self.policies[CHAT] = self.policies[WEBHOOK]
        self.http = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=settings.worker_concurrency * 2),
        )
        self._slots = asyncio.Semaphore(settings.worker_concurrency)
        self._settling = asyncio.Lock()  # one settling transaction at a time (``_settled``)
        self._to_settle: list[tuple[SettleCommand, asyncio.Future[Settled]]] = []
        self._listener: Any = None  # the LISTEN connection while ``run`` runs
        poll = settings.worker_poll_seconds
        self.poller = DurablePoller(
            "delivery worker",
            uow=runtime.uow,
            jobs=[DueDeliveries(self)],
            clock=runtime.clock,
            batch=settings.worker_batch,
            poll_seconds=poll,
            backoff=poll,
            max_backoff=poll,
            # Deliveries committed elsewhere are announced on the LISTEN connection: while
            # it is down, the poll stays at its interval.
            hearing=self._hearing,
        )

    def now(self) -> datetime:
        return self.runtime.clock.now()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop``; a full batch goes round again at once.

        Between rounds it sleeps until a delivery is committed that falls due before then
        (PostgreSQL ``NOTIFY``), the earliest pending row falls due (a retry, a
        registration's wait, a lease), or shutdown. The poll interval only caps that sleep: it bounds how late
        a row is seen while the LISTEN connection is down.
        """
        self._listener = await self._listen()
        keep = Periodic(
            "delivery worker LISTEN",
            self._keep_listening,
            interval=LISTEN_RETRY_SECONDS,
            backoff=LISTEN_RETRY_SECONDS,
        )
        try:
            await asyncio.gather(self.poller.run(stop), keep.run(stop))
        finally:
            if self._listener is not None:
                with contextlib.suppress(Exception):
                    await self._listener.close()
            await self.aclose()

    def _hearing(self) -> bool:
        return self._listener is not None and not self._listener.is_closed()

    async def _keep_listening(self) -> float:
        """The database restarted: listen again (polling at its interval covers the gap).
        A live connection is looked at less often: losing it only unstretches the poll."""
        if not self._hearing():
            self._listener = await self._listen()
        return LISTEN_CHECK_SECONDS if self._hearing() else LISTEN_RETRY_SECONDS

    async def _listen(self) -> Any:
        """A connection LISTENing for new deliveries; None (poll only) if it cannot be had."""
        conn: Any = None
        try:
            conn = await pgconnect.connect(self.settings.database.url, timeout=5)
            await conn.add_listener(DUE_CHANNEL, self._announced)
            # Lost: pass now, and poll at the interval until it listens again.
            conn.add_termination_listener(lambda _conn: self.poller.wake())
        except Exception as exc:
            log.warning("no LISTEN connection; polling only", error=repr(exc))
            if conn is not None:  # connected, then ended before it listened: not kept
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)
            return None
        return conn

    def _announced(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        """A commit stored a delivery: pass now if it falls due before the planned pass."""
        due = announced_due(payload)
        if due is None:
            self.poller.wake()
        else:
            self.poller.stored(due)

    async def aclose(self) -> None:
        """Release the HTTP client and the kept SMTP sessions."""
        await self.http.aclose()
        await self.smtp.close()

    async def deliver_due(self) -> int:
        """Claim one batch of due deliveries and send them concurrently; return how many."""
        return await self.poller.run_once()

    async def send_all(self, batch: Sequence[Leased]) -> None:
        """Send a committed batch concurrently, each settled in its own transaction."""
        await asyncio.gather(*(self._deliver(leased) for leased in batch))

    async def _deliver(self, leased: Leased) -> None:
        async with self._slots:
            at = self.now()
            try:
                row = leased.delivery
                with client_span(
                    f"deliver {row.channel}",
                    row.context.get(TRACE_KEY),
                    **{"notification.channel": row.channel, "notification.template": row.template},
                ):
                    outcome, mid = await self._send(leased, at)
            except Exception as exc:  # a template or data bug: retrying will not fix it
                log.exception("delivery could not be built", delivery=str(leased.delivery.id))
                outcome, mid = (
                    Outcome(ok=False, latency_ms=0, reply=repr(exc), permanent=True),
                    None,
                )
            await self._settle(leased.delivery, outcome, mid, at)

    async def _send(self, leased: Leased, at: datetime) -> tuple[Outcome, str | None]:
        row = leased.delivery
        if row.channel == EMAIL:
            context, language = registration.render_facts(
                row.template,
                row.context,
                row.language,
                ticket=leased.ticket,
                contact=leased.contact,
            )
            rendered = render(row.template, language, context)
            mid = message_id(row.delivery_key, self.settings.message_id_domain)
            msg = build_email(
                rendered,
                sender=self.settings.mail_from,
                to=row.recipient,
                message_id=mid,
                in_reply_to=angle(row.in_reply_to) if row.in_reply_to else None,
                ticket_id=str(row.ticket_id) if row.ticket_id else None,
            )
            outcome = await self.smtp.send(msg)
            return outcome, mid
        if row.channel == WEBHOOK:
            return await self._webhook(row, at), str(row.id)
        return await self._chat(row, at), str(row.id)

    async def _webhook(self, row: Delivery, at: datetime) -> Outcome:
        sub = None
        if row.subscription_id is not None:
            async with self.runtime.uow() as uow:
                sub = await uow.subscriptions.get(row.subscription_id)
        if sub is None or not sub.active:
            return Outcome(
                ok=False, latency_ms=0, reply="subscription deleted or disabled", permanent=True
            )
        return await self._post(sub.url, sub.secret, row, row.context["envelope"], at)

    async def _chat(self, row: Delivery, at: datetime) -> Outcome:
        url, secret = self.settings.chat_callback_url, self.settings.chat_secret
        if not url or not secret:
            reason = "NOTIFICATION_CHAT_CALLBACK_URL and NOTIFICATION_CHAT_SECRET must be set"
            return Outcome(ok=False, latency_ms=0, reply=reason, permanent=True)
        return await self._post(url, secret, row, row.context, at)

    async def _post(
        self, url: str, secret: str, row: Delivery, payload: Any, at: datetime
    ) -> Outcome:
        """Signed POST; ``webhook-id`` is the delivery's, the same on every retry."""
        return await post_signed(
            self.http,
            url,
            secret=secret,
            msg_id=f"msg_{row.id.hex}",
            body=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
            at=at,
            allow_private=self.settings.allow_private_webhooks,
            timeout=self.settings.webhook_timeout_seconds,
        )

    async def _settle(self, row: Delivery, outcome: Outcome, mid: str | None, at: datetime) -> None:
        settled = await self._settled(
            SettleCommand(delivery=row, outcome=outcome, message_id=mid, at=at)
        )
        if settled.next_attempt_at is not None:
            self.poller.stored(settled.next_attempt_at)  # a retry: the next pass must see it
        if row.channel == WEBHOOK and not outcome.ok:  # it may have disabled the subscription
            forget_subscriptions(self.runtime)
        record_delivery(row.channel, settled.status)

    async def _settled(self, cmd: SettleCommand) -> Settled:
        """Settle ``cmd`` in one transaction with every outcome that arrived meanwhile.

        One settling transaction at a time: the outcomes that wait for it go together in
        the next (group commit), so a burst costs one transaction, and one pooled
        connection, per group instead of per delivery. Alone, an outcome waits for nothing.
        """
        done: asyncio.Future[Settled] = asyncio.get_running_loop().create_future()
        self._to_settle.append((cmd, done))
        async with self._settling:
            if not done.done():  # not settled by the previous group: this one takes the queue
                group, self._to_settle = self._to_settle, []
                await self._settle_group(group)
        return await done

    async def _settle_group(
        self, group: list[tuple[SettleCommand, asyncio.Future[Settled]]]
    ) -> None:
        """All in one transaction; if that fails, each alone (one bad row fails only itself)."""
        try:
            if len(group) > 1:
                try:
                    async with self.runtime.uow() as uow:
                        settled = await settle_many(
                            uow,
                            [cmd for cmd, _ in group],
                            policies=self.policies,
                            disable_after=self.settings.webhook_disable_after_failures,
                        )
                except Exception as exc:
                    log.info("settling one at a time", error=repr(exc), size=len(group))
                else:
                    for (_, done), result in zip(group, settled, strict=True):
                        done.set_result(result)
                    return
            for cmd, done in group:
                try:
                    async with self.runtime.uow() as uow:
                        done.set_result(
                            await settle(
                                uow,
                                cmd,
                                policy=self.policies[cmd.delivery.channel],
                                disable_after=self.settings.webhook_disable_after_failures,
                            )
                        )
                except Exception as exc:
                    done.set_exception(exc)
        finally:
            for _, done in group:  # cancelled midway: the others' waits must end too
                if not done.done():
                    done.cancel()


class DueDeliveries(DueJob[SqlNotificationUnitOfWork, Leased]):
    """The poller's job: lease due deliveries (the lease is the stamp), send after commit."""

    def __init__(self, worker: DeliveryWorker) -> None:
        self._worker = worker

    async def claim(
        self, uow: SqlNotificationUnitOfWork, *, now: datetime, limit: int
    ) -> Sequence[Leased]:
        return await lease_due(
            uow, now=now, batch=limit, lease_seconds=self._worker.settings.lease_seconds
        )

    async def act(
        self, uow: SqlNotificationUnitOfWork, rows: Sequence[Leased], *, now: datetime
    ) -> None:
        """Nothing more in the claim's transaction: the send must not hold it open."""

    async def next_due(self, uow: SqlNotificationUnitOfWork, *, now: datetime) -> datetime | None:
        # After the claim, so the claimed rows count with their lease's end.
        return await next_due(uow)

    async def after(self, rows: Sequence[Leased], *, now: datetime) -> None:
        await self._worker.send_all(rows)
