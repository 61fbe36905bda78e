"""The consumer's handlers on a fake unit of work: routing, inbox names, the event record."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from notification.adapters.subscriptions import SubscriptionCache
from notification.config import Settings
from notification.handlers import NotificationHandlers
from shared.events.sla import TimerUnchanged
from shared.events.tickets import TicketAssigned
from shared.messaging.handlers import inbox_name
from shared.settings import DatabaseSettings

from .conftest import NOW, FakeUnitOfWork, wrap
from .test_consumer_usecases import created

pytestmark = pytest.mark.asyncio
# The inbox claims (handler name, event id): a renamed handler would apply old events again.
INBOX_NAMES = {
    "ticket.created": "NotificationHandlers.on_ticket_created",
    "ticket.commented": "NotificationHandlers.on_ticket_event",
    "ticket.status_changed": "NotificationHandlers.on_ticket_event",
    "ticket.change_request_advanced": "NotificationHandlers.on_ticket_event",
    "sla.timer.scheduled": "NotificationHandlers.on_deadline",
    "sla.timer.recomputed": "NotificationHandlers.on_deadline",
    "sla.timer.resumed": "NotificationHandlers.on_deadline",
    "escalation.raised": "NotificationHandlers.on_staff_event",
    "ola.warning": "NotificationHandlers.on_staff_event",
    "ola.breached": "NotificationHandlers.on_staff_event",
    "customer.changed": "NotificationHandlers.on_directory",
    "calendar.changed": "NotificationHandlers.on_directory",
    "contact.changed": "NotificationHandlers.on_directory",
    "release.published": "NotificationHandlers.on_release",
    "ticket.assigned": "NotificationHandlers.on_webhooks",
    "mail.sender_unknown": "NotificationHandlers.on_sender_unknown",
    "mail.bounced": "NotificationHandlers.on_mail_bounced",
}


class Clock:
    def now(self) -> Any:
        return NOW


def handlers() -> NotificationHandlers:
    settings = Settings(database=DatabaseSettings(url="postgresql+asyncpg://x@localhost/x"))
    return NotificationHandlers(settings, Clock(), SubscriptionCache(ttl=60.0))  # type: ignore[arg-type]


class TestRegistry:
    async def test_inbox_names_stay_as_they_were(self) -> None:
        registry = handlers().registry()
        for event_type, name in INBOX_NAMES.items():
            [handler] = registry[event_type]
            assert inbox_name(handler) == f"notification.handlers.{name}"

    async def test_an_event_is_applied(self, uow: FakeUnitOfWork) -> None:
        h = handlers()
        envelope = wrap(created())
        [handler] = h.registry()["ticket.created"]
        await handler(envelope, uow)
        assert len(uow.deliveries.rows) == 1

    async def test_a_type_only_a_webhook_wants_is_planned_only_if_wanted(
        self, uow: FakeUnitOfWork
    ) -> None:
        h = handlers()
        assigned = wrap(TicketAssigned(ticket_id=uuid4(), assignee="petr"))
        [handler] = h.registry()["ticket.assigned"]
        await handler(assigned, uow)
        assert uow.deliveries.rows == {}
        uow.subscriptions.make("ticket.assigned")
        h.subscriptions.invalidate()
        await handler(assigned, uow)
        assert [d.channel for d in uow.deliveries.rows.values()] == ["webhook"]

    async def test_a_type_nobody_wants_reads_no_subscriptions_twice(
        self, uow: FakeUnitOfWork
    ) -> None:
        h = handlers()
        unchanged = wrap(TimerUnchanged(ticket_id=uuid4(), timer="response"))
        [handler] = h.registry()["sla.timer.unchanged"]
        await handler(unchanged, uow)
        assert h.registry().get("sla.timer.unchanged", ()) == ()
        assert uow.subscriptions.reads == 1
