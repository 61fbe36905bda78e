"""Outbox rows for a transaction on asyncpg's own connection (``shared.pool_guard.driver_connection``).

:class:`~shared.messaging.outbox.Outbox` writes through the ORM session; a hot path that
runs its statements on asyncpg directly stages its events here instead and writes them
with its own statement, so that a row and its events can go in one round trip (intake's
admission: the ticket and ``ticket.created``). The rules are the outbox's: the same size
limit, the same columns, rows in the order staged, and the commit announced to the relays
of other processes when this one has no relay of its own.
"""

from __future__ import annotations

from typing import Any

from shared.events.base import Envelope, EventData
from shared.messaging.outbox import channel, checked_payload, origin

# Five arrays (id, topic, key, type, payload) from parameter ``$first`` on, in order.
_INSERT = (
    'INSERT INTO "{schema}".outbox (id, topic, key, event_type, payload) '
    "SELECT id, topic, key, type, payload::jsonb FROM unnest("
    "${0}::uuid[], ${1}::text[], ${2}::text[], ${3}::text[], ${4}::text[]) WITH ORDINALITY "
    "AS v(id, topic, key, type, payload, n) ORDER BY n"
)
NOTIFY = "SELECT pg_notify($1, $2)"  # with :meth:`OutboxRows.notify_args`


def insert_sql(schema: str, *, first: int) -> str:
    """The INSERT of :meth:`OutboxRows.take`'s arrays, passed as ``$first`` to ``$first+4``."""
    return _INSERT.format(*range(first, first + 5), schema=schema)


class OutboxRows:
    """Events staged for the outbox by one transaction, written by its caller's statement."""

    def __init__(self, *, schema: str, source: str, announce: bool) -> None:
        self._schema = schema
        self._source = source
        self._announce = announce
        self._columns: tuple[list[Any], ...] = ([], [], [], [], [])
        self.staged = 0  # staged in this transaction (the relay is woken after its commit)
        self.first_key: str | None = None  # the audit entry's target for a create

    def stage(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        """Wrap ``data`` as :meth:`Outbox.publish` does and keep its row for :meth:`take`.

        Raises:
            Unprocessable: the event would exceed what the broker accepts.
        """
        envelope = Envelope.wrap(data, source=self._source, subject=subject, sequence=sequence)
        key = key or subject
        for column, value in zip(
            self._columns,
            (envelope.id, data.TOPIC, key, envelope.type, checked_payload(envelope)),
            strict=True,
        ):
            column.append(value)
        if self.first_key is None:
            self.first_key = key
        self.staged += 1
        return envelope

    def take(self) -> tuple[list[Any], ...]:
        """The staged rows as five parameter arrays for :func:`insert_sql`; staging starts anew."""
        taken, self._columns = self._columns, ([], [], [], [], [])
        return taken

    def notify_args(self) -> tuple[str, str] | None:
        """:data:`NOTIFY`'s arguments when the commit must be announced (no relay here)."""
        return (channel(self._schema), origin()) if self._announce and self.staged else None
