"""Operational level targets: a support line's own response time after a ticket moves to it.

Started when intake reports the move (``ticket.escalated`` to line 2 or 3), met when
the line responds (the escalation is acknowledged, or the ticket is taken or assigned
after the move), warned and breached by :class:`OlaScheduler`, a durable poller in the
house pattern: due rows are claimed with ``FOR UPDATE SKIP LOCKED`` and stamped in the
transaction that writes their events to the outbox, so each fires once across replicas
and restarts. The customer's SLA clock is untouched: an OLA is internal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from escalation.adapters.uow import EscalationUnitOfWork
from escalation.domain.decisions import People, ola_instants, recipients
from escalation.service import policy_of, staff_recipient
from shared.clock import Clock
from shared.events.base import new_id
from shared.events.escalations import OlaBreached, OlaWarning, Recipient
from shared.logging import get_logger
from shared.periodic import NextDue, Periodic
from shared.worktime.schedule import Schedule

log = get_logger(__name__)


async def start_ola(
    uow: EscalationUnitOfWork, ticket: Any, *, line: int, at: datetime, escalation_id: UUID | None
) -> bool:
    """Give ``line`` its response target for the ticket; False when none applies or exists."""
    if line < 2:
        return False
    repo = uow.repo
    contract = (
        await repo.contract_for(ticket.customer_id, ticket.tier, at) if ticket.customer_id else None
    )
    policy = policy_of(contract)
    hours = policy.ola_hours.get(ticket.severity or "")
    if not hours:
        return False
    schedule = Schedule.from_dict(ticket.schedule) if ticket.schedule else None
    warning_at, due_at = ola_instants(schedule, at, hours, policy.ola_warning_percent)
    row = await repo.one(
        "INSERT INTO {s}.ola (id, ticket_id, line, escalation_id, started_at, warning_at, "
        "warning_percent, due_at) VALUES (:id, :t, :l, :e, :at, :w, :p, :d) "
        "ON CONFLICT (ticket_id, line) DO NOTHING "
        "RETURNING id",
        id=new_id(),
        t=ticket.ticket_id,
        l=line,
        e=escalation_id,
        at=at,
        w=warning_at,
        p=policy.ola_warning_percent,
        d=due_at,
    )
    if row is None:
        return False
    uow.stored_due(min(warning_at, due_at))  # the scheduler hears of it after commit
    return True


async def meet_ola(
    uow: EscalationUnitOfWork, ticket_id: UUID, *, at: datetime, line: int | None = None
) -> int:
    """The line responded: stop its open target (every open one of the ticket if no line)."""
    rows = await uow.repo.rows(
        "UPDATE {s}.ola SET met_at = :at WHERE ticket_id = :t AND met_at IS NULL "
        "AND started_at <= :at AND (CAST(:l AS smallint) IS NULL OR line = :l) RETURNING id",
        t=ticket_id,
        at=at,
        l=line,
    )
    return len(rows)


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
        self._clock = clock
        self._batch = batch_size
        self.fired = 0
        self._loop = Periodic("ola scheduler", self._pass, interval=poll_seconds)
        self._due = NextDue(self._loop, clock, cap=poll_seconds)

    async def _recipients(
        self, uow: EscalationUnitOfWork, line: int, now: datetime
    ) -> list[Recipient]:
        """The line's leads and its engineers on duty, each address once."""
        people = [staff_recipient(r, r.kind) for r in await uow.repo.line_people(line, now)]
        return recipients(
            ("line_lead", "on_duty"),
            People(
                line_lead=[p for p in people if p.role == "line_lead"],
                on_duty=[p for p in people if p.role == "on_duty"],
            ),
        )

    async def _fire(self, kind: str) -> int:
        now = self._clock.now()
        stamp, instant = (
            ("warned_at", "warning_at") if kind == "warning" else ("breached_at", "due_at")
        )
        async with self._uow_factory() as uow:
            rows = await uow.repo.rows(
                f"SELECT * FROM {{s}}.ola WHERE met_at IS NULL AND {stamp} IS NULL "
                f"AND breached_at IS NULL AND {instant} <= :now ORDER BY {instant} "
                "LIMIT :n FOR UPDATE SKIP LOCKED",
                now=now,
                n=self._batch,
            )
            for row in rows:
                common = {
                    "ticket_id": row.ticket_id,
                    "line": row.line,
                    "escalation_id": row.escalation_id,
                    "due_at": row.due_at,
                    "recipients": await self._recipients(uow, row.line, now),
                }
                event = (
                    OlaWarning(**common, percent=row.warning_percent)
                    if kind == "warning"
                    else OlaBreached(**common)
                )
                await uow.outbox.publish(event, subject=str(row.ticket_id))
                await uow.repo.rows(
                    f"UPDATE {{s}}.ola SET {stamp} = :now WHERE id = :id RETURNING id",
                    now=now,
                    id=row.id,
                )
            await uow.commit()
        self.fired += len(rows)
        return len(rows)

    async def fire_due(self) -> int:
        """Fire due warnings, then due breaches; return how many events were written."""
        return await self._fire("warning") + await self._fire("breach")

    async def next_instant(self) -> datetime | None:
        """The earliest warning or breach instant still to fire (None: nothing open)."""
        async with self._uow_factory() as uow:
            row = await uow.repo.one(
                "SELECT min(CASE WHEN warned_at IS NULL AND warning_at < due_at "
                "THEN warning_at ELSE due_at END) AS at "
                "FROM {s}.ola WHERE met_at IS NULL AND breached_at IS NULL"
            )
        return row.at if row is not None else None

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
