"""HTTP routes: the delivery log and webhook subscriptions.

Customer-bound keys (customer, bot) see only their customer's deliveries and
subscriptions; a foreign id answers 404. Staff see everything; subscribing to every
customer's events takes a manager or a system integration.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import delete, select

from notification.adapters.orm import delivery, delivery_attempt, ticket_view, webhook_subscription
from notification.adapters.subscriptions import forget_subscriptions
from notification.api.schemas import (
    AttemptRead,
    NotificationRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
)
from notification.domain.signing import new_secret
from notification.domain.urlguard import UnsafeUrl, check_url
from notification.handlers import TOPICS
from shared.auth import ANYONE, Principal, Role, require
from shared.errors import NotFound, Unprocessable
from shared.events import EVENT_TYPES
from shared.events.base import new_id

router = APIRouter(tags=["notifications"])
Reader = Annotated[Principal, Depends(require(*ANYONE))]
Subscriber = Annotated[
    Principal, Depends(require(Role.manager, Role.system, Role.customer, Role.bot))
]
SUBSCRIBABLE = sorted(t for t, m in EVENT_TYPES.items() if m.TOPIC in TOPICS)


def _runtime(request: Request) -> Any:
    return request.app.state.runtime


async def _attempts(uow: Any, ids: list[UUID]) -> dict[UUID, list[AttemptRead]]:
    if not ids:
        return {}
    rows = (
        await uow.session.execute(
            select(delivery_attempt)
            .where(delivery_attempt.c.delivery_id.in_(ids))
            .order_by(delivery_attempt.c.id)
        )
    ).all()
    out: dict[UUID, list[AttemptRead]] = {}
    for r in rows:
        out.setdefault(r.delivery_id, []).append(
            AttemptRead.model_validate(r, from_attributes=True)
        )
    return out


async def _deliveries(request: Request, where: list[Any], limit: int) -> list[NotificationRead]:
    async with _runtime(request).uow() as uow:
        rows = (
            await uow.session.execute(
                select(delivery)
                .where(*where)
                .order_by(delivery.c.created_at, delivery.c.id)
                .limit(limit)
            )
        ).all()
        attempts = await _attempts(uow, [r.id for r in rows])
    return [NotificationRead.of(r, attempts.get(r.id)) for r in rows]


@router.get("/notifications", response_model=list[NotificationRead])
async def list_notifications(
    request: Request,
    who: Reader,
    ticket: UUID | None = None,
    recipient: str | None = Query(default=None, max_length=500),
    channel: str | None = Query(default=None, pattern="^(email|webhook|chat)$"),
    status: str | None = Query(default=None, pattern="^(pending|sending|sent|failed)$"),
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[NotificationRead]:
    """Deliveries, oldest first, with each attempt; bound keys see their customer's only."""
    where: list[Any] = []
    if who.customer_scope is not None:
        where.append(delivery.c.customer_id == who.customer_scope)
    if ticket is not None:
        where.append(delivery.c.ticket_id == ticket)
    if recipient:
        where.append(delivery.c.recipient == recipient.strip().lower())
    if channel:
        where.append(delivery.c.channel == channel)
    if status:
        where.append(delivery.c.status == status)
    return await _deliveries(request, where, limit)


@router.get("/tickets/{ticket_id}/notifications", response_model=list[NotificationRead])
async def ticket_notifications(
    request: Request, ticket_id: UUID, who: Reader, limit: int = Query(default=100, ge=1, le=1000)
) -> list[NotificationRead]:
    """What notification sent about one ticket (404 for a ticket it does not know or may not show)."""
    async with _runtime(request).uow() as uow:
        owner = (
            await uow.session.execute(
                select(ticket_view.c.customer_id).where(ticket_view.c.ticket_id == ticket_id)
            )
        ).one_or_none()
    if owner is None:
        raise NotFound(f"Notification knows no ticket {ticket_id}.", slug="unknown-ticket")
    who.scope(owner.customer_id, what="ticket")
    return await _deliveries(request, [delivery.c.ticket_id == ticket_id], limit)


def _webhook_read(row: Any) -> WebhookRead:
    return WebhookRead.model_validate(row, from_attributes=True)


@router.post("/webhooks", status_code=201, response_model=WebhookCreated)
async def create_webhook(request: Request, body: WebhookCreate, who: Subscriber) -> WebhookCreated:
    """Subscribe a URL; the answer carries the ``whsec_`` secret, shown this once."""
    unknown = sorted(set(body.event_types) - {*SUBSCRIBABLE, "*"})
    if unknown:
        raise Unprocessable(
            f"Unknown event types {unknown}; subscribe to some of {SUBSCRIBABLE} or '*'.",
            slug="unknown-event-type",
            errors=[{"field": "event_types", "message": f"unknown: {unknown}"}],
        )
    customer_id = body.customer_id
    if who.customer_scope is not None:
        if customer_id is not None:
            who.scope(customer_id, what="customer")
        customer_id = who.customer_scope  # a bound key hears only its own customer
    settings = _runtime(request).settings
    try:
        await check_url(body.url, allow_private=settings.allow_private_webhooks)
    except UnsafeUrl as exc:
        raise Unprocessable(
            f"The webhook URL is refused: {exc}.",
            slug="unsafe-webhook-url",
            errors=[{"field": "url", "message": str(exc)}],
        ) from None
    secret = new_secret()
    async with _runtime(request).uow() as uow:
        row = (
            await uow.session.execute(
                webhook_subscription.insert()
                .values(
                    id=new_id(),
                    url=body.url,
                    event_types=sorted(set(body.event_types)),
                    customer_id=customer_id,
                    secret=secret,
                    active=True,
                    created_by=who.key_id,
                    consecutive_failures=0,
                    created_at=_runtime(request).clock.now(),
                )
                .returning(*webhook_subscription.c)
            )
        ).one()
        await uow.commit()
    forget_subscriptions(_runtime(request))
    return WebhookCreated(**_webhook_read(row).model_dump(), secret=secret)


async def _subscription(request: Request, webhook_id: UUID, who: Principal) -> Any:
    async with _runtime(request).uow() as uow:
        row = (
            await uow.session.execute(
                select(webhook_subscription).where(webhook_subscription.c.id == webhook_id)
            )
        ).one_or_none()
    if row is None or (who.customer_scope is not None and row.customer_id != who.customer_scope):
        raise NotFound(f"No webhook subscription {webhook_id}.", slug="unknown-webhook")
    return row


@router.get("/webhooks", response_model=list[WebhookRead])
async def list_webhooks(request: Request, who: Subscriber) -> list[WebhookRead]:
    """Subscriptions (without secrets); bound keys see their customer's only."""
    stmt = select(webhook_subscription).order_by(webhook_subscription.c.created_at)
    if who.customer_scope is not None:
        stmt = stmt.where(webhook_subscription.c.customer_id == who.customer_scope)
    async with _runtime(request).uow() as uow:
        rows = (await uow.session.execute(stmt)).all()
    return [_webhook_read(r) for r in rows]


@router.get("/webhooks/{webhook_id}", response_model=WebhookRead)
async def get_webhook(request: Request, webhook_id: UUID, who: Subscriber) -> WebhookRead:
    return _webhook_read(await _subscription(request, webhook_id, who))


@router.delete("/webhooks/{webhook_id}", status_code=204)
async def delete_webhook(request: Request, webhook_id: UUID, who: Subscriber) -> Response:
    """Unsubscribe; deliveries still pending for it fail as 'subscription deleted'."""
    await _subscription(request, webhook_id, who)
    async with _runtime(request).uow() as uow:
        await uow.session.execute(
            delete(webhook_subscription).where(webhook_subscription.c.id == webhook_id)
        )
        await uow.commit()
    forget_subscriptions(_runtime(request))
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[NotificationRead])
async def webhook_deliveries(
    request: Request,
    webhook_id: UUID,
    who: Subscriber,
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[NotificationRead]:
    """Each delivery to the subscription with every attempt's status code and latency."""
    await _subscription(request, webhook_id, who)
    return await _deliveries(request, [delivery.c.subscription_id == webhook_id], limit)
