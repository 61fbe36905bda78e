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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import func, select, text, update

from notification.adapters import store
from notification.adapters.orm import contact_view, delivery, ticket_view, webhook_subscription
from notification.adapters.senders import (
    Outcome,
    SmtpSender,
    SmtpTarget,
    build_email,
    post_signed,
)
from notification.adapters.store import DUE_CHANNEL
from notification.adapters.subscriptions import forget_subscriptions
from notification.config import Settings
from notification.domain.backoff import RetryPolicy
from notification.domain.keys import angle, message_id
from notification.domain.planning import CHAT, EMAIL, WEBHOOK
from notification.domain.templates import render
from notification.metrics import record_delivery
from shared import pgconnect
from shared.events.notifications import (
    NotificationFailed,
    NotificationRetrying,
    NotificationSent,
)
from shared.logging import get_logger
from shared.periodic import NextDue, Periodic

log = get_logger(__name__)
LISTEN_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Settled:
    """What became of one attempt."""

    status: str  # sent | pending | failed
    next_attempt_at: datetime | None
    error: str | None


class DeliveryWorker:
    """Runs in the notification process (``ServiceRuntime`` background task)."""

    def __init__(self, runtime: Any, settings: Settings) -> None:
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
        now: datetime = self.runtime.clock.now()
        return now

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
        rows, deadlines = await self._claim()
        await asyncio.gather(*(self._deliver(row, deadlines) for row in rows))
        return len(rows)

    async def _claim(self) -> tuple[list[Any], dict[Any, Any]]:
        now = self.now()
        async with self.runtime.uow() as uow:
            due = (
                select(delivery.c.id)
                .where(delivery.c.status.in_(("pending", "sending")))
                .where(delivery.c.next_attempt_at <= now)
                .order_by(delivery.c.next_attempt_at)
                .limit(self.settings.worker_batch)
                .with_for_update(skip_locked=True)
            )
            rows = (
                await uow.session.execute(
                    update(delivery)
                    .where(delivery.c.id.in_(due.scalar_subquery()))
                    .values(
                        status="sending",
                        attempts=delivery.c.attempts + 1,
                        next_attempt_at=now + timedelta(seconds=self.settings.lease_seconds),
                        updated_at=func.now(),
                    )
                    .returning(*delivery.c)
                )
            ).all()
            # After the claim, so the claimed rows count with their lease's end.
            self.upcoming = await uow.session.scalar(
                select(func.min(delivery.c.next_attempt_at)).where(
                    delivery.c.status.in_(("pending", "sending"))
                )
            )
            facts = await self._facts(uow, rows)
            await uow.commit()
        return list(rows), facts

    async def _facts(self, uow: Any, rows: list[Any]) -> dict[Any, Any]:
        """What may have changed since planning: deadlines and the contact's name and language.

        Events of two topics arrive in any order, so a ticket can be planned before its
        contact (or its timers) is known; the message is rendered with what is known now.
        """
        facts: dict[Any, Any] = {}
        tickets = {r.ticket_id for r in rows if r.template == "ticket_registered"}
        if tickets:
            stmt = select(ticket_view).where(ticket_view.c.ticket_id.in_(tickets))
            for t in (await uow.session.execute(stmt)).all():
                facts[t.ticket_id] = t
        contacts = {UUID(r.context["contact_id"]) for r in rows if r.context.get("contact_id")}
        if contacts:
            stmt = select(contact_view).where(contact_view.c.contact_id.in_(contacts))
            for c in (await uow.session.execute(stmt)).all():
                facts[str(c.contact_id)] = c
        return facts

    async def _deliver(self, row: Any, deadlines: dict[Any, Any]) -> None:
        async with self._slots:
            at = self.now()
            try:
                outcome, mid = await self._send(row, deadlines, at)
            except Exception as exc:  # a template or data bug: retrying will not fix it
                log.exception("delivery could not be built", delivery=str(row.id))
                outcome, mid = (
                    Outcome(ok=False, latency_ms=0, reply=repr(exc), permanent=True),
                    None,
                )
            await self._settle(row, outcome, mid, at)

    async def _send(
        self, row: Any, deadlines: dict[Any, Any], at: datetime
    ) -> tuple[Outcome, str | None]:
        if row.channel == EMAIL:
            context, language = dict(row.context), row.language
            view = deadlines.get(row.ticket_id)
            if view is not None:
                context["response_due"] = _iso(view.response_due)
                context["resolution_due"] = _iso(view.resolution_due)
            contact = deadlines.get(context.get("contact_id"))
            if contact is not None:
                context["name"], language = contact.name, contact.language
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

    async def _webhook(self, row: Any, at: datetime) -> Outcome:
        async with self.runtime.uow() as uow:
            sub = (
                await uow.session.execute(
                    select(webhook_subscription).where(
                        webhook_subscription.c.id == row.subscription_id
                    )
                )
            ).one_or_none()
        if sub is None or not sub.active:
            return Outcome(
                ok=False, latency_ms=0, reply="subscription deleted or disabled", permanent=True
            )
        return await self._post(sub.url, sub.secret, row, row.context["envelope"], at)

    async def _chat(self, row: Any, at: datetime) -> Outcome:
        url, secret = self.settings.chat_callback_url, self.settings.chat_secret
        if not url or not secret:
            reason = "NOTIFICATION_CHAT_CALLBACK_URL and NOTIFICATION_CHAT_SECRET must be set"
            return Outcome(ok=False, latency_ms=0, reply=reason, permanent=True)
        return await self._post(url, secret, row, row.context, at)

    async def _post(self, url: str, secret: str, row: Any, payload: Any, at: datetime) -> Outcome:
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

    def _decide(self, row: Any, outcome: Outcome, at: datetime) -> Settled:
        if outcome.ok:
            return Settled("sent", None, None)
        policy = self.policies[row.channel]
        error = outcome.reply or f"status {outcome.status_code}"
        if outcome.permanent or policy.gives_up_after(row.attempts):
            return Settled("failed", None, error)
        return Settled("pending", at + timedelta(seconds=policy.delay(row.attempts)), error)

    async def _settle(self, row: Any, outcome: Outcome, mid: str | None, at: datetime) -> None:
        settled = self._decide(row, outcome, at)
        async with self.runtime.uow() as uow:
            await store.record_attempt(
                uow.session,
                delivery_id=row.id,
                attempt=row.attempts,
                at=at,
                ok=outcome.ok,
                status_code=outcome.status_code,
                reply=outcome.reply,
                latency_ms=outcome.latency_ms,
            )
            moved = await uow.session.execute(
                update(delivery)
                .where(
                    delivery.c.id == row.id,
                    delivery.c.status == "sending",
                    delivery.c.attempts == row.attempts,
                )
                .values(
                    status=settled.status,
                    next_attempt_at=settled.next_attempt_at or at,
                    last_error=settled.error,
                    message_id=mid if row.channel == EMAIL else None,
                    sent_at=at if outcome.ok else None,
                    updated_at=func.now(),
                )
                .returning(delivery.c.id)
            )
            if moved.first() is not None:  # else the lease ran out and another claim owns it
                await uow.outbox.publish(
                    _outcome_event(row, outcome, settled, mid), subject=_subject(row)
                )
                if row.channel == WEBHOOK and settled.status != "pending":
                    await self._count_subscription(uow, row, ok=outcome.ok)
            await uow.commit()
        if settled.next_attempt_at is not None and self._due is not None:
            self._due.stored(settled.next_attempt_at)  # a retry: the next pass must see it
        if row.channel == WEBHOOK and not outcome.ok:  # it may have disabled the subscription
            forget_subscriptions(self.runtime)
        record_delivery(row.channel, settled.status)

    async def _count_subscription(self, uow: Any, row: Any, *, ok: bool) -> None:
        """A run of failed deliveries disables the subscription (its owner re-creates it)."""
        if ok:
            await uow.session.execute(
                update(webhook_subscription)
                .where(webhook_subscription.c.id == row.subscription_id)
                .values(consecutive_failures=0)
            )
            return
        await uow.session.execute(
            text(
                f'UPDATE "{uow.schema}".webhook_subscription SET '
                "consecutive_failures = consecutive_failures + 1, "
                "active = CASE WHEN consecutive_failures + 1 >= :limit THEN false ELSE active END, "
                "disabled_at = CASE WHEN consecutive_failures + 1 >= :limit AND active "
                "THEN now() ELSE disabled_at END, "
                "disabled_reason = CASE WHEN consecutive_failures + 1 >= :limit AND active "
                "THEN :reason ELSE disabled_reason END "
                "WHERE id = :id"
            ),
            {
                "limit": self.settings.webhook_disable_after_failures,
                "reason": "too many failed deliveries in a row",
                "id": row.subscription_id,
            },
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _subject(row: Any) -> str:
    return str(row.ticket_id or row.customer_id or row.source_event_id or row.id)


def _outcome_event(row: Any, outcome: Outcome, settled: Settled, mid: str | None) -> Any:
    common = {
        "notification_id": row.id,
        "delivery_key": row.delivery_key,
        "channel": row.channel,
        "recipient": row.recipient,
        "template": row.template,
        "source_event_id": row.source_event_id,
        "source_event_type": row.source_event_type,
        "ticket_id": row.ticket_id,
        "customer_id": row.customer_id,
        "attempt": row.attempts,
    }
    if settled.status == "sent":
        return NotificationSent(**common, message_id=mid, status_code=outcome.status_code)
    if settled.status == "failed":
        return NotificationFailed(**common, error=settled.error or "failed")
    return NotificationRetrying(
        **common,
        error=settled.error or "failed",
        next_attempt_at=settled.next_attempt_at.isoformat() if settled.next_attempt_at else None,
    )
