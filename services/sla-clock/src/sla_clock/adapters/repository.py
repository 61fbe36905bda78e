"""Reads and writes of the sla_clock schema: ticket history, snapshots, timers, alarms.

Every statement is SQL text run on the unit of work's ``statements``: the session on the
request paths, asyncpg's own connection in the consumer's transaction (``shared.db``).
The consumer's event costs two statements here: the event's record with the snapshot
(the ticket's lock was taken by the consumer's inbox claim: ``SlaUnitOfWork.claim_locks``),
and one that stores the clock, its timers, their alarms and the answer's events
(writable CTEs, each on its own table). Elsewhere the lock comes with the record, and
the snapshot is a statement of its own.

A batch of events (the consumer's poll) costs two statements in all, whatever its size:
:meth:`SlaRepository.record_and_read_many` records them all and reads their tickets'
clocks, each event's handler then folds from what it read (and what the batch's earlier
events made of it), and the stores wait for the commit, which writes them as one
(:meth:`SlaRepository.flush`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.events.base import Envelope
from shared.statements import Statements, schema_sql
from sla_clock.adapters.clock_store import Stores, store_params, store_statement
from sla_clock.domain.clock import Alarm, TicketClock, TicketFact, Timer
from sla_clock.domain.timers import parse_event


@dataclass(frozen=True)
class Snapshot:
    """A ticket's stored fold state and the last event folded into it."""

    clock: TicketClock
    last_seq: int


def _json(value: Any) -> Any:
    """A jsonb column as Python: asyncpg hands it over as text."""
    return json.loads(value) if isinstance(value, str) else value


def _snapshot(row: Any) -> Snapshot:
    """A row's ``state`` and ``last_seq`` as a snapshot."""
    return Snapshot(clock=TicketClock.from_dict(_json(row.state)), last_seq=int(row.last_seq))


def _event_row(fact: TicketFact, ticket_id: UUID) -> dict[str, Any]:
    """The ``ticket_event`` row of a consumed event (the record statements' parameters)."""
    return {
        "event_id": fact.event_id,
        "ticket_id": ticket_id,
        "type": fact.type,
        "occurred_at": fact.occurred_at,
        "data": fact.event.model_dump_json(),
    }


_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))"

# The lock, then the record: the row comes from a subquery that takes the lock, so the
# event's ``seq`` is drawn under it (a ticket's events are numbered in the order they
# are applied). The snapshot is read by the next statement, whose view of the table
# starts after the lock was granted.
_RECORD = (
    'INSERT INTO "{schema}".ticket_event (event_id, ticket_id, type, occurred_at, data) '
    "SELECT CAST(:event_id AS uuid), CAST(:ticket_id AS uuid), CAST(:type AS text), "
    "CAST(:occurred_at AS timestamptz), CAST(:data AS jsonb) "
    f"FROM ({_LOCK}) AS locked "
    "ON CONFLICT (event_id) DO NOTHING RETURNING seq"
)
_SNAPSHOT = 'SELECT state, last_seq FROM "{schema}".ticket_clock WHERE ticket_id = :ticket_id'
# The record and the snapshot in one statement, for a transaction that holds the
# ticket's lock already (taken by an earlier statement, so this one's view of
# ticket_clock starts after it was granted). No row: the event was stored already.
_RECORD_READ = (
    'WITH rec AS (INSERT INTO "{schema}".ticket_event '
    "(event_id, ticket_id, type, occurred_at, data) "
    "VALUES (CAST(:event_id AS uuid), CAST(:ticket_id AS uuid), CAST(:type AS text), "
    "CAST(:occurred_at AS timestamptz), CAST(:data AS jsonb)) "
    "ON CONFLICT (event_id) DO NOTHING RETURNING seq) "
    'SELECT rec.seq, c.state, c.last_seq FROM rec LEFT JOIN "{schema}".ticket_clock c '
    "ON c.ticket_id = CAST(:ticket_id AS uuid)"
)
# A batch's events recorded, in the batch's order (so their seq too), and the clocks of
# their tickets, whose locks the transaction holds already (as for _RECORD_READ): rows
# of the first kind carry an event id, of the second a ticket's state.
_RECORD_MANY = (
    'WITH rec AS (INSERT INTO "{schema}".ticket_event '
    "(event_id, ticket_id, type, occurred_at, data) "
    "SELECT e.event_id, e.ticket_id, e.type, e.occurred_at, CAST(e.data AS jsonb) FROM unnest("
    "CAST(:event_ids AS uuid[]), CAST(:ticket_ids AS uuid[]), CAST(:types AS text[]), "
    "CAST(:occurred_ats AS timestamptz[]), CAST(:datas AS text[])) WITH ORDINALITY "
    "AS e(event_id, ticket_id, type, occurred_at, data, n) ORDER BY e.n "
    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id, seq) "
    "SELECT event_id, seq, NULL::uuid AS ticket_id, NULL::jsonb AS state, "
    "NULL::bigint AS last_seq FROM rec UNION ALL "
    'SELECT NULL, NULL, c.ticket_id, c.state, c.last_seq FROM "{schema}".ticket_clock c '
    "WHERE c.ticket_id = ANY(CAST(:ticket_ids AS uuid[]))"
)
_HISTORY = (
    'SELECT seq, event_id, type, occurred_at, data FROM "{schema}".ticket_event '
    "WHERE ticket_id = :ticket_id ORDER BY seq"
)
_ALARMS = 'SELECT * FROM "{schema}".timer_alarm WHERE ticket_id = :ticket_id ORDER BY fire_at, id'
_OPEN = (
    'SELECT ticket_id FROM "{schema}".ticket_clock '
    "WHERE status <> ALL(CAST(:final AS text[])) "
    "AND (CAST(:after AS uuid) IS NULL OR ticket_id > CAST(:after AS uuid)) "
    "ORDER BY ticket_id LIMIT :limit"
)


class SlaRepository:
    """The sla_clock tables in one transaction (the unit of work's ``statements``)."""

    def __init__(
        self,
        statements: Statements,
        *,
        schema: str,
        stored_due: Callable[[datetime], None] = lambda _: None,
        held: set[str] | None = None,
    ) -> None:
        self._db = statements
        self._schema = schema
        # Told of the alarms stored: the unit of work wakes the scheduler after commit.
        self._stored_due = stored_due
        # The ticket locks this transaction holds already (its inbox claim took them).
        self._held = held if held is not None else set()
        # A batch's (record_and_read_many): each event's seq (None: stored already), each
        # ticket's clock as the batch has left it so far, and the stores held for flush().
        self._recorded: dict[UUID, int | None] = {}
        self._current: dict[UUID, Snapshot | None] = {}
        self._held_stores: Stores | None = None

    def _sql(self, template: str) -> str:
        return schema_sql(template, self._schema)

    def _lock_key(self, ticket_id: UUID) -> str:
        return f"{self._schema}.ticket.{ticket_id}"

    def lock_key_of(self, subject: str) -> str | None:
        """The lock key of the ticket an event's subject names; None if it names none."""
        try:
            return self._lock_key(UUID(subject))
        except ValueError:
            return None

    async def lock_ticket(self, ticket_id: UUID) -> None:
        """Serialise every change to one ticket's clocks (consumer, rebuild, replicas)."""
        await self._db.execute(_LOCK, {"lock": self._lock_key(ticket_id)})

    async def lock_and_record(self, fact: TicketFact, *, ticket_id: UUID) -> int | None:
        """Lock the ticket (as :meth:`lock_ticket`) and store a consumed event, in one
        statement; return the event's sequence, or None if it was stored already."""
        row = await self._db.one(
            self._sql(_RECORD), {"lock": self._lock_key(ticket_id), **_event_row(fact, ticket_id)}
        )
        return None if row is None else int(row.seq)

    async def record_and_read(
        self, fact: TicketFact, *, ticket_id: UUID
    ) -> tuple[int, Snapshot | None] | None:
        """Store a consumed event under the ticket's lock and read the ticket's clocks.

        None if the event was stored already. When this transaction holds the lock
        already (the consumer's inbox claim took it: ``held``), one statement does both,
        its view starting after the lock was granted; otherwise the lock with the record,
        then the snapshot, as :meth:`lock_and_record` and :meth:`snapshot`.
        """
        if fact.event_id in self._recorded:  # recorded with its batch
            seq = self._recorded.pop(fact.event_id)
            return None if seq is None else (seq, self._current.get(ticket_id))
        recorded = await self._record_and_read_one(fact, ticket_id)
        if recorded is not None and ticket_id in self._current:
            return recorded[0], self._current[ticket_id]  # a batch's store not written yet
        return recorded

    async def _record_and_read_one(
        self, fact: TicketFact, ticket_id: UUID
    ) -> tuple[int, Snapshot | None] | None:
        if self._lock_key(ticket_id) not in self._held:
            seq = await self.lock_and_record(fact, ticket_id=ticket_id)
            return None if seq is None else (seq, await self.snapshot(ticket_id))
        row = await self._db.one(self._sql(_RECORD_READ), _event_row(fact, ticket_id))
        if row is None:
            return None
        return int(row.seq), None if row.state is None else _snapshot(row)

    def prepared(self, event_id: UUID) -> bool:
        """Whether the event was recorded with its batch (:meth:`record_and_read_many`)."""
        return event_id in self._recorded

    async def record_and_read_many(self, facts: Sequence[tuple[TicketFact, UUID]]) -> None:
        """Store a batch's events (``(fact, ticket id)``, in order) and read their tickets'
        clocks, in one statement; from then on :meth:`record_and_read` answers for each of
        them from it, and :meth:`store` holds its writes until :meth:`flush`.

        Only events of tickets whose locks this transaction holds (the consumer's claim
        took them) are recorded here: the others take the one-event path.
        """
        batch = [(f, t) for f, t in facts if self._lock_key(t) in self._held]
        if not batch:
            return
        events = [_event_row(f, t) for f, t in batch]
        rows = await self._db.rows(  # one array per column, named in the plural
            self._sql(_RECORD_MANY),
            {f"{name}s": [e[name] for e in events] for name in events[0]},
        )
        self._recorded.update((f.event_id, None) for f, _ in batch)
        self._current.update((t, None) for _, t in batch)
        for row in rows:
            if row.event_id is not None:
                self._recorded[row.event_id] = int(row.seq)
            else:
                self._current[row.ticket_id] = _snapshot(row)
        if self._held_stores is None:
            self._held_stores = Stores()

    async def open_ticket_ids(
        self, *, after: UUID | None, limit: int, final_statuses: Sequence[str]
    ) -> list[UUID]:
        """Ids of tickets not in a final status, in id order after ``after`` (paging)."""
        rows = await self._db.rows(
            self._sql(_OPEN), {"final": list(final_statuses), "after": after, "limit": limit}
        )
        return [row.ticket_id for row in rows]

    async def history(self, ticket_id: UUID) -> list[tuple[int, TicketFact]]:
        """Return a ticket's stored events in consumption order."""
        rows = await self._db.rows(self._sql(_HISTORY), {"ticket_id": ticket_id})
        return [
            (
                int(r.seq),
                TicketFact(
                    event_id=r.event_id,
                    type=r.type,
                    occurred_at=r.occurred_at,
                    event=parse_event(r.type, _json(r.data)),
                ),
            )
            for r in rows
        ]

    async def snapshot(self, ticket_id: UUID) -> Snapshot | None:
        """Return the live state of a ticket's clocks, or None for an unknown ticket."""
        row = await self._db.one(self._sql(_SNAPSHOT), {"ticket_id": ticket_id})
        if row is None:
            return None
        return _snapshot(row)

    async def store(
        self,
        clock: TicketClock,
        *,
        last_seq: int,
        plans: Sequence[tuple[Timer, Sequence[Alarm]]],
        events: Sequence[tuple[Envelope, str, str]],
    ) -> None:
        """Store the snapshot, project every timer into ``timer``, replace the alarms of
        the ``plans``' timers (planned at ``clock.last_at``) and stage ``events``
        (``(envelope, topic, key)``) in the outbox, in one statement
        (:func:`~sla_clock.adapters.clock_store.store_statement`); in a batch, at
        :meth:`flush`.

        An alarm fires once per instant. When a deadline moves (a severity or tier
        change, a resumption), the new deadline gets its own warnings and breach, except
        for a warning or breach of the same kind and percent that already fired and whose
        new instant has already passed. The caller accounts for ``events`` with the
        outbox (``Outbox.wrote``).
        """
        if self._held_stores is not None:  # a batch's: written by flush(), before the commit
            self._held_stores.add(clock, last_seq=last_seq, plans=plans, events=events)
            self._current[clock.ticket_id] = Snapshot(clock=clock, last_seq=last_seq)
            return
        stores = Stores()
        stores.add(clock, last_seq=last_seq, plans=plans, events=events)
        await self._write(stores)

    async def flush(self) -> None:
        """Write the stores a batch held back (:meth:`record_and_read_many`), in one
        statement; the unit of work calls it before it commits."""
        stores, self._held_stores = self._held_stores, None
        self._recorded.clear()
        self._current.clear()
        if stores is not None and stores.clocks:
            await self._write(stores)

    async def _write(self, stores: Stores) -> None:
        await self._db.execute(self._sql(store_statement()), store_params(stores))
        if alarms := stores.alarms():
            self._stored_due(min(row["fire_at"] for row in alarms))

    async def alarms(self, ticket_id: UUID) -> list[Any]:
        """Return a ticket's alarms, pending and fired, in firing order."""
        return await self._db.rows(self._sql(_ALARMS), {"ticket_id": ticket_id})

    async def clocks(
        self,
        *,
        received_from: datetime | None,
        received_to: datetime | None,
        customer_id: UUID | None,
        tier: str | None,
    ) -> list[TicketClock]:
        """Return the snapshots of tickets received in ``[from, to)``, filtered."""
        filters = {
            "received_at >= :received_from": received_from,
            "received_at < :received_to": received_to,
            "customer_id = :customer_id": customer_id,
            "tier = :tier": tier,
        }
        where = " AND ".join(f for f, value in filters.items() if value is not None) or "true"
        params = {
            "received_from": received_from,
            "received_to": received_to,
            "customer_id": customer_id,
            "tier": tier,
        }
        rows = await self._db.rows(
            self._sql(
                f'SELECT state FROM "{{schema}}".ticket_clock WHERE {where} ORDER BY received_at'
            ),
            {name: value for name, value in params.items() if value is not None},
        )
        return [TicketClock.from_dict(_json(r.state)) for r in rows]
