"""The intake FastAPI app and its runtime."""

from typing import Any

import httpx
from fastapi import FastAPI

from shared.runtime import ServiceRuntime, build_app

from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.routes import router
from intake.config import SCHEMA, Settings


async def _open_clients(runtime: ServiceRuntime[Any]) -> None:
    settings: Settings = runtime.settings  # type: ignore[assignment]
    http = httpx.AsyncClient(
        base_url=settings.entitlement_url,
        timeout=settings.entitlement_timeout_seconds,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
    )
    runtime.state["http"] = http
    runtime.state["entitlements"] = EntitlementClient(http)


async def _close_clients(runtime: ServiceRuntime[Any]) -> None:
    await runtime.state["http"].aclose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime = ServiceRuntime(
        name="intake",
        schema=SCHEMA,
        settings=settings,
        uow_class=IntakeUnitOfWork,
        on_start=[_open_clients],
        on_stop=[_close_clients],
    )
    return build_app(runtime, title="intake", routers=[router])
