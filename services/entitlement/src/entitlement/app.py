"""The entitlement FastAPI app and its runtime."""

from fastapi import FastAPI

from shared.runtime import ServiceRuntime, build_app

from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.api.routes import router
from entitlement.config import SCHEMA, Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime = ServiceRuntime(
        name="entitlement",
        schema=SCHEMA,
        settings=settings,
        uow_class=EntitlementUnitOfWork,
    )
    return build_app(runtime, title="entitlement", routers=[router])
