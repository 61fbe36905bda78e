"""The OLA scheduler: the shared durable poller running escalation's OLA jobs.

Each pass locks due targets (skipping those another replica holds) and stamps them in the
transaction that writes their events (``usecases.ola.ola_jobs``), so each fires once
across replicas and restarts. Between passes it sleeps until the next instant, at most
a poll; a commit in this process that stores a nearer target wakes it (``ola_stored``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from escalation.adapters.uow import EscalationUnitOfWork
from escalation.usecases import ola
from shared.clock import Clock
from shared.poller import DurablePoller


class OlaScheduler:
    """Fires ``ola.warning`` and ``ola.breached`` when their instants come."""

    def __init__(
        self,
        *,
        uow_factory: Callable[[], EscalationUnitOfWork],
        clock: Clock,
        poll_seconds: float = 5.0,
        batch_size: int = 200,
    ) -> None:
        self._uow_factory = uow_factory
        self.poller: DurablePoller[EscalationUnitOfWork] = DurablePoller(
            "ola scheduler",
            uow=uow_factory,
            jobs=ola.ola_jobs(),
            clock=clock,
            batch=batch_size,
            poll_seconds=poll_seconds,
        )

    async def fire_due(self) -> int:
        """Fire due warnings, then due breaches; return how many events were written."""
        return await self.poller.run_once()

    async def next_instant(self) -> datetime | None:
        """The earliest warning or breach instant still to fire (None: nothing open)."""
        return await ola.next_instant(self._uow_factory())

    @property
    def fired(self) -> int:
        """Events written and committed so far."""
        return self.poller.done

    @property
    def passes(self) -> int:
        """Passes run so far (tests wait for them)."""
        return self.poller.passes

    def ola_stored(self, at: datetime) -> None:
        """Wake early for a target committed nearer than the planned next pass."""
        self.poller.stored(at)

    async def run(self, stop: asyncio.Event) -> None:
        """Fire until ``stop`` is set, sleeping until the next instant (at most a poll)."""
        await self.poller.run(stop)
