"""Background jobs of entitlement: contract ends and starts as they pass, due maintenance."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.config import Settings
from entitlement.usecases import contracts as service
from entitlement.usecases.maintenance_schedule import announce_due_occurrences
from shared.periodic import Periodic
from shared.poller import DurablePoller
from shared.runtime import ServiceRuntime

if TYPE_CHECKING:
    from entitlement.app import EntitlementState


async def contract_expiry_job(
    runtime: ServiceRuntime[EntitlementUnitOfWork, Settings, EntitlementState], stop: asyncio.Event
) -> None:
    """Announce ended contracts, and started ones, until ``stop`` is set.

    Durable because the state is in the rows: each pass claims a batch of contracts whose
    end (start) passed and is not yet announced (``FOR UPDATE SKIP LOCKED``), stamps them
    and writes their ``contract.changed`` events in one transaction (shared.poller). A
    crash loses nothing: unstamped rows are found by the next pass of any replica. "Now"
    is the runtime's injectable clock, so a test moves time instead of sleeping.
    """
    settings = runtime.settings
    poller: DurablePoller[EntitlementUnitOfWork] = DurablePoller(
        "contract expiry",
        uow=runtime.uow,
        # Contracts signed ahead of their start raise the tier when it comes.
        jobs=[service.EXPIRED, service.STARTED],
        clock=runtime.clock,
        batch=settings.expiry_batch,
        poll_seconds=settings.expiry_poll_seconds,
    )
    runtime.state.expiry_poller = poller
    await poller.run(stop)


async def maintenance_job(
    runtime: ServiceRuntime[EntitlementUnitOfWork, Settings, EntitlementState], stop: asyncio.Event
) -> None:
    """Announce due maintenance occurrences until ``stop`` is set (exactly once per key)."""

    async def announce() -> float | None:
        try:
            await announce_due_occurrences(runtime.uow, now=runtime.clock.now())
        finally:
            runtime.state.maintenance_passes += 1  # counted even when it failed: tests wait on it
        return None

    interval = runtime.settings.maintenance_poll_seconds
    await Periodic("maintenance", announce, interval=interval).run(stop)
