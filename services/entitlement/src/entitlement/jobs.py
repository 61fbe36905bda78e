"""Background jobs of entitlement: announcing contract ends and (future) starts as they pass."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, cast

from entitlement.config import Settings

# The loop below names its use cases ``service``; shared.periodic is to replace the loop.
from entitlement.usecases import contracts as service
from shared.logging import get_logger
from shared.runtime import ServiceRuntime

log = get_logger(__name__)


async def contract_expiry_job(runtime: ServiceRuntime[Any], stop: asyncio.Event) -> None:
    """Announce ended contracts until ``stop`` is set; durable because state is in the rows.

    Each pass claims a batch of contracts whose end passed and whose expiry is not yet
    announced (``FOR UPDATE SKIP LOCKED``), stamps them and writes their
    ``contract.changed``/``expired`` events in one transaction. A crash loses nothing:
    unstamped rows are found by the next pass of any replica. "Now" is the runtime's
    injectable clock, so a test moves time instead of sleeping.
    """
    settings = cast(Settings, runtime.settings)
    runtime.state["expiry_passes"] = 0
    while not stop.is_set():
        announced = 0
        try:
            now = runtime.clock.now()
            announced = await service.announce_expired_contracts(
                runtime.uow(), now=now, batch=settings.expiry_batch
            )
            # Contracts signed ahead of their start raise the tier when it comes.
            announced = max(
                announced,
                await service.announce_started_contracts(
                    runtime.uow(), now=now, batch=settings.expiry_batch
                ),
            )
        except Exception:
            log.exception("contract expiry pass failed; retrying on the next pass")
        runtime.state["expiry_passes"] += 1
        if announced >= settings.expiry_batch:
            continue  # more may be waiting
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.expiry_poll_seconds)
