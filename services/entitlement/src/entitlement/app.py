"""The entitlement FastAPI app and its runtime."""

import asyncio
from dataclasses import dataclass

from fastapi import FastAPI

from entitlement.adapters.cache import EntitlementCache
from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.api.maintenance_routes import router as maintenance_router
from entitlement.api.routes import router
from entitlement.config import SCHEMA, Settings
from entitlement.jobs import contract_expiry_job, maintenance_job
from shared.clock import Clock
from shared.poller import DurablePoller
from shared.runtime import BackgroundTask, ServiceRuntime, build_app


@dataclass
class EntitlementState:
    """What entitlement's runtime holds besides the shared resources."""

    entitlement_cache: EntitlementCache
    maintenance_passes: int = 0  # passes of the maintenance scheduler, failed ones included
    expiry_poller: DurablePoller[EntitlementUnitOfWork] | None = None  # while it runs

    @property
    def expiry_passes(self) -> int:
        """Passes of the contract expiry job, failed ones included (tests wait on them)."""
        return self.expiry_poller.passes if self.expiry_poller is not None else 0


EntitlementRuntime = ServiceRuntime[EntitlementUnitOfWork, Settings, EntitlementState]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    cache = EntitlementCache(ttl=settings.entitlement_cache_ttl_seconds)

    class UnitOfWork(EntitlementUnitOfWork):
        entitlement_cache = cache

    async def cache_listener(runtime: EntitlementRuntime, stop: asyncio.Event) -> None:
        await cache.listen(settings.database.url, stop)

    background: list[BackgroundTask] = []
    if settings.run_expiry_job:
        background.append(contract_expiry_job)
    if settings.run_maintenance_job:
        background.append(maintenance_job)
    if settings.entitlement_cache:
        background.append(cache_listener)
    runtime = ServiceRuntime(
        name="entitlement",
        schema=SCHEMA,
        settings=settings,
        uow_class=UnitOfWork,
        clock=clock,
        background=background,
        state=EntitlementState(entitlement_cache=cache),
        dedicated_connections={"cache LISTEN": 1} if settings.entitlement_cache else {},
    )
    return build_app(runtime, title="entitlement", routers=[router, maintenance_router])
