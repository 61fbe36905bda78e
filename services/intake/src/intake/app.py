"""The intake FastAPI app and its runtime."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
from fastapi import FastAPI

from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.routes import router
from intake.config import SCHEMA, Settings
from intake.domain.config import IntakeConfig
from intake.handlers import TOPICS, build_handlers
from intake.usecases import lifecycle
from shared.auth import system_principal_headers
from shared.clock import Clock
from shared.logging import get_logger
from shared.runtime import ServiceRuntime, build_app

log = get_logger(__name__)


async def _open_clients(runtime: ServiceRuntime[Any]) -> None:
    settings: Settings = runtime.settings  # type: ignore[assignment]
    http = httpx.AsyncClient(
        base_url=settings.entitlement_url,
        timeout=settings.entitlement_timeout_seconds,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
        # The internal hop: entitlement trusts only the platform's token, and intake asks
        # as a vendor integration (system), never as the customer whose ticket it admits.
        headers=system_principal_headers("intake", settings.internal_token),
    )
    runtime.state["http"] = http
    runtime.state["entitlements"] = EntitlementClient(
        http, tiers_cache_seconds=settings.tiers_cache_seconds
    )
    runtime.state["config"] = IntakeConfig(
        registration_prefix=settings.registration_prefix,
        auto_close_working_days=settings.auto_close_working_days,
        auto_close_after_seconds=settings.auto_close_after_seconds,
        kb_suggestions=settings.kb_suggestions,
    )


async def _close_clients(runtime: ServiceRuntime[Any]) -> None:
    await runtime.state["http"].aclose()


async def auto_close_job(runtime: ServiceRuntime[Any], stop: asyncio.Event) -> None:
    """Close resolved tickets whose agreed time passed: durable (the instant is a column),
    safe in several replicas (SKIP LOCKED), and driven by the runtime's injectable clock."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    while not stop.is_set():
        try:
            while await lifecycle.auto_close_due(runtime.uow(), now=runtime.clock.now()) > 0:
                pass
        except Exception as exc:
            log.warning("auto-close pass failed; will retry", error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.auto_close_poll_seconds)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime = ServiceRuntime(
        name="intake",
        schema=SCHEMA,
        settings=settings,
        uow_class=IntakeUnitOfWork,
        topics=TOPICS,
        clock=clock,
        background=[auto_close_job],
        on_start=[_open_clients],
        on_stop=[_close_clients],
    )
    # The tier-change handler asks entitlement, whose client opens with the lifespan.
    runtime.handlers = build_handlers(lambda: runtime.state["entitlements"])
    return build_app(runtime, title="intake", routers=[router])
