"""The sla-clock FastAPI app and its runtime."""

from fastapi import FastAPI

from shared.runtime import ServiceRuntime, build_app

from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.config import SCHEMA, Settings
from sla_clock.handlers import HANDLERS, TOPICS


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime = ServiceRuntime(
        name="sla-clock",
        schema=SCHEMA,
        settings=settings,
        uow_class=SlaUnitOfWork,
        handlers=HANDLERS,
        topics=TOPICS,
    )
    return build_app(runtime, title="sla-clock", routers=[])
