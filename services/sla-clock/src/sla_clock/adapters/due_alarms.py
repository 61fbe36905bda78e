"""The scheduler's reads and writes of ``timer_alarm``: claim what is due, stamp it fired."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shared.statements import schema_text

_CLAIM = (
    "SELECT id, timer_id, ticket_id, timer, kind, percent, fire_at, due_at, "
    "customer_id, tier, severity, target, policy_version "
    'FROM "{schema}".timer_alarm '
    "WHERE fired_at IS NULL AND fire_at <= :now "
    "AND (CAST(:cutoff AS timestamptz) IS NULL OR fire_at > :cutoff) "
    "ORDER BY fire_at, id LIMIT :n FOR UPDATE SKIP LOCKED"
)
# One statement for the whole batch: per-alarm round trips held the scheduler to a few
# hundred alarms a second.
_STAMP = (
    'UPDATE "{schema}".timer_alarm AS a '
    "SET fired_at = :now, late = v.late, event_id = v.event_id "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:lates AS boolean[]), "
    "CAST(:event_ids AS uuid[])) AS v(id, late, event_id) WHERE a.id = v.id"
)
_NEXT = 'SELECT min(fire_at) FROM "{schema}".timer_alarm WHERE fired_at IS NULL'
# The gauges: the unfired rows come from the partial index the scheduler itself uses; the
# recent fired ones are bounded by ``fire_at`` (an alarm fires at or after its instant).
_PENDING = (
    "SELECT count(*) FILTER (WHERE fire_at <= CAST(:now AS timestamptz) "
    "+ interval '1 minute') AS soon, "
    "COALESCE(EXTRACT(EPOCH FROM CAST(:now AS timestamptz) - min(fire_at)), 0) "
    'AS lag FROM "{schema}".timer_alarm WHERE fired_at IS NULL'
)
_RECENT = (
    'SELECT kind, count(*) FROM "{schema}".timer_alarm '
    "WHERE fired_at IS NOT NULL AND fired_at > CAST(:now AS timestamptz) "
    "- interval '15 minutes' GROUP BY kind"
)

# Tickets at risk: an unfired breach whose timer already fired a warning. The unfired
# breaches come from the partial index on unfired rows, the warnings by timer_id.
_AT_RISK = (
    "SELECT b.tier, b.severity, b.timer, count(DISTINCT b.timer_id) AS n "
    "FROM \"{schema}\".timer_alarm AS b WHERE b.fired_at IS NULL AND b.kind = 'breach' "
    'AND EXISTS (SELECT 1 FROM "{schema}".timer_alarm AS w WHERE w.timer_id = b.timer_id '
    "AND w.kind = 'warning' AND w.fired_at IS NOT NULL) "
    "GROUP BY b.tier, b.severity, b.timer"
)


@dataclass(frozen=True, slots=True)
class DueAlarm:
    """One stored alarm whose instant came: what its event says."""

    id: int
    timer_id: UUID
    ticket_id: UUID
    timer: str
    kind: str  # warning | breach
    percent: int
    fire_at: datetime
    due_at: datetime
    customer_id: UUID | None
    tier: str | None
    severity: str | None
    target: str | None
    policy_version: str | None


class DueAlarms:
    """The alarm rows the scheduler claims, over one session (one transaction)."""

    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self._session = session
        self._schema = schema

    async def claim(
        self, *, now: datetime, limit: int, not_before: datetime | None = None
    ) -> list[DueAlarm]:
        """Lock up to ``limit`` due alarms (replicas skip each other's rows); with
        ``not_before``, only those due after it (the late ones are held)."""
        rows = await self._session.execute(
            schema_text(_CLAIM, self._schema), {"now": now, "n": limit, "cutoff": not_before}
        )
        return [DueAlarm(**row._mapping) for row in rows]

    async def stamp_fired(
        self,
        alarms: Sequence[DueAlarm],
        *,
        now: datetime,
        lates: Sequence[bool],
        event_ids: Sequence[UUID],
    ) -> None:
        """Mark the alarms fired (at ``now``, late or not, by which event)."""
        await self._session.execute(
            schema_text(_STAMP, self._schema),
            {
                "now": now,
                "ids": [a.id for a in alarms],
                "lates": list(lates),
                "event_ids": list(event_ids),
            },
        )

    async def next_fire_at(self) -> datetime | None:
        """The earliest pending alarm instant (None when nothing is pending)."""
        value: datetime | None = await self._session.scalar(schema_text(_NEXT, self._schema))
        return value


async def alarm_gauges(
    conn: AsyncConnection, *, schema: str, now: datetime
) -> tuple[int, float, dict[str, int]]:
    """Alarms due within a minute, how late the oldest due one is, and fired ones by kind
    in the last 15 minutes (the scrape's gauges)."""
    due = (await conn.execute(schema_text(_PENDING, schema), {"now": now})).one()
    fired = {
        str(kind): int(count)
        for kind, count in (await conn.execute(schema_text(_RECENT, schema), {"now": now})).all()
    }
    return int(due.soon), float(due.lag), fired


async def at_risk(conn: AsyncConnection, *, schema: str) -> dict[tuple[str, str, str], int]:
    """Open timers past a warning and short of their breach, by (tier, severity, timer)."""
    rows = (await conn.execute(schema_text(_AT_RISK, schema))).all()
    return {
        (str(r.tier or "unknown"), str(r.severity or "unknown"), str(r.timer)): int(r.n)
        for r in rows
    }
