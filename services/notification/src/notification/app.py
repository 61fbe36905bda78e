"""The notification FastAPI app and its runtime: consumer, relay and the delivery worker."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from notification.adapters.uow import SqlNotificationUnitOfWork
from notification.api.internal import router as internal_router
from notification.api.routes import router
from notification.config import SCHEMA, Settings
from notification.handlers import TOPICS, NotificationHandlers
from notification.runtime import NotificationRuntime, NotificationState
from notification.worker import DeliveryWorker
from shared.runtime import ServiceRuntime, build_app


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
        uow_class=SqlNotificationUnitOfWork,
        state=NotificationState(),
        topics=TOPICS,
        background=[delivery_worker] if settings.run_worker else [],
        dedicated_connections={"delivery worker LISTEN": 1} if settings.run_worker else {},
    )
    handlers = NotificationHandlers(settings, runtime.clock)
    runtime.handlers = handlers.registry()
    runtime.state.subscriptions = handlers.subscriptions
    app = build_app(runtime, title="notification", routers=[router])
    app.include_router(internal_router)  # /internal/mail: the internal hop, not under /api/v1
    return app
