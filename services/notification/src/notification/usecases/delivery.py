"""Use cases of the delivery worker: lease due deliveries, and settle each attempt.

The send itself happens between the two, outside any transaction (``worker``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from notification.domain.backoff import RetryPolicy
from notification.domain.delivery import (
    DISABLED_REASON,
    Attempt,
    Delivery,
    Outcome,
    Settled,
    Status,
    decide,
    lease_end,
)
from notification.domain.planning import EMAIL, WEBHOOK, ContactFacts, TicketFacts
from notification.uow import NotificationUnitOfWork
from shared.events.base import EventData
from shared.events.notifications import (
    NotificationFailed,
    NotificationRetrying,
    NotificationSent,
)


@dataclass(frozen=True)
class Leased:
    """A delivery leased for one attempt, with what may have changed since it was planned."""

    delivery: Delivery
    ticket: TicketFacts | None = None  # a registration's ticket: its deadlines now
    contact: ContactFacts | None = None  # the addressed contact: their name and language now


async def lease_due(
    uow: NotificationUnitOfWork, *, now: datetime, batch: int, lease_seconds: float
) -> list[Leased]:
    """Lease one batch of due deliveries, read with the facts they render with.

    The lease is the stamp: a leased row is not due again until it runs out. Events of
    two topics arrive in any order, so a ticket can be planned before its contact (or
    its timers) is known; the message is rendered with what is known now (see
    ``domain.registration.render_facts``). An email whose address began failing since it
    was planned is settled as skipped here, never sent. The caller commits.
    """
    leased: list[Leased] = []
    for found in await uow.deliveries.claim(
        now, batch=batch, lease_until=lease_end(now, lease_seconds)
    ):
        if found.failing is not None and found.delivery.channel == EMAIL:
            await uow.deliveries.skip(found.delivery, reason=found.failing.reason(), at=now)
        else:
            leased.append(Leased(found.delivery, found.ticket, found.contact))
    return leased


async def next_due(uow: NotificationUnitOfWork) -> datetime | None:
    """When the earliest waiting or leased delivery falls due (a retry, a wait, a lease)."""
    return await uow.deliveries.earliest_open()


@dataclass(frozen=True)
class SettleCommand:
    """One attempt's result, to be stored."""

    delivery: Delivery
    outcome: Outcome
    message_id: str | None
    at: datetime


async def settle(
    uow: NotificationUnitOfWork,
    cmd: SettleCommand,
    *,
    policy: RetryPolicy,
    disable_after: int,
) -> Settled:
    """Record the attempt, move the delivery, publish its outcome; one transaction.

    A lease that ran out (another worker claimed the row again) stores only the attempt.
    """
    settled = await _record(uow, cmd, policy=policy, disable_after=disable_after)
    await uow.commit()
    return settled


async def settle_many(
    uow: NotificationUnitOfWork,
    cmds: Sequence[SettleCommand],
    *,
    policies: Mapping[str, RetryPolicy],
    disable_after: int,
) -> list[Settled]:
    """:func:`settle` for several attempts (each with its channel's policy), one commit.

    Under load the worker's sends end close together, and each settled alone cost a
    transaction. All or none: the caller settles them one by one if this fails.
    """
    settled = [
        await _record(uow, cmd, policy=policies[cmd.delivery.channel], disable_after=disable_after)
        for cmd in cmds
    ]
    await uow.commit()
    return settled


async def _record(
    uow: NotificationUnitOfWork, cmd: SettleCommand, *, policy: RetryPolicy, disable_after: int
) -> Settled:
    row, outcome = cmd.delivery, cmd.outcome
    settled = decide(policy, attempts=row.attempts, outcome=outcome, at=cmd.at)
    attempt = Attempt(
        delivery_id=row.id,
        attempt=row.attempts,
        attempted_at=cmd.at,
        ok=outcome.ok,
        status_code=outcome.status_code,
        reply=outcome.reply,
        latency_ms=outcome.latency_ms,
    )
    # The row keeps an email's Message-ID; the event names any channel's id for the message.
    stored = cmd.message_id if row.channel == EMAIL else None
    if await uow.deliveries.settle(row, settled, attempt=attempt, message_id=stored, at=cmd.at):
        event = _outcome_event(row, outcome, settled, cmd.message_id)
        await uow.outbox.publish(event, subject=_subject(row))
        if row.channel == WEBHOOK and settled.status != Status.pending and row.subscription_id:
            # A run of failed deliveries disables the subscription (its owner re-creates it).
            await uow.subscriptions.count_outcome(
                row.subscription_id,
                ok=outcome.ok,
                disable_after=disable_after,
                reason=DISABLED_REASON,
            )
    return settled


def _subject(row: Delivery) -> str:
    return str(row.ticket_id or row.customer_id or row.source_event_id or row.id)


def _outcome_event(row: Delivery, outcome: Outcome, settled: Settled, mid: str | None) -> EventData:
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
    if settled.status == Status.sent:
        return NotificationSent(**common, message_id=mid, status_code=outcome.status_code)
    if settled.status == Status.failed:
        return NotificationFailed(**common, error=settled.error or "failed")
    return NotificationRetrying(
        **common,
        error=settled.error or "failed",
        next_attempt_at=settled.next_attempt_at.isoformat() if settled.next_attempt_at else None,
    )
