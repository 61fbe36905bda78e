"""HTTP routes: the delivery log, webhook subscriptions and failing addresses.

Customer-bound keys (customer, bot) see only their customer's deliveries and
subscriptions; a foreign id answers 404. Staff see everything; subscribing to every
customer's events takes a manager or a system integration. Failing addresses (mail
to them bounced) are staff's to read and an admin's to clear.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from notification.adapters.subscriptions import forget_subscriptions
from notification.api.schemas import (
    AttemptRead,
    FailingAddressRead,
    NotificationRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
)
from notification.domain.delivery import Subscription
from notification.handlers import TOPICS
from notification.runtime import NotificationRuntime
from notification.uow import DeliveryFilter
from notification.usecases import mail, reading, webhooks
from notification.usecases.reading import Logged
from shared.auth import ANYONE, Principal, Role, require
from shared.events import EVENT_TYPES

router = APIRouter(tags=["notifications"])
Reader = Annotated[Principal, Depends(require(*ANYONE))]
Subscriber = Annotated[
    Principal, Depends(require(Role.manager, Role.system, Role.customer, Role.bot))
]
Staff = Annotated[Principal, Depends(require(Role.agent))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
SUBSCRIBABLE = sorted(t for t, m in EVENT_TYPES.items() if m.TOPIC in TOPICS)


def _runtime(request: Request) -> NotificationRuntime:
    runtime: NotificationRuntime = request.app.state.runtime
    return runtime


Runtime = Annotated[NotificationRuntime, Depends(_runtime)]


def _read(logged: list[Logged]) -> list[NotificationRead]:
    return [
        NotificationRead.of(
            item.delivery,
            [AttemptRead.model_validate(a, from_attributes=True) for a in item.attempts],
        )
        for item in logged
    ]


async def _log(
    runtime: NotificationRuntime, where: DeliveryFilter, limit: int
) -> list[NotificationRead]:
    async with runtime.uow() as uow:
        return _read(await reading.deliveries(uow, where, limit=limit))


@router.get("/notifications", response_model=list[NotificationRead])
async def list_notifications(
    runtime: Runtime,
    who: Reader,
    ticket: UUID | None = None,
    recipient: str | None = Query(default=None, max_length=500),
    channel: str | None = Query(default=None, pattern="^(email|webhook|chat)$"),
    status: str | None = Query(default=None, pattern="^(pending|sending|sent|failed|skipped)$"),
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[NotificationRead]:
    """Deliveries, oldest first, with each attempt; bound keys see their customer's only."""
    where = DeliveryFilter(
        customer_id=who.customer_scope,
        ticket_id=ticket,
        recipient=recipient.strip().lower() if recipient else None,
        channel=channel or None,
        status=status or None,
    )
    return await _log(runtime, where, limit)


@router.get("/notifications/failing-addresses", response_model=list[FailingAddressRead])
async def list_failing_addresses(
    runtime: Runtime, who: Staff, limit: int = Query(default=100, ge=1, le=1000)
) -> list[FailingAddressRead]:
    """Addresses not mailed because mail to them bounced, the latest bounce first (staff)."""
    async with runtime.uow() as uow:
        found = await uow.failing.listed(limit=limit)
    return [FailingAddressRead.model_validate(f, from_attributes=True) for f in found]


@router.delete("/notifications/failing-addresses/{address}", status_code=204)
async def clear_failing_address(runtime: Runtime, address: str, who: Admin) -> Response:
    """Mail the address again (an admin saw it fixed); 404 when it is not failing."""
    async with runtime.uow() as uow:
        await mail.clear_failing(uow, address)
    return Response(status_code=204)


@router.get("/tickets/{ticket_id}/notifications", response_model=list[NotificationRead])
async def ticket_notifications(
    runtime: Runtime,
    ticket_id: UUID,
    who: Reader,
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[NotificationRead]:
    """What notification sent about one ticket (404 for a ticket it does not know or may not show)."""
    async with runtime.uow() as uow:
        owner = await reading.ticket_owner(uow, ticket_id)
    who.scope(owner, what="ticket")
    return await _log(runtime, DeliveryFilter(ticket_id=ticket_id), limit)


def _webhook_read(subscription: Subscription) -> WebhookRead:
    return WebhookRead.model_validate(subscription, from_attributes=True)


@router.post("/webhooks", status_code=201, response_model=WebhookCreated)
async def create_webhook(runtime: Runtime, body: WebhookCreate, who: Subscriber) -> WebhookCreated:
    """Subscribe a URL; the answer carries the ``whsec_`` secret, shown this once."""
    webhooks.check_event_types(body.event_types, subscribable=SUBSCRIBABLE)
    customer_id = body.customer_id
    if who.customer_scope is not None:
        if customer_id is not None:
            who.scope(customer_id, what="customer")
        customer_id = who.customer_scope  # a bound key hears only its own customer
    await webhooks.check_target(body.url, allow_private=runtime.settings.allow_private_webhooks)
    cmd = webhooks.Subscribe(
        url=body.url, event_types=body.event_types, customer_id=customer_id, created_by=who.key_id
    )
    async with runtime.uow() as uow:
        created = await webhooks.subscribe(uow, cmd, now=runtime.clock.now())
    forget_subscriptions(runtime)
    return WebhookCreated(**_webhook_read(created).model_dump(), secret=created.secret)


@router.get("/webhooks", response_model=list[WebhookRead])
async def list_webhooks(runtime: Runtime, who: Subscriber) -> list[WebhookRead]:
    """Subscriptions (without secrets); bound keys see their customer's only."""
    async with runtime.uow() as uow:
        found = await uow.subscriptions.listed(customer_id=who.customer_scope)
    return [_webhook_read(s) for s in found]


@router.get("/webhooks/{webhook_id}", response_model=WebhookRead)
async def get_webhook(runtime: Runtime, webhook_id: UUID, who: Subscriber) -> WebhookRead:
    async with runtime.uow() as uow:
        return _webhook_read(await webhooks.visible(uow, webhook_id, scope=who.customer_scope))


@router.delete("/webhooks/{webhook_id}", status_code=204)
async def delete_webhook(runtime: Runtime, webhook_id: UUID, who: Subscriber) -> Response:
    """Unsubscribe; deliveries still pending for it fail as 'subscription deleted'."""
    async with runtime.uow() as uow:
        await webhooks.unsubscribe(uow, webhook_id, scope=who.customer_scope)
    forget_subscriptions(runtime)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[NotificationRead])
async def webhook_deliveries(
    runtime: Runtime,
    webhook_id: UUID,
    who: Subscriber,
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[NotificationRead]:
    """Each delivery to the subscription with every attempt's status code and latency."""
    async with runtime.uow() as uow:
        await webhooks.visible(uow, webhook_id, scope=who.customer_scope)
    return await _log(runtime, DeliveryFilter(subscription_id=webhook_id), limit)
