"""Background jobs of entitlement: announcing contract ends and (future) starts as they pass."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from entitlement.config import Settings
from entitlement.usecases import contracts as service
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
