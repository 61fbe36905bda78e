"""The notification FastAPI app and its runtime: consumer, relay and the delivery worker."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from notification.api.routes import router
from notification.config import SCHEMA, Settings
from notification.handlers import TOPICS, NotificationHandlers
from notification.worker import DeliveryWorker
from shared.observed import ObservingUnitOfWork, observed_router
from shared.runtime import ServiceRuntime, build_app


async def delivery_worker(runtime: ServiceRuntime[Any], stop: asyncio.Event) -> None:
    """Background task: send due deliveries until shutdown."""
    worker = DeliveryWorker(runtime, runtime.settings)  # type: ignore[arg-type]
    runtime.state["worker"] = worker
    await worker.run(stop)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime: ServiceRuntime[ObservingUnitOfWork] = ServiceRuntime(
        name="notification",
        schema=SCHEMA,
        settings=settings,
        uow_class=ObservingUnitOfWork,
        topics=TOPICS,
        background=[delivery_worker] if settings.run_worker else [],
    )
    handlers = NotificationHandlers(settings, runtime.clock)
    runtime.handlers = handlers.registry()
    # The API and the worker clear it when they change a subscription.
    runtime.state["subscriptions"] = handlers.subscriptions
    return build_app(
        runtime, title="notification", routers=[router, observed_router("/notifications")]
    )
