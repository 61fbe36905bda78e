"""A delivery and its life: pending → sending (leased) → sent | pending (retry) | failed.

A delivery may also be ``skipped``: stored with the reason and never attempted (an email
to a failing address, an answer the rate limit holds back; see ``domain.answers``).

Pure: the worker's use case (``usecases.delivery``) asks :func:`decide` what an
attempt's outcome means, and the adapters store what it answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from notification.domain.backoff import RetryPolicy


class Status(StrEnum):
    """A delivery's status (``delivery.status``)."""

    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"


# Rows the worker may claim: waiting ones, and leased ones whose lease ran out.
CLAIMABLE = (Status.pending, Status.sending)
FINAL = frozenset({Status.sent, Status.failed, Status.skipped})
DISABLED_REASON = "too many failed deliveries in a row"


@dataclass(frozen=True)
class Delivery:
    """One stored message to one recipient over one channel (a ``delivery`` row)."""

    id: UUID
    delivery_key: str
    channel: str
    recipient: str
    template: str
    language: str
    ticket_id: UUID | None
    customer_id: UUID | None
    subscription_id: UUID | None
    source_event_id: UUID | None
    source_event_type: str | None
    context: dict[str, Any]
    in_reply_to: str | None
    message_id: str | None
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Attempt:
    """One try of a delivery, as the receiver answered it."""

    delivery_id: UUID
    attempt: int
    attempted_at: datetime
    ok: bool
    status_code: int | None
    reply: str | None
    latency_ms: float


@dataclass(frozen=True)
class Subscription:
    """A webhook subscription (its secret signs every POST)."""

    id: UUID
    url: str
    event_types: list[str]
    customer_id: UUID | None
    secret: str
    active: bool
    created_by: str | None
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime

    def wants_type(self, event_type: str) -> bool:
        """``*`` subscribes to every type."""
        return "*" in self.event_types or event_type in self.event_types


@dataclass(frozen=True)
class Outcome:
    """One attempt: did the receiver accept it, what did it say, may we try again."""

    ok: bool
    latency_ms: float
    status_code: int | None = None
    reply: str = ""
    permanent: bool = False


@dataclass(frozen=True)
class Settled:
    """Where an attempt leaves its delivery."""

    status: Status
    next_attempt_at: datetime | None
    error: str | None


def decide(policy: RetryPolicy, *, attempts: int, outcome: Outcome, at: datetime) -> Settled:
    """Sent; failed for good (a permanent refusal, or the last attempt); or retried later."""
    if outcome.ok:
        return Settled(Status.sent, None, None)
    error = outcome.reply or f"status {outcome.status_code}"
    if outcome.permanent or policy.gives_up_after(attempts):
        return Settled(Status.failed, None, error)
    return Settled(Status.pending, at + timedelta(seconds=policy.delay(attempts)), error)


def lease_end(now: datetime, lease_seconds: float) -> datetime:
    """A claimed row is claimed again after this, should its worker die mid-send."""
    return now + timedelta(seconds=lease_seconds)


def disables(subscription_failures: int, *, limit: int) -> bool:
    """A run of ``limit`` failed deliveries in a row disables a subscription."""
    return subscription_failures >= limit
