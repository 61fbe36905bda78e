"""The durable scheduler: fires stored warning and breach alarms when their instant comes.

Safe in several replicas at once: each batch claims due rows with ``FOR UPDATE SKIP
LOCKED``, writes their events through the outbox and stamps ``fired_at`` in the same
transaction, so an alarm fires exactly once whichever replica gets it, and a replica
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
from typing import Any

from sqlalchemy import text

from shared.clock import Clock
from shared.events.base import EventData
from shared.events.sla import TimerBreached, TimerWarning
from shared.logging import get_logger
from shared.periodic import NextDue, Periodic
from sla_clock.adapters.uow import SlaUnitOfWork

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


class AlarmScheduler:
    """Polls the ``timer_alarm`` table and fires what is due."""

    def __init__(
        self,
        *,
        uow_factory: Callable[[], SlaUnitOfWork],
        clock: Clock,
        poll_seconds: float = 0.2,
        batch_size: int = 500,
        late_after: timedelta = timedelta(seconds=2),
        on_fired: Callable[[Sequence[Fired]], None] | None = None,
        catch_up_gate: Callable[[], Awaitable[bool]] | None = None,
        max_hold: timedelta = timedelta(seconds=60),
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._batch = batch_size
        self._late_after = late_after
        self._on_fired = on_fired
        self._gate = catch_up_gate
        self._max_hold = max_hold.total_seconds()
        self._started = time.monotonic()
        self.fired = 0
        self.held_late = False
        self._loop = Periodic("alarm scheduler", self._pass, interval=poll_seconds)
        self._due = NextDue(self._loop, clock, cap=poll_seconds)

    def _event(self, row: Any, *, late: bool, now: datetime) -> EventData:
        common: dict[str, Any] = {
            "ticket_id": row.ticket_id,
            "timer": row.timer,
            "timer_id": row.timer_id,
            "customer_id": row.customer_id,
            "tier": row.tier,
            "severity": row.severity,
            "state": "running",
            "policy_version": row.policy_version,
            "due_at": row.due_at,
            "late": late,
            "target": row.target,
        }
        if row.kind == "breach":
            return TimerBreached(**common, fired_at=now)
        return TimerWarning(**common, percent=row.percent, fire_at=row.fire_at)

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

    async def _claim(self, uow: SlaUnitOfWork, now: datetime) -> Sequence[Any]:
        """Lock one batch of due alarms; replicas skip each other's rows."""
        not_late = "AND fire_at > :cutoff " if self.held_late else ""
        result = await uow.session.execute(
            text(
                "SELECT id, timer_id, ticket_id, timer, kind, percent, fire_at, due_at, "
                "customer_id, tier, severity, target, policy_version "
                f'FROM "{uow.schema}".timer_alarm '
                "WHERE fired_at IS NULL AND fire_at <= :now "
                f"{not_late}"
                "ORDER BY fire_at, id LIMIT :n FOR UPDATE SKIP LOCKED"
            ),
            {"now": now, "n": self._batch, "cutoff": now - self._late_after},
        )
        return result.all()

    async def _fire(self, uow: SlaUnitOfWork, rows: Sequence[Any], now: datetime) -> list[bool]:
        """Publish the batch's events in one outbox insert, stamp its rows in one update.

        Two statements per batch, not one per alarm: the per-alarm round trips were
        what held the scheduler to a few hundred alarms a second.
        """
        lates = [now - row.fire_at > self._late_after for row in rows]
        envelopes = await uow.outbox.publish_many(
            [
                (self._event(row, late=late, now=now), str(row.ticket_id))
                for row, late in zip(rows, lates, strict=True)
            ]
        )
        await uow.session.execute(
            text(
                f'UPDATE "{uow.schema}".timer_alarm AS a '
                "SET fired_at = :now, late = v.late, event_id = v.event_id "
                "FROM unnest(CAST(:ids AS bigint[]), CAST(:lates AS boolean[]), "
                "CAST(:event_ids AS uuid[])) AS v(id, late, event_id) WHERE a.id = v.id"
            ),
            {
                "now": now,
                "ids": [row.id for row in rows],
                "lates": lates,
                "event_ids": [envelope.id for envelope in envelopes],
            },
        )
        return lates

    async def fire_due(self) -> int:
        """Fire one batch of due alarms in one transaction; return how many fired."""
        now = self._clock.now()
        self.held_late = await self._hold_late()
        async with self._uow_factory() as uow:
            rows = await self._claim(uow, now)
            if not rows:
                return 0
            lates = await self._fire(uow, rows, now)
            await uow.commit()
        committed = self._clock.now()
        self.fired += len(rows)
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
        return len(rows)

    async def next_fire_at(self) -> datetime | None:
        """Return the earliest pending alarm instant (None when nothing is pending)."""
        async with self._uow_factory() as uow:
            value: datetime | None = await uow.session.scalar(
                text(f'SELECT min(fire_at) FROM "{uow.schema}".timer_alarm WHERE fired_at IS NULL')
            )
            return value

    async def run(self, stop: asyncio.Event) -> None:
        """Fire alarms until ``stop`` is set; sleep until the next instant, at most a poll."""
        await self._loop.run(stop)

    @property
    def passes(self) -> int:
        """Passes run so far (tests wait for them; a lag gauge can hook here)."""
        return self._loop.passes

    def alarm_stored(self, fire_at: datetime) -> None:
        """Wake early for an alarm committed nearer than the planned next pass."""
        self._due.stored(fire_at)

    async def _pass(self) -> float:
        self._due.passing()
        if await self.fire_due() >= self._batch:
            return 0  # more are due: no sleep
        # Alarms stored by other replicas are not announced here: the poll bounds them.
        return self._due.pause(await self.next_fire_at())
