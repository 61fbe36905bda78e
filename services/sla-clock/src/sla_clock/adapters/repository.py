"""Reads and writes of the sla_clock schema: ticket history, snapshots, timers, alarms."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.statements import as_columns, insert_columns_ignoring, schema_text, upsert
from sla_clock.adapters.orm import ticket_clock, ticket_event, timer, timer_alarm
from sla_clock.domain.clock import Alarm, TicketClock, TicketFact, Timer, TimerState
from sla_clock.domain.measures import working_time_used
from sla_clock.domain.timers import parse_event


@dataclass(frozen=True)
class Snapshot:
    """A ticket's stored fold state and the last event folded into it."""

    clock: TicketClock
    last_seq: int


_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")


_DROP_PENDING = (
    'WITH dropped AS (DELETE FROM "{schema}".timer_alarm '
    "WHERE timer_id = ANY(CAST(:ids AS uuid[])) AND fired_at IS NULL) "
    'SELECT timer_id, kind, percent FROM "{schema}".timer_alarm '
    "WHERE timer_id = ANY(CAST(:ids AS uuid[])) AND fired_at IS NOT NULL"
)


class SlaRepository:
    """The sla_clock tables over one session (one transaction)."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        schema: str,
        stored_due: Callable[[datetime], None] = lambda _: None,
    ) -> None:
        self._session = session
        self._schema = schema
        # Told of the alarms stored: the unit of work wakes the scheduler after commit.
        self._stored_due = stored_due

    async def lock_ticket(self, ticket_id: UUID) -> None:
        """Serialise every change to one ticket's clocks (consumer, rebuild, replicas)."""
        await self._session.execute(_LOCK, {"k": f"{self._schema}.ticket.{ticket_id}"})

    async def open_ticket_ids(
        self, *, after: UUID | None, limit: int, final_statuses: Sequence[str]
    ) -> list[UUID]:
        """Ids of tickets not in a final status, in id order after ``after`` (paging)."""
        stmt = (
            select(ticket_clock.c.ticket_id)
            .where(ticket_clock.c.status.not_in(list(final_statuses)))
            .order_by(ticket_clock.c.ticket_id)
            .limit(limit)
        )
        if after is not None:
            stmt = stmt.where(ticket_clock.c.ticket_id > after)
        return list((await self._session.scalars(stmt)).all())

    async def record_event(self, fact: TicketFact, *, ticket_id: UUID) -> int | None:
        """Store a consumed ticket event; return its sequence, or None if already stored."""
        seq = await self._session.scalar(
            insert(ticket_event)
            .values(
                event_id=fact.event_id,
                ticket_id=ticket_id,
                type=fact.type,
                occurred_at=fact.occurred_at,
                data=fact.event.model_dump(mode="json"),
            )
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(ticket_event.c.seq)
        )
        return None if seq is None else int(seq)

    async def history(self, ticket_id: UUID) -> list[tuple[int, TicketFact]]:
        """Return a ticket's stored events in consumption order."""
        rows = (
            await self._session.execute(
                select(ticket_event)
                .where(ticket_event.c.ticket_id == ticket_id)
                .order_by(ticket_event.c.seq)
            )
        ).all()
        return [
            (
                int(r.seq),
                TicketFact(
                    event_id=r.event_id,
                    type=r.type,
                    occurred_at=r.occurred_at,
                    event=parse_event(r.type, r.data),
                ),
            )
            for r in rows
        ]

    async def snapshot(self, ticket_id: UUID) -> Snapshot | None:
        """Return the live state of a ticket's clocks, or None for an unknown ticket."""
        row = (
            await self._session.execute(
                select(ticket_clock.c.state, ticket_clock.c.last_seq).where(
                    ticket_clock.c.ticket_id == ticket_id
                )
            )
        ).one_or_none()
        if row is None:
            return None
        return Snapshot(clock=TicketClock.from_dict(row.state), last_seq=int(row.last_seq))

    async def save(self, clock: TicketClock, *, last_seq: int) -> None:
        """Store the snapshot and project both timers into the ``timer`` table."""
        values: dict[str, Any] = {
            "ticket_id": clock.ticket_id,
            "customer_id": clock.customer_id,
            "tier": clock.tier.value,
            "severity": clock.severity.value,
            "policy_version": clock.policy_version,
            "calendar_version": clock.calendar_version,
            "received_at": clock.received_at,
            "status": clock.status,
            "state": clock.to_dict(),
            "last_seq": last_seq,
        }
        await self._session.execute(
            upsert(ticket_clock, conflict=["ticket_id"], update=values), values
        )
        await self._save_timers(clock)

    async def _save_timers(self, clock: TicketClock) -> None:
        """Upsert the projection of every timer of the ticket in one statement."""
        rows = [_timer_row(clock, t) for t in clock.timers]
        if not rows:
            return
        # Rows as executemany parameters of a statement built once (shared.statements).
        await self._session.execute(upsert(timer, conflict=["id"], update=rows[0]), rows)

    async def reschedule(
        self, clock: TicketClock, plans: Sequence[tuple[Timer, Sequence[Alarm]]]
    ) -> None:
        """Replace the pending alarms of the planned timers, planned at ``clock.last_at``.

        An alarm fires once per instant. When a deadline moves (a severity or tier
        change, a resumption), the new deadline gets its own warnings and breach, except
        for a warning or breach of the same kind and percent that already fired and whose
        new instant has already passed: the customer was told, telling again is noise,
        and a deadline that has passed stays breached once. Two statements for all the
        timers of the event (delete-and-read-fired, insert), not three per timer.
        """
        if not plans:
            return
        fired = await self._drop_pending([t.timer_id for t, _ in plans])
        rows = [
            _alarm_row(clock, t, a)
            for t, alarms in plans
            if t.due_at is not None
            for a in alarms
            if not ((t.timer_id, a.kind, a.percent) in fired and a.fire_at <= clock.last_at)
        ]
        if not rows:
            return
        self._stored_due(min(row["fire_at"] for row in rows))
        await self._session.execute(
            insert_columns_ignoring(timer_alarm, ALARM_COLUMNS, ALARM_KEY),
            as_columns(rows, ALARM_COLUMNS),
        )

    async def _drop_pending(self, timer_ids: list[UUID]) -> set[tuple[UUID, str, int]]:
        """Delete the timers' pending alarms; return (timer, kind, percent) of those fired."""
        result = await self._session.execute(
            schema_text(_DROP_PENDING, self._schema), {"ids": timer_ids}
        )
        return {(r.timer_id, r.kind, r.percent) for r in result}

    async def alarms(self, ticket_id: UUID) -> list[Any]:
        """Return a ticket's alarms, pending and fired, in firing order."""
        return list(
            (
                await self._session.execute(
                    select(timer_alarm)
                    .where(timer_alarm.c.ticket_id == ticket_id)
                    .order_by(timer_alarm.c.fire_at, timer_alarm.c.id)
                )
            ).all()
        )

    async def clocks(
        self,
        *,
        received_from: datetime | None,
        received_to: datetime | None,
        customer_id: UUID | None,
        tier: str | None,
    ) -> list[TicketClock]:
        """Return the snapshots of tickets received in ``[from, to)``, filtered."""
        stmt = select(ticket_clock.c.state)
        if received_from is not None:
            stmt = stmt.where(ticket_clock.c.received_at >= received_from)
        if received_to is not None:
            stmt = stmt.where(ticket_clock.c.received_at < received_to)
        if customer_id is not None:
            stmt = stmt.where(ticket_clock.c.customer_id == customer_id)
        if tier is not None:
            stmt = stmt.where(ticket_clock.c.tier == tier)
        rows = (await self._session.execute(stmt.order_by(ticket_clock.c.received_at))).all()
        return [TicketClock.from_dict(r.state) for r in rows]


def _timer_row(clock: TicketClock, t: Timer) -> dict[str, Any]:
    """The ``timer`` row of one timer of the ticket."""
    worked = (
        working_time_used(clock, t, t.ended_at).total_seconds()
        if t.ended_at is not None and t.state in (TimerState.met, TimerState.stopped)
        else None
    )
    return {
        "id": t.timer_id,
        "ticket_id": clock.ticket_id,
        "kind": t.kind.value,
        "state": t.state.value,
        "customer_id": clock.customer_id,
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "target": None if t.target is None else str(t.target),
        "policy_version": clock.policy_version,
        "started_at": t.started_at,
        "due_at": t.due_at,
        "ended_at": t.ended_at,
        "reason": t.reason,
        "worked_seconds": worked,
    }


ALARM_KEY = ("timer_id", "kind", "percent", "fire_at")
ALARM_COLUMNS = (
    *ALARM_KEY,
    *("ticket_id", "timer", "due_at", "customer_id", "tier", "severity", "target"),
    "policy_version",
)


def _alarm_row(clock: TicketClock, t: Timer, a: Alarm) -> dict[str, Any]:
    """The ``timer_alarm`` row of one planned alarm."""
    return {
        "timer_id": t.timer_id,
        "ticket_id": clock.ticket_id,
        "timer": t.kind.value,
        "kind": a.kind,
        "percent": a.percent,
        "fire_at": a.fire_at,
        "due_at": t.due_at,
        "customer_id": clock.customer_id,
        "tier": clock.tier.value,
        "severity": clock.severity.value,
        "target": None if t.target is None else str(t.target),
        "policy_version": clock.policy_version,
    }
