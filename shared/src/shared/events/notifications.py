"""Events owned by notification, on ``support.notifications.v1`` keyed by ticket id
(or by the source event's subject when there is no ticket).

One event per delivery outcome; ``delivery_key`` is the idempotency key
(source event, recipient, channel, template), stable across redelivery.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from shared.events.base import EventData
from shared.events.topics import NOTIFICATIONS


class NotificationEventData(EventData):
    """Fields every delivery outcome carries."""

    TOPIC: ClassVar[str] = NOTIFICATIONS

    notification_id: UUID
    delivery_key: str
    channel: str  # email | webhook | chat
    recipient: str
    template: str
    source_event_id: UUID | None = None
    source_event_type: str | None = None
    ticket_id: UUID | None = None
    customer_id: UUID | None = None
    attempt: int = 1


class NotificationSent(NotificationEventData):
    """The receiver accepted the message (SMTP 250, HTTP 2xx)."""

    TYPE: ClassVar[str] = "notification.sent"

    message_id: str | None = None
    status_code: int | None = None


class NotificationRetrying(NotificationEventData):
    """An attempt failed; another follows at ``next_attempt_at``."""

    TYPE: ClassVar[str] = "notification.retrying"

    error: str
    next_attempt_at: str | None = None


class NotificationFailed(NotificationEventData):
    """Delivery gave up (attempts exhausted, or a permanent refusal)."""

    TYPE: ClassVar[str] = "notification.failed"

    error: str
