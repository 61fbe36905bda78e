"""The delivery worker: claims due deliveries, sends them, records each attempt and outcome.

Claiming follows the house pattern (``FOR UPDATE SKIP LOCKED``, see sla-clock's
scheduler) with a lease: a claimed row is marked ``sending`` and becomes due again
``lease_seconds`` later, so a worker that dies mid-send leaves it to the next claim.
The send happens outside any transaction; the outcome (attempt row, status, the
notification.* event in the outbox) commits afterwards. A crash between the
receiver's "accepted" and that commit therefore re-sends once, with the same
Message-ID (derived from the delivery key) or the same ``webhook-id``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx

from notification.adapters.repository import DUE_CHANNEL
from notification.adapters.senders import SmtpSender, SmtpTarget, build_email, post_signed
from notification.adapters.subscriptions import forget_subscriptions
from notification.config import Settings
from notification.domain import registration
from notification.domain.backoff import RetryPolicy
from notification.domain.delivery import Delivery, Outcome
from notification.domain.keys import angle, message_id
from notification.domain.planning import CHAT, EMAIL, WEBHOOK
from notification.domain.templates import render
from notification.metrics import record_delivery
from notification.runtime import NotificationRuntime
from notification.usecases.delivery import Claimed, SettleCommand, claim_due, settle
from shared import pgconnect
from shared.logging import get_logger
from shared.periodic import NextDue, Periodic

log = get_logger(__name__)
LISTEN_RETRY_SECONDS = 5.0


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
        self._listener: Any = None  # the LISTEN connection while ``run`` runs
        self._listened_at = 0.0
        self._wake: Callable[[], None] = lambda: None
        self._due: NextDue | None = None  # while ``run`` runs
        self.upcoming: datetime | None = None  # the earliest pending row, as the last claim saw

    def now(self) -> datetime:
        return self.runtime.clock.now()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop``; a full batch goes round again at once.

        Between rounds it sleeps until new deliveries are committed (PostgreSQL
        ``NOTIFY``), the earliest pending row falls due (a retry, a registration's wait,
        a lease), or shutdown. The poll interval only caps that sleep: it bounds how late
        a row is seen while the LISTEN connection is down.
        """
        poll = self.settings.worker_poll_seconds
        loop = Periodic("delivery worker", self._round, interval=poll, backoff=poll)
        self._wake = loop.wake
        self._due = NextDue(loop, self.runtime.clock, cap=poll)
        self._listener, self._listened_at = await self._listen(), time.monotonic()
        try:
            await loop.run(stop)
        finally:
            if self._listener is not None:
                with contextlib.suppress(Exception):
                    await self._listener.close()
            await self.aclose()

    async def _round(self) -> float:
        assert self._due is not None
        self._due.passing()
        try:
            claimed = await self.deliver_due()
        finally:
            lost = self._listener is None or self._listener.is_closed()
            if lost and time.monotonic() - self._listened_at > LISTEN_RETRY_SECONDS:
                # The database restarted: listen again (polling covered the gap).
                self._listener, self._listened_at = await self._listen(), time.monotonic()
        if claimed >= self.settings.worker_batch:
            return 0
        return self._due.pause(self.upcoming)

    async def _listen(self) -> Any:
        """A connection LISTENing for new deliveries; None (poll only) if it cannot be had."""
        try:
            conn = await pgconnect.connect(self.settings.database.url, timeout=5)
            await conn.add_listener(DUE_CHANNEL, lambda *_: self._wake())
        except Exception as exc:
            log.warning("no LISTEN connection; polling only", error=repr(exc))
            return None
        return conn

    async def aclose(self) -> None:
        """Release the HTTP client and the kept SMTP sessions."""
        await self.http.aclose()
        await self.smtp.close()

    async def deliver_due(self) -> int:
        """Claim one batch of due deliveries and send them concurrently; return how many."""
        rows, facts = await self._claim()
        await asyncio.gather(*(self._deliver(row, facts) for row in rows))
        return len(rows)

    async def _claim(self) -> tuple[list[Delivery], Claimed]:
        async with self.runtime.uow() as uow:
            claimed = await claim_due(
                uow,
                now=self.now(),
                batch=self.settings.worker_batch,
                lease_seconds=self.settings.lease_seconds,
            )
        self.upcoming = claimed.upcoming
        return claimed.deliveries, claimed

    async def _deliver(self, row: Delivery, facts: Claimed) -> None:
        async with self._slots:
            at = self.now()
            try:
                outcome, mid = await self._send(row, facts, at)
            except Exception as exc:  # a template or data bug: retrying will not fix it
                log.exception("delivery could not be built", delivery=str(row.id))
                outcome, mid = (
                    Outcome(ok=False, latency_ms=0, reply=repr(exc), permanent=True),
                    None,
                )
            await self._settle(row, outcome, mid, at)

    async def _send(
        self, row: Delivery, facts: Claimed, at: datetime
    ) -> tuple[Outcome, str | None]:
        if row.channel == EMAIL:
            contact_id = row.context.get("contact_id")
            context, language = registration.render_facts(
                row.template,
                row.context,
                row.language,
                ticket=facts.tickets.get(row.ticket_id) if row.ticket_id else None,
                contact=facts.contacts.get(UUID(contact_id)) if contact_id else None,
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
        async with self.runtime.uow() as uow:
            settled = await settle(
                uow,
                SettleCommand(delivery=row, outcome=outcome, message_id=mid, at=at),
                policy=self.policies[row.channel],
                disable_after=self.settings.webhook_disable_after_failures,
            )
        if settled.next_attempt_at is not None and self._due is not None:
            self._due.stored(settled.next_attempt_at)  # a retry: the next pass must see it
        if row.channel == WEBHOOK and not outcome.ok:  # it may have disabled the subscription
            forget_subscriptions(self.runtime)
        record_delivery(row.channel, settled.status)
