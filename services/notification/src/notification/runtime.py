"""Notification's runtime: the shared resources, typed by its unit of work, settings and state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from notification.adapters.subscriptions import SubscriptionCache
from notification.adapters.uow import SqlNotificationUnitOfWork
from notification.config import Settings
from shared.runtime import ServiceRuntime

if TYPE_CHECKING:
    from notification.worker import DeliveryWorker


@dataclass
class NotificationState:
    """What notification's runtime holds besides the shared resources."""

    worker: DeliveryWorker | None = None
    # The consumer's webhook subscriptions; the API and the worker clear it on a change.
    subscriptions: SubscriptionCache | None = None


NotificationRuntime = ServiceRuntime[SqlNotificationUnitOfWork, Settings, NotificationState]
