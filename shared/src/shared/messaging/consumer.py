"""The idempotent consumer: at-least-once delivery, exactly-once effects.

Each handler of a record runs in a unit of work that first claims
``(handler, event id)`` in the inbox; the records fetched together (every partition's,
each partition's in order) share one transaction and one inbox statement (falling back
to each partition's, then to one record at a time, if anything fails), and the Kafka
offsets are committed only after the handlers' transactions commit (beside the loop, at
most every ``commit_seconds``: shared.messaging.offsets). A redelivery (crash, rebalance, relay
republish) finds the claim and does nothing. A record that cannot be parsed, or
whose handler keeps failing after bounded retries, goes to the dead-letter topic
with the error and the consumer moves on; unknown event types are skipped. A known
type whose ``data`` its payload model refuses is dead-lettered before any handler
runs: handlers that read ``data`` loosely would otherwise half-apply it or drop it
silently.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from pydantic import ValidationError
from typing_extensions import TypeVar

from shared.db import UnitOfWork
from shared.errors import database_unavailable
from shared.events.base import Envelope, current_causation, current_correlation
from shared.events.topics import DLQ
from shared.logging import bind_context, clear_context, get_logger
from shared.messaging.doorbell import Doorbell
from shared.messaging.fetch_pace import FetchPace, pace_fetches
from shared.messaging.handlers import Bound, EventHandler, inbox_name
from shared.messaging.kafka import client_options, make_producer
from shared.messaging.offsets import OffsetCommitter
from shared.observability.metrics import DEAD_LETTERED
from shared.observability.tracing import consumer_span
from shared.settings import KafkaSettings

log = get_logger(__name__)


class DatabaseUnavailable(Exception):
    """The consumer stopped while its database was away; the record stays uncommitted."""


U = TypeVar("U", bound=UnitOfWork, default=UnitOfWork)

# What the consumer dispatches on: a HandlerRegistry (shared.messaging.handlers), which
# files typed handlers by payload class and presents them by event type.
Handlers = Mapping[str, Sequence[EventHandler[U]]]


@dataclass
class ConsumerStats:
    """Counters a test or a health check can read."""

    processed: int = 0
    duplicates: int = 0
    skipped: int = 0
    dead_lettered: int = 0


def _check_payload(envelope: Envelope) -> None:
    """Raise ValidationError if ``data`` does not fit the registered type's model.

    Types this build does not know pass (additive topics); every known payload is
    checked once here, and handlers asking for it again get the same validated object.
    """
    envelope.typed()


def _name(handler: EventHandler[Any]) -> str:
    """The handler's inbox name: its dotted path, stable across deployments."""
    return inbox_name(handler)


@contextlib.contextmanager
def _handling(envelope: Envelope) -> Iterator[None]:
    """While an event is handled: events it causes chain to it, and logs name it."""
    clear_context()
    bind_context(
        event_id=str(envelope.id),
        event_type=envelope.type,
        correlation_id=str(envelope.correlationid),
    )
    corr = current_correlation.set(envelope.correlationid or envelope.id)
    cause = current_causation.set(envelope.id)
    try:
        with consumer_span(envelope):
            yield
    finally:
        current_correlation.reset(corr)
        current_causation.reset(cause)
        clear_context()


class _ForgetProgress(ConsumerRebalanceListener):  # type: ignore[misc]
    """On a rebalance: commit what was handled of the partitions going away, then forget
    per-partition progress (another member may move on)."""

    def __init__(self, done: dict[TopicPartition, int], offsets: OffsetCommitter) -> None:
        self._done = done
        self._offsets = offsets

    async def on_partitions_revoked(self, revoked: Any) -> None:
        try:
            await asyncio.wait_for(self._offsets.flush(revoked), timeout=5)
        except Exception as exc:  # the next owner redelivers them; the inbox absorbs it
            log.warning("commit before a rebalance failed", error=repr(exc))
        self._offsets.forget(revoked)
        for tp in revoked:
            self._done.pop(tp, None)

    async def on_partitions_assigned(self, assigned: Any) -> None:
        for tp in assigned:
            self._done.pop(tp, None)


class EventConsumer(Generic[U]):
    """Runs a service's handlers over its topics in one consumer group."""

    def __init__(
        self,
        *,
        name: str,
        kafka: KafkaSettings,
        group_id: str,
        topics: Sequence[str],
        handlers: Handlers[U],
        uow_factory: Callable[[], U],
        max_attempts: int = 5,
        retry_base_seconds: float = 0.2,
        batch_size: int = 100,
        commit_seconds: float = 0.2,
    ) -> None:
        self.name = name
        self._kafka = kafka
        self._group_id = group_id
        self._topics = list(topics)
        self._handlers = handlers
        self._uow_factory = uow_factory
        self._max_attempts = max_attempts
        self._retry_base = retry_base_seconds
        self._batch_size = batch_size
        self._commit_seconds = commit_seconds
        self._consumer: AIOKafkaConsumer | None = None
        self._offsets: OffsetCommitter | None = None
        self._stop = asyncio.Event()
        self._db_waits = 0
        self._dlq = make_producer(kafka, client_id=f"{name}-dlq")
        self.stats = ConsumerStats()
        self.started = asyncio.Event()
        self._done: dict[TopicPartition, int] = {}  # next offset to handle, per partition
        idle_wait = kafka.fetch_max_wait_ms
        busy_wait = idle_wait if kafka.fetch_busy_wait_ms is None else kafka.fetch_busy_wait_ms
        self._pace = FetchPace(idle_wait, busy_wait, kafka.fetch_busy_seconds)
        # Idle, sleep until a relay rings (if this process hears the bell: the runtime
        # hands it to the relay's listener); None: never sleep.
        self.doorbell = (
            None
            if kafka.idle_sleep_after_seconds is None
            else Doorbell(
                self._topics,
                quiet_seconds=kafka.idle_sleep_after_seconds,
                safety_seconds=kafka.idle_sleep_seconds,
            )
        )

    async def _start(self) -> AIOKafkaConsumer:
        consumer = AIOKafkaConsumer(
            **client_options(self._kafka),
            group_id=self._group_id,
            client_id=f"{self.name}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_uncommitted",
            fetch_max_wait_ms=self._kafka.fetch_max_wait_ms,
            # The fetcher also wakes every consumer_timeout_ms (200 by default) to look at
            # its partitions; answers, consumption and rebalances wake it anyway, so idle
            # it need not look more often than it fetches (half the consumer's idle CPU).
            consumer_timeout_ms=max(200, self._kafka.fetch_max_wait_ms),
            session_timeout_ms=self._kafka.session_timeout_ms,
            heartbeat_interval_ms=self._kafka.heartbeat_interval_ms,
        )
        offsets = OffsetCommitter(consumer, interval=self._commit_seconds)
        try:
            await consumer.start()
            pace_fetches(consumer, self._pace)
            consumer.subscribe(self._topics, listener=_ForgetProgress(self._done, offsets))
            await self._dlq.start()
        except BaseException:
            await consumer.stop()
            raise
        offsets.start()
        self._offsets = offsets
        return consumer

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then leave the group cleanly."""
        self._stop = stop
        failures = 0
        while not stop.is_set():
            try:
                if self._consumer is None:
                    self._consumer = await self._start_unless_stopped(stop)
                    if self._consumer is None:
                        break
                    self.started.set()
                    failures = 0
                await self._poll_once(self._consumer)
            except Exception as exc:
                failures += 1
                log.warning("consumer loop failed; restarting", error=repr(exc), failures=failures)
                await self._close()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=min(0.5 * failures, 5.0))
        await self._close()

    async def _start_unless_stopped(self, stop: asyncio.Event) -> AIOKafkaConsumer | None:
        """Join the group, but give up at once if shutdown begins meanwhile.

        Joining can take seconds (a rebalance); a stopping process should not wait for it.
        """
        starting = asyncio.ensure_future(self._start())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait([starting, stopping], return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if starting.done():
            return starting.result()
        starting.cancel()
        with contextlib.suppress(BaseException):
            await starting
        return None

    async def caught_up(self) -> bool:
        """True when every assigned partition has been handled up to its high watermark.

        Lets a scheduler tell "this instant passed while we were down and the events
        that settle it may still be queued" from "we are current".
        """
        consumer = self._consumer
        if consumer is None or not self.started.is_set():
            return False
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                return False  # no fetch answered yet
            done = self._done.get(tp)
            if done is None:  # nothing handled here since the assignment
                done = self._done[tp] = await consumer.committed(tp) or 0
            if done < highwater:
                return False
        return True

    async def _close(self) -> None:
        consumer, self._consumer = self._consumer, None
        offsets, self._offsets = self._offsets, None
        if offsets is not None:
            await offsets.stop()  # what was handled, committed before the group hears we left
        if consumer is not None:
            with contextlib.suppress(Exception):
                await consumer.stop()  # leaves the group: partitions move at once
        with contextlib.suppress(Exception):
            await self._dlq.stop()
        self._dlq = make_producer(self._kafka, client_id=f"{self.name}-dlq")

    async def _poll_once(self, consumer: AIOKafkaConsumer) -> None:
        batches = await self._fetched(consumer)
        if self.doorbell is not None:
            if batches:
                self.doorbell.records_seen()
            elif self.doorbell.should_sleep():
                await self.doorbell.sleep(consumer, self._stop)
        if len(batches) > 1:
            # Every partition's records in one transaction: each partition's stay in
            # order, and records of different partitions never share a key (a ticket).
            together = [record for records in batches.values() for record in records]
            if await self.process_together(together):
                self._done_with(batches)
                return
        for tp, records in batches.items():
            if not (len(records) > 1 and await self.process_together(records)):
                for record in records:
                    await self.process(record)
            self._done_with({tp: records})

    async def _fetched(
        self, consumer: AIOKafkaConsumer
    ) -> dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]:
        """The records fetched by now, waiting up to a second for some, or none on stop.

        Each empty return is a turn of the loop that costs CPU (a third of an idle
        consumer's at 300 ms), so the wait is long; the stop event ends it at once.
        """
        getting = asyncio.ensure_future(
            consumer.getmany(timeout_ms=1000, max_records=self._batch_size)
        )
        stopping = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait((getting, stopping), return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not getting.done():
            getting.cancel()  # records already fetched stay in the fetcher's buffer
            with contextlib.suppress(asyncio.CancelledError):
                await getting
            return {}
        batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]] = getting.result()
        return batches

    def _done_with(self, batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]) -> None:
        """Hand the offsets after ``batches`` to the committer: only now, every handler's
        transaction committed. It commits them beside the loop (shared.messaging.offsets)."""
        offsets = {tp: records[-1].offset + 1 for tp, records in batches.items()}
        self._done.update(offsets)
        if self._offsets is not None:
            self._offsets.handled(offsets)

    async def process_together(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> bool:
        """Apply records in one transaction; False to go one by one instead.

        Under load this saves a transaction (and its commit flush) per event. Any
        surprise (a malformed record, a failing handler) rolls the whole batch back and
        returns False: the records are then applied one at a time with retries and
        dead-lettering, and the inbox claims rolled back with the batch let that happen.
        """
        try:
            envelopes = [Envelope.model_validate_json(r.value or b"") for r in records]
            for envelope in envelopes:
                if self._handlers.get(envelope.type, ()):
                    _check_payload(envelope)
        except ValidationError:
            return False
        try:
            async with self._uow_factory() as uow:
                applied = await self._apply_together(envelopes, uow)
                await uow.commit()
        except Exception as exc:
            log.info("batch fell back to one record at a time", error=repr(exc), size=len(records))
            return False
        calls = sum(len(self._handlers.get(e.type, ())) for e in envelopes)
        self.stats.processed += applied
        self.stats.duplicates += calls - applied
        self.stats.skipped += sum(1 for e in envelopes if not self._handlers.get(e.type, ()))
        return True

    async def _apply_together(self, envelopes: Sequence[Envelope], uow: U) -> int:
        """Claim every (handler, event) of the batch in one statement, then run the new ones.

        Returns how many handler calls ran; the rest were already processed.
        """
        handled = [e for e in envelopes if self._handlers.get(e.type, ())]
        fresh = await uow.inbox.claim_many(
            [
                (_name(handler), envelope.id, envelope.type)
                for envelope in handled
                for handler in self._handlers[envelope.type]
            ],
            locks=uow.claim_locks([e.subject for e in handled if e.subject]),
        )
        await self._prepare(handled, fresh, uow)
        applied = 0
        for envelope in envelopes:
            handlers = self._handlers.get(envelope.type, ())
            if not handlers:
                continue
            with _handling(envelope):
                for handler in handlers:
                    claim = (_name(handler), envelope.id)
                    if claim in fresh:
                        fresh.discard(claim)  # a repeat later in the batch is a duplicate
                        await handler(envelope, uow)
                        applied += 1
        return applied

    async def _prepare(
        self, envelopes: Sequence[Envelope], fresh: set[tuple[str, Any]], uow: U
    ) -> None:
        """Give each handler with a batch step (``Bound.prepare``) the batch's events it is
        about to get: the claimed ones, in order, each once."""
        batches: dict[Bound[Any, Any], dict[Any, Envelope]] = {}
        for envelope in envelopes:
            for handler in self._handlers[envelope.type]:
                if not (isinstance(handler, Bound) and handler.batched):
                    continue
                if (handler.inbox_name, envelope.id) in fresh:
                    batches.setdefault(handler, {}).setdefault(envelope.id, envelope)
        for handler, batch in batches.items():
            await handler.prepare(list(batch.values()), uow)

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        """Apply one record's handlers; dead-letter it if it cannot be applied."""
        try:
            envelope = Envelope.model_validate_json(record.value or b"")
        except ValidationError as exc:
            await self._dead_letter(record, reason="malformed envelope", error=str(exc))
            return
        handlers = self._handlers.get(envelope.type, ())
        if not handlers:
            self.stats.skipped += 1
            return
        try:
            _check_payload(envelope)
        except ValidationError as exc:
            await self._dead_letter(
                record, reason=f"invalid {envelope.type} payload", error=str(exc)
            )
            return
        with _handling(envelope):
            for handler in handlers:
                await self._apply(handler, envelope, record)

    async def _apply(
        self, handler: EventHandler[U], envelope: Envelope, record: ConsumerRecord[bytes, bytes]
    ) -> None:
        name = _name(handler)
        attempt = 1
        while True:
            try:
                async with self._uow_factory() as uow:
                    locks = uow.claim_locks([envelope.subject] if envelope.subject else [])
                    if not await uow.inbox.claim(
                        envelope.id, handler=name, event_type=envelope.type, locks=locks
                    ):
                        self.stats.duplicates += 1
                        return
                    await handler(envelope, uow)
                    await uow.commit()
                self.stats.processed += 1
                self._db_waits = 0
                return
            except ValidationError as exc:  # the payload itself is wrong: retrying cannot help
                await self._dead_letter(
                    record, reason=f"invalid payload for {name}", error=str(exc)
                )
                return
            except Exception as exc:
                if database_unavailable(exc):
                    # Not the record's fault: wait for the database, however long, and
                    # never dead-letter an event because our own database was away.
                    await self._wait_for_database(exc, name)
                    continue  # no attempt spent
                log.warning(
                    "handler failed",
                    handler=name,
                    attempt=attempt,
                    error=repr(exc),
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                )
                if attempt >= self._max_attempts:
                    await self._dead_letter(record, reason=f"{name} failed", error=repr(exc))
                    return
                await asyncio.sleep(self._retry_base * 2 ** (attempt - 1))
                attempt += 1

    async def _wait_for_database(self, exc: Exception, handler: str) -> None:
        """Back off while the database is unavailable; abort (uncommitted) on shutdown."""
        self._db_waits += 1
        delay = min(self._retry_base * 2 ** min(self._db_waits, 5), 5.0)
        log.warning("database unavailable; holding the record", handler=handler, error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=delay)
        if self._stop.is_set():
            raise DatabaseUnavailable(repr(exc)) from exc

    async def _dead_letter(
        self, record: ConsumerRecord[bytes, bytes], *, reason: str, error: str
    ) -> None:
        headers = [
            *(record.headers or ()),
            ("dlq_reason", reason.encode()),
            ("dlq_error", error[:2000].encode()),
            ("dlq_source", f"{record.topic}/{record.partition}/{record.offset}".encode()),
            ("dlq_consumer", self.name.encode()),
        ]
        await self._dlq.send_and_wait(DLQ, value=record.value, key=record.key, headers=headers)
        self.stats.dead_lettered += 1
        DEAD_LETTERED.labels(consumer=self.name, topic=record.topic).inc()
        log.error("dead-lettered", reason=reason, error=error[:500], topic=record.topic)
