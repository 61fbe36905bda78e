"""The inbox: processed (handler, event id) pairs, so a redelivered event has no second effect."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from shared.statements import Statements, schema_sql


class Inbox:
    """Claims events inside the handler's transaction (eventsourcing's tracking table).

    A claim may also take transaction-scoped advisory locks (``locks``: their keys, as
    text) in the same statement: a service whose handlers serialise on a lock of their
    own (sla-clock's per ticket) spends no round trip on it, and its repositories, seeing
    the key in :attr:`locked`, may read what the lock guards in their first statement.
    """

    def __init__(self, statements: Statements, *, schema: str) -> None:
        self._db = statements
        self._schema = schema
        self.locked: set[str] = set()  # advisory locks the claims took; held until commit

    async def claim(
        self, event_id: UUID, *, handler: str, event_type: str = "", locks: Sequence[str] = ()
    ) -> bool:
        """Record the event as processed by ``handler``; False if it already was."""
        claimed = await self._db.one(
            schema_sql(_CLAIM_LOCKED if locks else _CLAIM, self._schema),
            {"handler": handler, "event_id": event_id, "event_type": event_type}
            | ({"locks": sorted(locks)} if locks else {}),
        )
        self.locked.update(locks)
        return claimed is not None

    async def claim_many(
        self, claims: Sequence[tuple[str, UUID, str]], *, locks: Sequence[str] = ()
    ) -> set[tuple[str, UUID]]:
        """Claim ``(handler, event id, event type)`` triples in one statement.

        Returns the ``(handler, event id)`` pairs that were new: the others (and a
        repeat of a pair within ``claims``) were already processed.
        """
        if not claims:
            return set()
        unique: dict[tuple[str, UUID], str] = {}  # one row per pair: the first one claims it
        for handler, event_id, event_type in claims:
            unique.setdefault((handler, event_id), event_type)
        handlers = [handler for handler, _ in unique]
        event_ids = [event_id for _, event_id in unique]
        rows = await self._db.rows(
            schema_sql(_CLAIM_MANY_LOCKED if locks else _CLAIM_MANY, self._schema),
            {
                "handlers": handlers,
                "event_ids": event_ids,
                "event_types": list(unique.values()),
            }
            # In one order, whoever takes them: two transactions never wait on each other.
            | ({"locks": sorted(set(locks))} if locks else {}),
        )
        self.locked.update(locks)
        return {(row.handler, row.event_id) for row in rows}


_CLAIM = (
    'INSERT INTO "{schema}".inbox (handler, event_id, event_type) '
    "VALUES (:handler, :event_id, :event_type) ON CONFLICT DO NOTHING RETURNING 1"
)
_CLAIM_MANY = (
    'INSERT INTO "{schema}".inbox (handler, event_id, event_type) '
    "SELECT * FROM unnest(CAST(:handlers AS text[]), CAST(:event_ids AS uuid[]), "
    "CAST(:event_types AS text[])) ON CONFLICT DO NOTHING RETURNING handler, event_id"
)
# The locks first: a one-row subquery joined to the claims, which the statement must
# evaluate (taking every lock, in the keys' order) before it inserts a row.
_LOCKS = (
    "(SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS n "
    "FROM unnest(CAST(:locks AS text[])) AS k) AS locked"
)
_CLAIM_LOCKED = (
    'INSERT INTO "{schema}".inbox (handler, event_id, event_type) '
    "SELECT CAST(:handler AS text), CAST(:event_id AS uuid), CAST(:event_type AS text) "
    f"FROM {_LOCKS} ON CONFLICT DO NOTHING RETURNING 1"
)
_CLAIM_MANY_LOCKED = (
    'INSERT INTO "{schema}".inbox (handler, event_id, event_type) '
    "SELECT c.* FROM unnest(CAST(:handlers AS text[]), CAST(:event_ids AS uuid[]), "
    f"CAST(:event_types AS text[])) AS c, {_LOCKS} "
    "ON CONFLICT DO NOTHING RETURNING handler, event_id"
)
