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

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import Unprocessable
from shared.events.base import Envelope, EventData

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
        payload = envelope.model_dump_json()
        if len(payload) > MAX_EVENT_BYTES:
            raise Unprocessable(
                f"The change makes a {envelope.type} event of {len(payload):,} bytes, over the "
                f"{MAX_EVENT_BYTES:,} the platform sends; shorten the longest text fields.",
                slug="event-too-large",
            )
        row = {"id": envelope.id, "topic": topic, "key": key, "type": envelope.type}
        if self._announce and self.pending == 0:  # the first row announces the commit
            await self._session.execute(
                self._notifying_insert(),
                {**row, "payload": payload, "channel": channel(self._schema), "origin": origin()},
            )
        else:
            await self._session.execute(self._insert(), {**row, "payload": payload})
        self.pending += 1
        self.added.append(envelope)

    def _insert(self) -> TextClause:
        return text(
            f'INSERT INTO "{self._schema}".outbox (id, topic, key, event_type, payload) '
            "VALUES (:id, :topic, :key, :type, CAST(:payload AS jsonb))"
        )

    def _notifying_insert(self) -> TextClause:
        """The insert plus one NOTIFY, in one round trip (PostgreSQL folds repeats anyway)."""
        return text(
            f"WITH row AS ({self._insert().text} RETURNING 1) "
            "SELECT pg_notify(:channel, :origin) FROM row"
        )

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        """Wrap ``data`` in an envelope from this service and stage it on its topic."""
        envelope = Envelope.wrap(data, source=self._source, subject=subject, sequence=sequence)
        await self.add(envelope, topic=data.TOPIC, key=key or subject)
        return envelope


def channel(schema: str) -> str:
    """The NOTIFY channel on which commits that wrote outbox rows in ``schema`` are announced."""
    return f"{schema}.outbox"


def origin() -> str:
    """This process, as named in the NOTIFY payload (pid alone may repeat across hosts)."""
    return f"{socket.gethostname()}:{os.getpid()}"
