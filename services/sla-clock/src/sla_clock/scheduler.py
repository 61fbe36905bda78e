"""The durable scheduler: fires stored warning and breach alarms when their instant comes.

Safe in several replicas at once: it runs on ``shared.poller.DurablePoller``, so each
batch claims due rows with ``FOR UPDATE SKIP LOCKED`` (``adapters.due_alarms``), writes
their events through the outbox and stamps ``fired_at`` in the same transaction, so an alarm fires exactly once whichever replica gets it, and a replica
that dies mid-batch leaves its rows for the others. Alarms that fell due while no
replica ran fire at the next start, marked ``late``. The clock is injected
(``runtime.clock``), so tests move time by hand.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.clock import Clock
from shared.events.base import current_causation, current_correlation
from shared.events.sla import TimerBreached, TimerWarning
from shared.logging import get_logger
from shared.observability.tracing import current_traceparent
from shared.poller import DueJob, DurablePoller
from sla_clock.adapters.due_alarms import DueAlarm, EventConstants
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.metrics import count_breaches

log = get_logger(__name__)


@dataclass(frozen=True)
class Fired:
    """One alarm this scheduler fired (for stats, tests and the lag benchmark)."""

    alarm_id: int
    kind: str
    percent: int
    fire_at: datetime
    fired_at: datetime
    late: bool
    committed_at: datetime


class AlarmScheduler(DueJob[SlaUnitOfWork, DueAlarm]):
    """Fires the ``timer_alarm`` rows that are due: the job its durable poller runs."""

    def __init__(
        self,
        *,
        uow_factory: Callable[[], SlaUnitOfWork],
        clock: Clock,
        poll_seconds: float = 0.2,
        batch_size: int = 500,
        max_batch_size: int = 5000,
        late_after: timedelta = timedelta(seconds=2),
        on_fired: Callable[[Sequence[Fired]], None] | None = None,
        catch_up_gate: Callable[[], Awaitable[bool]] | None = None,
        max_hold: timedelta = timedelta(seconds=60),
    ) -> None:
        self._clock = clock
        self._late_after = late_after
        self._on_fired = on_fired
        self._gate = catch_up_gate
        self._max_hold = max_hold.total_seconds()
        self._started = time.monotonic()
        self.fired = 0
        self.held_late = False
        self.poller = DurablePoller(
            "alarm scheduler",
            uow=uow_factory,
            jobs=[self],
            clock=clock,
            batch=batch_size,
            max_batch=max(batch_size, max_batch_size),
            poll_seconds=poll_seconds,
        )

    def _late(self, row: DueAlarm, now: datetime) -> bool:
        return now - row.fire_at > self._late_after

    async def _hold_late(self) -> bool:
        """Tell whether to hold alarms already late until the consumer has caught up.

        After downtime, an alarm that is already late may be settled by ticket events
        still queued (taken into work on time, say); but never hold longer than
        max_hold: a breach is never lost.
        """
        return (
            self._gate is not None
            and time.monotonic() - self._started < self._max_hold
            and not await self._gate()
        )

    async def claim(self, uow: SlaUnitOfWork, *, now: datetime, limit: int) -> list[DueAlarm]:
        """Lock one batch of due alarms (held late ones excepted); replicas skip each other's."""
        self.held_late = await self._hold_late()  # before the first statement: no lock held
        cutoff = now - self._late_after if self.held_late else None
        return await uow.due_alarms.claim(now=now, limit=limit, not_before=cutoff)

    async def act(self, uow: SlaUnitOfWork, rows: Sequence[DueAlarm], *, now: datetime) -> None:
        """Stamp the batch and write its events to the outbox, in one statement."""
        written = await uow.due_alarms.fire(
            rows, now=now, late_after=self._late_after, events=self._constants(uow)
        )
        if written != len(rows):  # the claim's locks make this impossible: say so if not
            log.warning("alarms claimed but not fired", claimed=len(rows), fired=written)
        await uow.outbox.written(written)

    @staticmethod
    def _constants(uow: SlaUnitOfWork) -> EventConstants:
        """What every event of one batch shares, taken once per batch (as
        ``Envelope.wrap`` would take it per event: same source, context and trace)."""
        return EventConstants(
            warning=TimerWarning.TYPE,
            breached=TimerBreached.TYPE,
            topic=TimerWarning.TOPIC,
            source=uow.source,
            schemaversion=TimerWarning.SCHEMA_VERSION,
            correlation=current_correlation.get(),
            causation=current_causation.get(),
            traceparent=current_traceparent(),
        )

    async def next_due(self, uow: SlaUnitOfWork, *, now: datetime) -> datetime | None:
        """The earliest pending alarm instant; alarms stored by other replicas are not
        announced here, so the poll bounds how late they are seen."""
        return await uow.due_alarms.next_fire_at()

    async def after(self, rows: Sequence[DueAlarm], *, now: datetime) -> None:
        """Count and report what committed (stats, tests, the lag benchmark)."""
        committed = self._clock.now()
        self.fired += len(rows)
        count_breaches(rows)
        lates = [self._late(row, now) for row in rows]
        if any(lates):
            log.info("fired late alarms", count=sum(lates))
        if self._on_fired is not None:
            self._on_fired(
                [
                    Fired(
                        alarm_id=row.id,
                        kind=row.kind,
                        percent=row.percent,
                        fire_at=row.fire_at,
                        fired_at=now,
                        late=late,
                        committed_at=committed,
                    )
                    for row, late in zip(rows, lates, strict=True)
                ]
            )

    async def fire_due(self) -> int:
        """Fire one batch of due alarms in one transaction; return how many fired."""
        return await self.poller.run_once()

    async def next_fire_at(self) -> datetime | None:
        """Return the earliest pending alarm instant (None when nothing is pending)."""
        async with self.poller.uow() as uow:
            return await uow.due_alarms.next_fire_at()

    async def run(self, stop: asyncio.Event) -> None:
        """Fire alarms until ``stop`` is set; sleep until the next instant, at most a poll."""
        await self.poller.run(stop)

    @property
    def passes(self) -> int:
        """Passes run so far (tests wait for them; a lag gauge can hook here)."""
        return self.poller.passes

    def alarm_stored(self, fire_at: datetime) -> None:
        """Wake early for an alarm committed nearer than the planned next pass."""
        self.poller.stored(fire_at)
