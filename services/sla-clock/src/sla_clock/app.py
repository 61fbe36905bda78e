"""The sla-clock FastAPI app and its runtime."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import FastAPI

from shared.auth import system_principal_headers
from shared.clock import Clock
from shared.runtime import ServiceRuntime, build_app
from sla_clock.adapters.policies import EntitlementPolicies, PolicySource
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.api.routes import router
from sla_clock.config import SCHEMA, Settings
from sla_clock.handlers import TOPICS, make_handlers
from sla_clock.metrics import timer_sampler
from sla_clock.scheduler import AlarmScheduler


@dataclass
class SlaState:
    """What sla-clock's runtime holds besides the shared resources."""

    scheduler: AlarmScheduler | None = None
    # Where a preview sent without a policy finds the programme's (entitlement).
    policies: PolicySource | None = None


SlaRuntime = ServiceRuntime[SlaUnitOfWork, Settings, SlaState]


def build_scheduler(runtime: SlaRuntime) -> AlarmScheduler:
    """The alarm scheduler of one runtime (its uow, its clock, its settings)."""
    settings = runtime.settings
    return AlarmScheduler(
        uow_factory=runtime.uow,
        clock=runtime.clock,
        poll_seconds=settings.scheduler_poll_seconds,
        batch_size=settings.scheduler_batch_size,
        max_batch_size=settings.scheduler_max_batch_size,
        late_after=timedelta(seconds=settings.late_after_seconds),
        catch_up_gate=runtime.consumer.caught_up if runtime.consumer else None,
    )


def bound_uow(state: SlaState) -> type[SlaUnitOfWork]:
    """The unit of work of one runtime: its commits wake that runtime's scheduler.

    The consumer stores a ticket's alarms; a nearer one than the scheduler's next pass
    wakes it, so the scheduler can sleep a whole poll when nothing is near.
    """

    class RuntimeUnitOfWork(SlaUnitOfWork):
        def _due_committed(self, earliest: datetime) -> None:
            if state.scheduler is not None:
                state.scheduler.alarm_stored(earliest)

    return RuntimeUnitOfWork


async def scheduler_task(runtime: SlaRuntime, stop: asyncio.Event) -> None:
    """Background task: fire warnings and breaches when their instants come."""
    if not runtime.settings.run_scheduler:
        return
    scheduler = build_scheduler(runtime)
    runtime.state.scheduler = scheduler
    await scheduler.run(stop)


def entitlement_policies(settings: Settings) -> EntitlementPolicies:
    """The programme's policy as entitlement serves it (for previews sent without one)."""
    return EntitlementPolicies(
        base_url=settings.entitlement_url,
        version=settings.preview_policy_version,
        headers=system_principal_headers("sla-clock", settings.internal_token),
    )


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    policies: PolicySource | None = None,
) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    state = SlaState(policies=policies or entitlement_policies(settings))
    runtime = ServiceRuntime(
        name="sla-clock",
        schema=SCHEMA,
        settings=settings,
        uow_class=bound_uow(state),
        state=state,
        handlers=make_handlers(),
        topics=TOPICS,
        clock=clock,
        background=[scheduler_task],
        direct_consumer=True,  # its repository runs on uow.statements (adapters/repository.py)
    )
    app = build_app(runtime, title="sla-clock", routers=[router])
    app.state.scrape.on_scrape(timer_sampler(runtime))
    return app
