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

from sqlalchemy import TextClause
from sqlalchemy.ext.asyncio import AsyncSession

from shared import audit
from shared.errors import Unprocessable
from shared.events.base import Envelope, EventData
from shared.statements import schema_text

# Kafka's default message.max.bytes is about 1 MB; stay well below it.
MAX_EVENT_BYTES = 512 * 1024


class Outbox:
    """Adds events to the service's ``outbox`` table inside the current transaction."""

    def __init__(
        self, session: AsyncSession, *, schema: str, source: str, announce: bool = True
    ) -> None:
        self._session = session
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
        payload = _checked_payload(envelope)
        row = {"id": envelope.id, "topic": topic, "key": key, "type": envelope.type}
        if self._announce and self.pending == 0:  # the first row announces the commit
            await self._session.execute(
                self._notifying_insert(),
                {**row, "payload": payload, "channel": channel(self._schema), "origin": origin()},
            )
        else:
            await self._session.execute(self._insert(), {**row, "payload": payload})
        if self.pending == 0:
            audit.note_outbox_key(self._session.info, key)
        self.pending += 1
        self.added.append(envelope)

    def _insert(self) -> TextClause:
        return schema_text(_INSERT, self._schema)

    def _notifying_insert(self) -> TextClause:
        return schema_text(_NOTIFYING_INSERT, self._schema)

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        """Wrap ``data`` in an envelope from this service and stage it on its topic."""
        envelope = Envelope.wrap(data, source=self._source, subject=subject, sequence=sequence)
        await self.add(envelope, topic=data.TOPIC, key=key or subject)
        return envelope

    async def publish_many(self, events: Sequence[tuple[EventData, str]]) -> list[Envelope]:
        """Wrap each ``(data, subject)`` as :meth:`publish` does; stage them in one insert."""
        envelopes = [
            Envelope.wrap(data, source=self._source, subject=subject) for data, subject in events
        ]
        await self.add_many(
            [
                (envelope, data.TOPIC, subject)
                for envelope, (data, subject) in zip(envelopes, events, strict=True)
            ]
        )
        return envelopes

    async def written(self, count: int) -> None:
        """Account for ``count`` rows that an adapter's own set-based statement wrote to
        this outbox in the current transaction (sla-clock's scheduler builds its events
        in SQL): the relay is woken on commit, or the commit is announced, as for
        :meth:`add`. The statement checks nothing of the rows' size: use it only for
        events whose size is bounded by their schema."""
        if count <= 0:
            return
        if self._announce and self.pending == 0:
            await self._session.execute(
                schema_text(_NOTIFY, self._schema),
                {"channel": channel(self._schema), "origin": origin()},
            )
        self.pending += count

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
        payloads = [_checked_payload(envelope) for envelope, _, _ in rest]
        await self._session.execute(
            schema_text(_INSERT_MANY, self._schema),
            {
                "ids": [envelope.id for envelope, _, _ in rest],
                "topics": [topic for _, topic, _ in rest],
                "keys": [key for _, _, key in rest],
                "types": [envelope.type for envelope, _, _ in rest],
                "payloads": payloads,
            },
        )
        self.pending += len(rest)
        self.added.extend(envelope for envelope, _, _ in rest)


_INSERT = (
    'INSERT INTO "{schema}".outbox (id, topic, key, event_type, payload) '
    "VALUES (:id, :topic, :key, :type, CAST(:payload AS jsonb))"
)
# The insert plus one NOTIFY, in one round trip (PostgreSQL folds repeats anyway).
_NOTIFYING_INSERT = (
    f"WITH row AS ({_INSERT} RETURNING 1) SELECT pg_notify(:channel, :origin) FROM row"
)
_NOTIFY = "SELECT pg_notify(:channel, :origin)"
_INSERT_MANY = (
    'INSERT INTO "{schema}".outbox (id, topic, key, event_type, payload) '
    "SELECT id, topic, key, type, CAST(payload AS jsonb) FROM unnest("
    "CAST(:ids AS uuid[]), CAST(:topics AS text[]), CAST(:keys AS text[]), "
    "CAST(:types AS text[]), CAST(:payloads AS text[])) WITH ORDINALITY "
    "AS v(id, topic, key, type, payload, n) ORDER BY n"
)


def _checked_payload(envelope: Envelope) -> str:
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
