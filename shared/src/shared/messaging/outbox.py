"""The transactional outbox: events are rows written in the state change's own transaction.

In a process with no relay of its own (``announce``), the first row of a transaction
also queues a ``NOTIFY`` on :func:`channel`: PostgreSQL delivers it only if, and once,
the transaction commits, so the relays of other processes can sleep until there is
something to publish instead of polling. A process with a relay wakes it directly on
commit and does not notify: PostgreSQL serialises the commits of notifying transactions
under one server-wide lock, which every service committing would contend for. The
payload names the writing process (:func:`origin`), so a relay ignores its own.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from typing import Any

from shared import audit
from shared.errors import Unprocessable
from shared.events.base import Envelope, EventData
from shared.statements import Statements, schema_sql

# Kafka's default message.max.bytes is about 1 MB; stay well below it.
MAX_EVENT_BYTES = 512 * 1024


class Outbox:
    """Adds events to the service's ``outbox`` table inside the current transaction."""

    def __init__(
        self,
        statements: Statements,
        *,
        schema: str,
        source: str,
        announce: bool = True,
        info: dict[Any, Any] | None = None,
    ) -> None:
        self._db = statements
        # The transaction's notes for the audit entry (``session.info`` on a request).
        self._info: dict[Any, Any] = {} if info is None else info
        self._announce = announce
        self._schema = schema
        self._source = source
        self.pending = 0
        self.added: list[Envelope] = []

    async def add(self, envelope: Envelope, *, topic: str, key: str) -> None:
        """Stage one envelope for publication on ``topic`` with ``key``.

        Raises:
            Unprocessable: the event would exceed what the broker accepts; refusing it
                here keeps it from blocking the relay (and every later event) for good.
        """
        payload = checked_payload(envelope)
        row = {"id": envelope.id, "topic": topic, "key": key, "type": envelope.type}
        if self._announce and self.pending == 0:  # the first row announces the commit
            await self._db.execute(
                schema_sql(_NOTIFYING_INSERT, self._schema),
                {**row, "payload": payload, "channel": channel(self._schema), "origin": origin()},
            )
        else:
            await self._db.execute(schema_sql(_INSERT, self._schema), {**row, "payload": payload})
        self._first_key(key)
        self.pending += 1
        self.added.append(envelope)

    def _first_key(self, key: str) -> None:
        """Note the transaction's first event key (a create's target, for the audit entry)."""
        if self.pending == 0:
            audit.note_outbox_key(self._info, key)

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        """Wrap ``data`` in an envelope from this service and stage it on its topic."""
        envelope = Envelope.wrap(data, source=self._source, subject=subject, sequence=sequence)
        await self.add(envelope, topic=data.TOPIC, key=key or subject)
        return envelope

    async def publish_many(self, events: Sequence[tuple[EventData, str]]) -> list[Envelope]:
        """Wrap each ``(data, subject)`` as :meth:`publish` does; stage them in one insert."""
        staged = self.wrap_many(events)
        await self.add_many(staged)
        return [envelope for envelope, _, _ in staged]

    def wrap_many(self, events: Sequence[tuple[EventData, str]]) -> list[tuple[Envelope, str, str]]:
        """``(envelope, topic, key)`` of each ``(data, subject)``, as :meth:`publish` wraps
        it, for :meth:`add_many` or an adapter's own statement (:meth:`wrote`)."""
        return [
            (Envelope.wrap(data, source=self._source, subject=subject), data.TOPIC, subject)
            for data, subject in events
        ]

    async def written(self, count: int) -> None:
        """Account for ``count`` rows that an adapter's own set-based statement wrote to
        this outbox in the current transaction (sla-clock's scheduler builds its events
        in SQL): the relay is woken on commit, or the commit is announced, as for
        :meth:`add`. The statement checks nothing of the rows' size: use it only for
        events whose size is bounded by their schema."""
        if count <= 0:
            return
        if self._announce and self.pending == 0:
            await self._db.execute(
                schema_sql(_NOTIFY, self._schema),
                {"channel": channel(self._schema), "origin": origin()},
            )
        self.pending += count

    async def wrote(self, staged: Sequence[tuple[Envelope, str, str]]) -> None:
        """Account for ``(envelope, topic, key)`` rows an adapter wrote with
        :func:`outbox_columns` in a statement of its own (sla-clock's consumer writes its
        state and its events in one): as :meth:`written`, and the first key is noted for
        the audit entry as :meth:`add` notes it."""
        if not staged:
            return
        self._first_key(staged[0][2])
        await self.written(len(staged))
        self.added.extend(envelope for envelope, _, _ in staged)

    async def add_many(self, staged: Sequence[tuple[Envelope, str, str]]) -> None:
        """Stage ``(envelope, topic, key)`` triples in order, in one multi-row insert.

        A batch of hundreds costs one round trip instead of hundreds. The first goes
        through :meth:`add`, so whatever :meth:`add` does once per transaction still
        happens; the rest share its size limit.
        """
        if not staged:
            return
        (first, topic, key), rest = staged[0], staged[1:]
        await self.add(first, topic=topic, key=key)
        if not rest:
            return
        await self._db.execute(schema_sql(_INSERT_MANY, self._schema), outbox_columns(rest))
        self.pending += len(rest)
        self.added.extend(envelope for envelope, _, _ in rest)


# The rows of outbox_columns(), in order: for an adapter's own statement that writes its
# state and its events together (it reports them with Outbox.wrote).
OUTBOX_ROWS = (
    "SELECT id, topic, key, type, CAST(payload AS jsonb) FROM unnest("
    "CAST(:ids AS uuid[]), CAST(:topics AS text[]), CAST(:keys AS text[]), "
    "CAST(:types AS text[]), CAST(:payloads AS text[])) WITH ORDINALITY "
    "AS v(id, topic, key, type, payload, n) ORDER BY n"
)


_INSERT = (
    'INSERT INTO "{schema}".outbox (id, topic, key, event_type, payload) '
    "VALUES (:id, :topic, :key, :type, CAST(:payload AS jsonb))"
)
# The insert plus one NOTIFY, in one round trip (PostgreSQL folds repeats anyway).
_NOTIFYING_INSERT = (
    f"WITH row AS ({_INSERT} RETURNING 1) SELECT pg_notify(:channel, :origin) FROM row"
)
_NOTIFY = "SELECT pg_notify(:channel, :origin)"
_INSERT_MANY = 'INSERT INTO "{schema}".outbox (id, topic, key, event_type, payload) ' + OUTBOX_ROWS


def outbox_columns(staged: Sequence[tuple[Envelope, str, str]]) -> dict[str, list[Any]]:
    """``(envelope, topic, key)`` rows as the column arrays of :data:`OUTBOX_ROWS`, each
    envelope serialised once and refused if the broker would not take it."""
    return {
        "ids": [envelope.id for envelope, _, _ in staged],
        "topics": [topic for _, topic, _ in staged],
        "keys": [key for _, _, key in staged],
        "types": [envelope.type for envelope, _, _ in staged],
        "payloads": [checked_payload(envelope) for envelope, _, _ in staged],
    }


def checked_payload(envelope: Envelope) -> str:
    """The envelope's JSON, refused when the broker would not take it (see :meth:`Outbox.add`)."""
    payload = envelope.model_dump_json()
    if len(payload) > MAX_EVENT_BYTES:
        raise Unprocessable(
            f"The change makes a {envelope.type} event of {len(payload):,} bytes, over the "
            f"{MAX_EVENT_BYTES:,} the platform sends; shorten the longest text fields.",
            slug="event-too-large",
        )
    return payload


def channel(schema: str) -> str:
    """The NOTIFY channel on which commits that wrote outbox rows in ``schema`` are announced."""
    return f"{schema}.outbox"


def origin() -> str:
    """This process, as named in the NOTIFY payload (pid alone may repeat across hosts)."""
    return f"{socket.gethostname()}:{os.getpid()}"
