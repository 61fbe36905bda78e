"""The escalation FastAPI app and its runtime."""

from fastapi import FastAPI

from escalation.config import SCHEMA, Settings
from escalation.handlers import HANDLERS, TOPICS
from shared.db import UnitOfWork
from shared.observed import observed_router
from shared.runtime import ServiceRuntime, build_app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime = ServiceRuntime(
        name="escalation",
        schema=SCHEMA,
        settings=settings,
        uow_class=UnitOfWork,
        handlers=HANDLERS,
        topics=TOPICS,
    )
    return build_app(runtime, title="escalation", routers=[observed_router("/escalations")])
