"""The outbox relay: publishes committed outbox rows in order, then marks them sent.

One relay per service publishes at a time (a transaction-scoped advisory lock on
the schema), so events that share a key leave in commit order even with several
replicas. A crash between the broker's ack and the mark republishes the row;
consumers' inboxes absorb that duplicate. Published rows are kept for
``retention`` so they can be replayed to a broker that lost its log: after a
failure and every ``check_seconds`` (six times that while it publishes nothing,
back to ``check_seconds`` as soon as it publishes again) the relay asks a :class:`BrokerWatch`
whether the broker still holds what it was acked for; if not, it recreates the
topics and marks every retained row unsent, so they leave again in ``seq``
order. Consumers, whose offsets went with the broker, start from the earliest
offset and their inboxes absorb what they had already applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from datetime import UTC, datetime, timedelta

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.logging import get_logger
from shared.messaging import doorbell
from shared.messaging.broker_watch import BrokerWatch
from shared.messaging.kafka import make_producer
from shared.messaging.listener import OutboxListener
from shared.periodic import Periodic, QuietStretch
from shared.pool_guard import driver_connection
from shared.settings import KafkaSettings

log = get_logger(__name__)

STRUCTURED = b"application/cloudevents+json"


def record_headers(event_type: str, event_id: object) -> list[tuple[str, bytes]]:
    """A record's headers under the CloudEvents Kafka binding, structured mode.

    The value is the whole event as JSON (``Envelope``), so ``content-type`` says
    ``application/cloudevents+json`` and the CloudEvents SDKs' Kafka bindings read it.
    ``ce_type`` and ``ce_id`` stay: consumers route and deduplicate on them without
    parsing the value (docs/kafka.md).
    """
    return [
        ("content-type", STRUCTURED),
        ("ce_type", event_type.encode()),
        ("ce_id", str(event_id).encode()),
    ]


# While a relay publishes nothing, it looks at the broker this many times less often.
IDLE_CHECK_FACTOR = 6

# The consumers' doorbell (shared.messaging.doorbell), sent with the round's commit.
_RING = "SELECT pg_notify($1, $2)"


@functools.cache
def _claim(schema: str) -> str:
    """Take the schema's relay lock and mark up to ``$1`` pending rows sent, in one statement.

    No rows when another replica's relay holds the lock (the lock's CTE is volatile, so
    it is evaluated once, before any row is read). The marks are the transaction's: if a
    send fails the transaction rolls back and the rows are pending again; a crash between
    the broker's ack and the commit leaves them pending too (republished, absorbed by
    the consumers' inboxes). The stored JSON comes back as text and is sent as it is.
    """
    return (
        "WITH relay AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtext($2)) AS held), "
        f'due AS (SELECT o.id FROM "{schema}".outbox o, relay '
        "WHERE relay.held AND o.published_at IS NULL ORDER BY o.seq LIMIT $1) "
        f'UPDATE "{schema}".outbox o SET published_at = now() FROM due WHERE o.id = due.id '
        "RETURNING o.seq, o.id, o.topic, o.key, o.event_type, o.payload::text AS payload"
    )


async def mark_unsent(engine: AsyncEngine, schema: str, since: datetime | None = None) -> int:
    """Mark the retained published rows (committed at or after ``since``) unsent again.

    Under the relay's own lock, so no row is half-published while it is reset; the
    relay then publishes them again in ``seq`` order. Returns how many were reset.
    """
    async with engine.begin() as conn:
        await conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{schema}.outbox"}
        )
        result = await conn.execute(
            text(
                f'UPDATE "{schema}".outbox SET published_at = NULL '
                "WHERE published_at IS NOT NULL AND created_at >= :since"
            ),
            {"since": since or datetime.min.replace(tzinfo=UTC)},
        )
    return int(getattr(result, "rowcount", 0) or 0)


class OutboxRelay:
    """Moves a service's outbox rows to Kafka."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        schema: str,
        kafka: KafkaSettings,
        client_id: str,
        poll_seconds: float = 0.2,
        batch_size: int = 500,
        retention: timedelta = timedelta(days=7),
        check_seconds: float = 10.0,
    ) -> None:
        self._engine = engine
        self._schema = schema
        self._kafka = kafka
        self._client_id = client_id
        self._batch = batch_size
        self._retention = retention
        self._check_seconds = check_seconds
        self._watch = BrokerWatch(kafka, client_id=client_id)
        self.republished = 0
        self._producer: AIOKafkaProducer | None = None
        self.published = 0
        self._next_check = self._next_purge = 0.0  # both due on the first round
        self._published_at_check = 0
        self._loop = Periodic(
            "outbox relay", self._round, interval=poll_seconds, on_error=self._after_failure
        )
        self._quiet = QuietStretch(poll_seconds)
        self._listener = OutboxListener(engine, schema=schema, wake=self.wake)
        self._bell = doorbell.RelayBell()

    def listen_for_consumer(self, bell: doorbell.Doorbell) -> None:
        """Let this process's consumer hear the relays' doorbell on this relay's listening
        connection (before the relay runs: the channel is added as it connects)."""
        self._listener.also(doorbell.CHANNEL, bell.heard, listening=bell.hearing)

    def wake(self) -> None:
        """Ask the relay to look at the outbox now rather than at its next poll."""
        self._quiet.heard()
        self._loop.wake()

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = make_producer(self._kafka, client_id=f"{self._client_id}-relay")
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()
            self._producer = None

    async def publish_batch(self) -> int:
        """Publish up to one batch of pending rows; return how many were published.

        On asyncpg's own connection (taken from the engine's pool), not through
        SQLAlchemy: three statements in every relay round of every service, where the
        statement layer cost as much as the statements (``bench/sql_layer_cost.py``).
        """
        producer = await self._ensure_producer()
        async with driver_connection(self._engine) as conn:
            return await self._publish_on(conn, producer)

    async def _publish_on(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> int:
        """One round in one transaction: lock and claim the pending rows, send, commit.

        Three statements (BEGIN, the claim, COMMIT) where lock, read and mark took five.
        """
        async with conn.transaction():
            claimed = await conn.fetch(_claim(self._schema), self._batch, f"{self._schema}.outbox")
            if not claimed:
                return 0  # nothing pending, or another replica's relay is publishing
            rows = sorted(claimed, key=lambda row: row["seq"])  # RETURNING keeps no order
            futures = [
                await producer.send(
                    row["topic"],
                    value=row["payload"].encode(),
                    key=row["key"].encode(),
                    headers=record_headers(row["event_type"], row["id"]),
                )
                for row in rows
            ]
            self._watch.note(await asyncio.gather(*futures))
            quiet = self._bell.to_ring(row["topic"] for row in rows)
            if quiet:  # heard once this commits: after the broker acked the records
                await conn.execute(_RING, doorbell.CHANNEL, ",".join(quiet))
        self.published += len(rows)
        return len(rows)

    async def check_broker(self) -> int:
        """Republish the retained rows if the broker lost them; return how many."""
        reason = await self._watch.loss()
        if reason is None:
            return 0
        log.warning("broker lost published events; recreating topics", reason=reason)
        await self._watch.repair_topics()
        count = await mark_unsent(self._engine, self._schema)
        self._watch.forget()
        self.republished += count
        log.warning("republishing retained events", schema=self._schema, count=count)
        self.wake()
        return count

    async def purge(self) -> None:
        """Delete published rows older than the retention window."""
        async with self._engine.begin() as conn:
            await conn.execute(
                text(
                    f'DELETE FROM "{self._schema}".outbox '
                    "WHERE published_at IS NOT NULL AND published_at < now() - CAST(:keep AS interval)"
                ),
                {"keep": self._retention},
            )

    async def _round(self) -> float:
        """Check the broker when due (and after any failure), publish all pending, purge
        when due; return the wait until the next round (longer while nothing happens)."""
        await self._listener.ensure()  # before reading: a commit from now on wakes us again
        clock = asyncio.get_running_loop()
        if self._loop.failures or clock.time() >= self._next_check:
            await self.check_broker()
            # Nothing published since the last look: the next one can wait longer (each
            # asks the broker for its metadata and ends; at idle, a share of its CPU).
            unpublished = self.published == self._published_at_check
            self._published_at_check = self.published
            wait = self._check_seconds * (IDLE_CHECK_FACTOR if unpublished else 1)
            self._next_check = clock.time() + wait
        # A short batch was all there was: a row committed since woke the loop, so no
        # second, empty transaction to make sure (it was one in every two relay rounds).
        before = self.published
        while await self.publish_batch() >= self._batch:
            pass
        # Quiet only while listening: otherwise the poll is how other processes' rows leave.
        quiet = self.published == before and self._listener.listening
        if self.published != self._published_at_check:  # publishing again: look as often
            self._next_check = min(self._next_check, clock.time() + self._check_seconds)
        if clock.time() >= self._next_purge:
            await self.purge()
            self._next_purge = clock.time() + 600
        return self._quiet.after(quiet=quiet)

    async def _after_failure(self, exc: Exception) -> None:
        await self._drop_producer()  # a fresh producer on the next round, not a wedged one

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; then drain what is left and close the producer."""
        await self._loop.run(stop)
        with contextlib.suppress(Exception):
            while await self.publish_batch():
                pass
        await self._drop_producer()
        await self._watch.close()
        await self._listener.close()
