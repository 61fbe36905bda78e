"""The escalation FastAPI app and its runtime: consumer, relay, OLA scheduler, routes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI

from escalation.adapters.uow import EscalationUnitOfWork
from escalation.api.routes import router
from escalation.config import SCHEMA, Settings
from escalation.handlers import TOPICS, make_handlers
from escalation.scheduler import OlaScheduler
from shared.clock import Clock, SystemClock
from shared.runtime import ServiceRuntime, build_app


@dataclass
class EscalationState:
    """What escalation's runtime holds besides the shared resources."""

    ola_scheduler: OlaScheduler | None = None


EscalationRuntime = ServiceRuntime[EscalationUnitOfWork, Settings, EscalationState]


def bound_uow(state: EscalationState) -> type[EscalationUnitOfWork]:
    """The unit of work of one runtime: a commit that stored an OLA target wakes its scheduler.

    The scheduler sleeps until its next instant; a target due sooner (a new escalation)
    must not wait for that.
    """

    class RuntimeUnitOfWork(EscalationUnitOfWork):
        def _due_committed(self, earliest: datetime) -> None:
            if state.ola_scheduler is not None:
                state.ola_scheduler.ola_stored(earliest)

    return RuntimeUnitOfWork


async def ola_task(runtime: EscalationRuntime, stop: asyncio.Event) -> None:
    """Background task: fire OLA warnings and breaches when their instants come."""
    settings = runtime.settings
    if not settings.run_scheduler:
        return
    scheduler = OlaScheduler(
        uow_factory=runtime.uow, clock=runtime.clock, poll_seconds=settings.scheduler_poll_seconds
    )
    runtime.state.ola_scheduler = scheduler
    await scheduler.run(stop)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    state = EscalationState()
    runtime = ServiceRuntime(
        name="escalation",
        schema=SCHEMA,
        settings=settings,
        uow_class=bound_uow(state),
        state=state,
        handlers=make_handlers(clock),
        topics=TOPICS,
        clock=clock,
        background=[ola_task],
        direct_consumer=True,  # its repositories run on uow.statements (adapters/sql.py)
    )
    return build_app(runtime, title="escalation", routers=[router])
