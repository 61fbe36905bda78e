"""Use cases of webhook subscriptions: subscribe, look up, unsubscribe.

A customer-bound caller (``scope``) sees and makes only its customer's subscriptions;
a foreign id is reported as unknown. The caller clears the subscription cache once a
change committed (``adapters.subscriptions.forget_subscriptions``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from notification.domain.delivery import Subscription
from notification.domain.signing import new_secret
from notification.domain.urlguard import UnsafeUrl, check_url
from notification.uow import NotificationUnitOfWork
from shared.errors import NotFound, Unprocessable
from shared.events.base import new_id


@dataclass(frozen=True)
class Subscribe:
    """A request to POST some event types (``*``: all) to a URL."""

    url: str
    event_types: list[str]
    customer_id: UUID | None
    created_by: str | None


def check_event_types(event_types: list[str], *, subscribable: Collection[str]) -> None:
    """Refuse a type that none of notification's topics carries."""
    unknown = sorted(set(event_types) - {*subscribable, "*"})
    if unknown:
        known = sorted(subscribable)
        raise Unprocessable(
            f"Unknown event types {unknown}; subscribe to some of {known} or '*'.",
            slug="unknown-event-type",
            errors=[{"field": "event_types", "message": f"unknown: {unknown}"}],
        )


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host is not a public address (unless allowed, for tests)."""
    try:
        await check_url(url, allow_private=allow_private)
    except UnsafeUrl as exc:
        raise Unprocessable(
            f"The webhook URL is refused: {exc}.",
            slug="unsafe-webhook-url",
            errors=[{"field": "url", "message": str(exc)}],
        ) from None


async def subscribe(uow: NotificationUnitOfWork, cmd: Subscribe, *, now: datetime) -> Subscription:
    """Store a new active subscription with a fresh ``whsec_`` secret; commit."""
    subscription = Subscription(
        id=new_id(),
        url=cmd.url,
        event_types=sorted(set(cmd.event_types)),
        customer_id=cmd.customer_id,
        secret=new_secret(),
        active=True,
        created_by=cmd.created_by,
        consecutive_failures=0,
        disabled_at=None,
        disabled_reason=None,
        created_at=now,
    )
    await uow.subscriptions.add(subscription)
    await uow.commit()
    return subscription


async def visible(
    uow: NotificationUnitOfWork, subscription_id: UUID, *, scope: UUID | None
) -> Subscription:
    """The subscription, if the caller may see it; NotFound otherwise."""
    found = await uow.subscriptions.get(subscription_id)
    if found is None or (scope is not None and found.customer_id != scope):
        raise NotFound(f"No webhook subscription {subscription_id}.", slug="unknown-webhook")
    return found


async def unsubscribe(
    uow: NotificationUnitOfWork, subscription_id: UUID, *, scope: UUID | None
) -> None:
    """Delete it; deliveries still pending for it fail as 'subscription deleted'."""
    await visible(uow, subscription_id, scope=scope)
    await uow.subscriptions.delete(subscription_id)
    await uow.commit()
