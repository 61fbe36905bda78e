"""The transactional outbox: events are rows written in the state change's own transaction."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import Unprocessable
from shared.events.base import Envelope, EventData

# Kafka's default message.max.bytes is about 1 MB; stay well below it.
MAX_EVENT_BYTES = 512 * 1024


class Outbox:
    """Adds events to the service's ``outbox`` table inside the current transaction."""

    def __init__(self, session: AsyncSession, *, schema: str, source: str) -> None:
        self._session = session
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
        await self._session.execute(
            text(
                f'INSERT INTO "{self._schema}".outbox (id, topic, key, event_type, payload) '
                "VALUES (:id, :topic, :key, :type, CAST(:payload AS jsonb))"
            ),
            {
                "id": envelope.id,
                "topic": topic,
                "key": key,
                "type": envelope.type,
                "payload": payload,
            },
        )
        self.pending += 1
        self.added.append(envelope)

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        """Wrap ``data`` in an envelope from this service and stage it on its topic."""
        envelope = Envelope.wrap(data, source=self._source, subject=subject, sequence=sequence)
        await self.add(envelope, topic=data.TOPIC, key=key or subject)
        return envelope


def encode(payload: object) -> bytes:
    """Serialise a stored payload for the wire."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
