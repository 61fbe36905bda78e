"""The notification FastAPI app and its runtime: consumer, relay and the delivery worker."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import FastAPI

from notification.adapters.subscriptions import SubscriptionCache
from notification.api.routes import router
from notification.config import SCHEMA, Settings
from notification.handlers import TOPICS, NotificationHandlers
from notification.worker import DeliveryWorker
from shared.db import UnitOfWork
from shared.runtime import ServiceRuntime, build_app


@dataclass
class NotificationState:
    """What notification's runtime holds besides the shared resources."""

    worker: DeliveryWorker | None = None
    # The consumer's webhook subscriptions; the API and the worker clear it on a change.
    subscriptions: SubscriptionCache | None = None


NotificationRuntime = ServiceRuntime[UnitOfWork, Settings, NotificationState]


async def delivery_worker(runtime: NotificationRuntime, stop: asyncio.Event) -> None:
    """Background task: send due deliveries until shutdown."""
    worker = DeliveryWorker(runtime, runtime.settings)
    runtime.state.worker = worker
    await worker.run(stop)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime: NotificationRuntime = ServiceRuntime(
        name="notification",
        schema=SCHEMA,
        settings=settings,
        uow_class=UnitOfWork,
        state=NotificationState(),
        topics=TOPICS,
        background=[delivery_worker] if settings.run_worker else [],
        dedicated_connections={"delivery worker LISTEN": 1} if settings.run_worker else {},
    )
    handlers = NotificationHandlers(settings, runtime.clock)
    runtime.handlers = handlers.registry()
    runtime.state.subscriptions = handlers.subscriptions
    return build_app(runtime, title="notification", routers=[router])
