"""The OLA scheduler: fires ``ola.warning`` and ``ola.breached`` when their instants come.

A durable poller: each pass claims due targets with ``FOR UPDATE SKIP LOCKED`` and
stamps them in the transaction that writes their events (``usecases.ola.fire_due``),
so each fires once across replicas and restarts. Between passes it sleeps until the
next instant, at most a poll; a commit in this process that stores a nearer target
wakes it (``ola_stored``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from escalation.domain.model import OlaStage
from escalation.uow import UnitOfWork
from escalation.usecases import ola
from shared.clock import Clock
from shared.periodic import NextDue, Periodic


class OlaScheduler:
    """Fires ``ola.warning`` and ``ola.breached`` when their instants come."""

    def __init__(
        self,
        *,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        poll_seconds: float = 5.0,
        batch_size: int = 200,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._batch = batch_size
        self.fired = 0
        self._loop = Periodic("ola scheduler", self._pass, interval=poll_seconds)
        self._due = NextDue(self._loop, clock, cap=poll_seconds)

    async def fire_due(self) -> int:
        """Fire due warnings, then due breaches; return how many events were written."""
        fired = 0
        stages: tuple[OlaStage, ...] = ("warning", "breach")
        for stage in stages:
            fired += await ola.fire_due(
                self._uow_factory(), stage, now=self._clock.now(), limit=self._batch
            )
        self.fired += fired
        return fired

    async def next_instant(self) -> datetime | None:
        """The earliest warning or breach instant still to fire (None: nothing open)."""
        return await ola.next_instant(self._uow_factory())

    @property
    def passes(self) -> int:
        """Passes run so far (tests wait for them)."""
        return self._loop.passes

    def ola_stored(self, at: datetime) -> None:
        """Wake early for a target committed nearer than the planned next pass."""
        self._due.stored(at)

    async def run(self, stop: asyncio.Event) -> None:
        """Fire until ``stop`` is set, sleeping until the next instant (at most a poll)."""
        await self._loop.run(stop)

    async def _pass(self) -> float:
        self._due.passing()
        if await self.fire_due() >= self._batch:
            return 0  # more are due: no sleep
        # Targets stored by other replicas are not announced here: the poll bounds them.
        return self._due.pause(await self.next_instant())
