"""Background jobs of entitlement: contract ends and starts as they pass, due maintenance."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from entitlement.config import Settings
from entitlement.usecases import contracts as service
from entitlement.usecases.maintenance_schedule import announce_due_occurrences
from shared.periodic import Periodic
from shared.runtime import ServiceRuntime

if TYPE_CHECKING:
    from entitlement.app import EntitlementState


async def contract_expiry_job(
    runtime: ServiceRuntime[Any, Settings, EntitlementState], stop: asyncio.Event
) -> None:
    """Announce ended contracts until ``stop`` is set; durable because state is in the rows.

    Each pass claims a batch of contracts whose end passed and whose expiry is not yet
    announced (``FOR UPDATE SKIP LOCKED``), stamps them and writes their
    ``contract.changed``/``expired`` events in one transaction. A crash loses nothing:
    unstamped rows are found by the next pass of any replica. "Now" is the runtime's
    injectable clock, so a test moves time instead of sleeping.
    """
    settings = runtime.settings

    async def announce() -> float | None:
        try:
            now = runtime.clock.now()
            expired = await service.announce_expired_contracts(
                runtime.uow(), now=now, batch=settings.expiry_batch
            )
            # Contracts signed ahead of their start raise the tier when it comes.
            started = await service.announce_started_contracts(
                runtime.uow(), now=now, batch=settings.expiry_batch
            )
        finally:
            runtime.state.expiry_passes += 1  # counted even when it failed: tests wait on it
        return 0 if max(expired, started) >= settings.expiry_batch else None  # 0: more waiting

    await Periodic("contract expiry", announce, interval=settings.expiry_poll_seconds).run(stop)


async def maintenance_job(
    runtime: ServiceRuntime[Any, Settings, EntitlementState], stop: asyncio.Event
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
