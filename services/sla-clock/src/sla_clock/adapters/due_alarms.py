"""The scheduler's reads and writes of ``timer_alarm``: claim what is due, stamp it fired."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shared.statements import schema_text

# The due alarms, earliest first, that this transaction can lock (replicas skip each other's
# rows), and of each timer only its earliest unfired alarm: a later one of the same timer
# waits until that one's stamp has committed, so a timer's warnings and breach enter the
# outbox in the order of their instants even when two replicas claim at once. A ticket's
# two timers are independent clocks: a late response alarm held back after downtime does
# not hold an on-time resolution alarm.
#
# The head: the first 4 x n unfired due alarms in (fire_at, id) order, read from the
# partial index ix_timer_alarm_due_order (those another replica holds included); the first of
# each timer in the head is the earliest of that timer, since any earlier one comes
# before it. A row check per candidate (NOT EXISTS an earlier one) planned itself, on
# statistics taken while every alarm had fired, as a scan of all due alarms per
# candidate: seconds per claim for a herd of 10,000. Here every step is bounded by the
# head, and the lock reads the head's ids through the primary key: ``IS NOT FALSE``
# keeps the planner from reading them through a partial index on ``fired_at`` instead,
# and still lets the lock's recheck drop a row that another replica fired meanwhile.
_CLAIM = (
    "SELECT a.id, a.kind, a.percent, a.fire_at, a.timer, a.tier, a.severity "
    'FROM "{schema}".timer_alarm AS a '
    "WHERE a.id = ANY(ARRAY(SELECT DISTINCT ON (h.timer_id) h.id FROM ("
    'SELECT id, timer_id, fire_at FROM "{schema}".timer_alarm '
    "WHERE fired_at IS NULL AND fire_at <= :now ORDER BY fire_at, id LIMIT 4 * :n) AS h "
    "ORDER BY h.timer_id, h.fire_at, h.id)) "
    "AND (a.fired_at IS NULL) IS NOT FALSE "
    "AND (CAST(:cutoff AS timestamptz) IS NULL OR a.fire_at > :cutoff) "
    "ORDER BY a.fire_at, a.id LIMIT :n FOR UPDATE OF a SKIP LOCKED"
)


def _utc(column: str) -> str:
    """An instant as pydantic writes it (``2026-12-07T10:00:00.000000Z``), whatever the
    session's TimeZone."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24\\:MI\\:SS.US"Z"')"""


_NOW = "CAST(:now AS timestamptz)"
# A UUIDv7 (RFC 9562) as ``shared.events.base.new_id`` makes: the millisecond in the
# first 48 bits, version 7, the rest random (gen_random_uuid's variant bits kept).
_UUID7 = (
    "CAST(encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send(CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS bigint)) "
    "FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex') AS uuid)"
)

# One statement fires the claimed batch: stamps each alarm (fired now, late or not, by
# which event) and writes its event to the outbox, in the claim's transaction. The
# envelope is built by the server from the stamped row: no row comes back to Python, no
# model is made per alarm. Its shape is the one ``Envelope.wrap`` gives a
# ``TimerWarning`` or ``TimerBreached`` (tests/integration/test_sla_scheduler_pg.py
# validates what it writes against those models); its constants (types, topic,
# source, schema version, correlation, causation, trace) come as parameters.
_FIRE = (
    "WITH fired AS ("
    f'UPDATE "{{schema}}".timer_alarm AS a SET fired_at = {_NOW}, '
    f"late = ({_NOW} - a.fire_at > CAST(:late_after AS interval)), "
    f"event_id = {_UUID7} "
    "WHERE a.id = ANY(CAST(:ids AS bigint[])) AND a.fired_at IS NULL "
    "RETURNING a.*) "
    'INSERT INTO "{schema}".outbox (id, topic, key, event_type, payload) '
    "SELECT f.event_id, CAST(:topic AS text), CAST(f.ticket_id AS text), "
    "CASE f.kind WHEN 'breach' THEN CAST(:breached AS text) ELSE CAST(:warning AS text) END, "
    "jsonb_build_object('specversion', '1.0', 'id', f.event_id, "
    "'type', CASE f.kind WHEN 'breach' THEN CAST(:breached AS text) ELSE CAST(:warning AS text) END, "
    f"'source', CAST(:source AS text), 'time', {_utc(_NOW)}, "
    "'subject', CAST(f.ticket_id AS text), 'datacontenttype', 'application/json', "
    "'schemaversion', CAST(:schemaversion AS integer), "
    "'correlationid', COALESCE(CAST(:correlation AS uuid), f.event_id), "
    "'causationid', CAST(:causation AS uuid), 'sequence', NULL, "
    "'traceparent', CAST(:traceparent AS text), "
    "'data', jsonb_build_object('ticket_id', f.ticket_id, 'timer', f.timer, "
    "'timer_id', f.timer_id, 'customer_id', f.customer_id, 'tier', f.tier, "
    "'severity', f.severity, 'state', 'running', 'policy_version', f.policy_version, "
    f"'due_at', {_utc('f.due_at')}, 'late', f.late, 'target', f.target) "
    f"|| CASE f.kind WHEN 'breach' THEN jsonb_build_object('fired_at', {_utc(_NOW)}) "
    f"ELSE jsonb_build_object('percent', f.percent, 'fire_at', {_utc('f.fire_at')}) END) "
    "FROM fired AS f ORDER BY f.fire_at, f.id"
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
    """One claimed alarm: what the scheduler counts and reports (its event is built by
    the server, see ``_FIRE``)."""

    id: int
    kind: str  # warning | breach
    percent: int
    fire_at: datetime
    timer: str
    tier: str | None
    severity: str | None


@dataclass(frozen=True, slots=True)
class EventConstants:
    """What every event of a fired batch shares: its types, topic, source, and context."""

    warning: str
    breached: str
    topic: str
    source: str
    schemaversion: int
    correlation: UUID | None
    causation: UUID | None
    traceparent: str | None


class DueAlarms:
    """The alarm rows the scheduler claims, over one session (one transaction)."""

    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self._session = session
        self._schema = schema

    async def claim(
        self, *, now: datetime, limit: int, not_before: datetime | None = None
    ) -> list[DueAlarm]:
        """Lock up to ``limit`` due alarms (replicas skip each other's rows), the earliest
        unfired one of each timer; with ``not_before``, only those due after it (the late
        ones are held)."""
        rows = await self._session.execute(
            schema_text(_CLAIM, self._schema), {"now": now, "n": limit, "cutoff": not_before}
        )
        return [DueAlarm(*row) for row in rows]

    async def fire(
        self,
        alarms: Sequence[DueAlarm],
        *,
        now: datetime,
        late_after: timedelta,
        events: EventConstants,
    ) -> int:
        """Stamp the claimed alarms fired and write their events to the outbox, in one
        statement; return how many rows went to the outbox."""
        result = await self._session.execute(
            schema_text(_FIRE, self._schema),
            {
                "now": now,
                "late_after": late_after,
                "ids": [a.id for a in alarms],
                "topic": events.topic,
                "warning": events.warning,
                "breached": events.breached,
                "source": events.source,
                "schemaversion": events.schemaversion,
                "correlation": events.correlation,
                "causation": events.causation,
                "traceparent": events.traceparent,
            },
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

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
