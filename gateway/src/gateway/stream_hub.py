"""One Kafka tail per gateway process, feeding the in-memory :class:`~gateway.fanout.Fanout`.

Why one consumer and not one per client: a consumer costs a broker connection, a
fetch loop and a share of the broker's fetch work; with one tail per process a
hundred browser tabs cost one consumer and a hundred asyncio queues. The tail has no
consumer group (it commits nothing and shares nothing): it is assigned every
partition of the streamed topics and starts at their end, the first time someone
subscribes. The hub does not hold up start-up nor the health check: a gateway
without a broker still serves the API, and the stream answers 503 until it can.

Its position (the next offset on every streamed partition) names each event, so a
client can resume on any replica: what fell out of this replica's window, or came
before its tail started, is read back from Kafka by a short-lived consumer
(:meth:`StreamHub.read_back`) and sent before the window's events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import BaseModel, ConfigDict

from gateway.fanout import Fanout, Position, Resume, StreamEvent, reached
from shared.errors import ServiceUnavailable
from shared.events.topics import CONTRACTS, ESCALATIONS, NOTIFICATIONS, SLA, TICKETS
from shared.logging import get_logger
from shared.messaging.kafka import client_options
from shared.settings import KafkaSettings

log = get_logger(__name__)

# The dead-letter topic is left out: its records are not events of the platform.
STREAMED_TOPICS = (TICKETS, SLA, ESCALATIONS, CONTRACTS, NOTIFICATIONS)


class StreamSettings(BaseModel):
    """The live stream's limits (settings ``GATEWAY_STREAM__*``)."""

    model_config = ConfigDict(frozen=True)

    # How many recent events a reconnecting client can get back (``Last-Event-ID``).
    window: int = 10_000
    # Events queued for one client before it counts as too slow and its stream ends.
    queue_size: int = 1_000
    heartbeat_seconds: float = 15.0
    start_timeout_seconds: float = 10.0
    # The tail runs once someone has watched, and people watch it live: a shorter fetch
    # wait than the services' consumers (on Tansu the wait bounds each event's delay).
    fetch_max_wait_ms: int = 250
    # How long a resuming client's read-back from Kafka may take before it is told a gap.
    read_back_timeout_seconds: float = 30.0


class Gap(Exception):
    """What a client asked to resume from cannot be had (retention, another log)."""


class StreamHub:
    """The process's tail of the event topics and its fan-out."""

    def __init__(self, kafka: KafkaSettings, settings: StreamSettings) -> None:
        self.settings = settings
        self.fanout = Fanout(window=settings.window, queue_size=settings.queue_size)
        self._kafka = kafka
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # The streamed partitions in the fixed order of a position (every replica's the same).
        self._partitions: list[TopicPartition] = []
        self._slots: dict[TopicPartition, int] = {}

    async def ensure_started(self) -> None:
        """Start the tail on first use; 503 problem+json when the broker cannot be reached."""
        if self._task is not None and not self._task.done():
            return
        async with self._lock:
            if self._task is not None and not self._task.done():
                return
            try:
                await asyncio.wait_for(self._start(), self.settings.start_timeout_seconds)
            except Exception as exc:
                await self._stop_consumer()
                log.warning("event stream unavailable", error=repr(exc))
                raise ServiceUnavailable(
                    "The live event stream cannot reach the broker now; retry shortly.",
                    service="broker",
                ) from exc

    def resume_id(self) -> str | None:
        """The tail's position now, or None before it has started.

        A page rendered from the APIs takes it before it reads them and hands it to its
        live stream (``since``): an event that lands between the page's reads and the
        browser's subscription is replayed, not missed (the agent's page would otherwise
        keep a history one move short until the next event).
        """
        if self._task is None or self._task.done():
            return None
        return self.fanout.last_id

    def _new_consumer(self, client_id: str) -> AIOKafkaConsumer:
        """A consumer without a group (it commits nothing): the tail, or one read-back."""
        return AIOKafkaConsumer(
            **client_options(self._kafka),
            client_id=client_id,
            enable_auto_commit=False,
            fetch_max_wait_ms=self.settings.fetch_max_wait_ms,
            request_timeout_ms=self._kafka.request_timeout_ms,
        )

    async def _start(self) -> None:
        consumer = self._new_consumer("gateway-stream")
        self._consumer = consumer
        await consumer.start()
        await consumer._client.force_metadata_update()
        missing = [t for t in STREAMED_TOPICS if not consumer.partitions_for_topic(t)]
        if missing:  # a tail without them would stay blind to them: refuse, retry later
            raise RuntimeError(f"topics not created yet: {missing}")
        partitions = [
            TopicPartition(topic, p)
            for topic in STREAMED_TOPICS
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        # Explicit end offsets (not a lazy seek): whoever subscribes after this returns
        # gets every event published from now on, and earlier ones are read back.
        ends = await consumer.end_offsets(partitions)
        for tp, offset in ends.items():
            consumer.seek(tp, offset)
        self._partitions = partitions
        self._slots = {tp: slot for slot, tp in enumerate(partitions)}
        self.fanout.begin(tuple(ends[tp] for tp in partitions))
        self._task = asyncio.create_task(self._run(consumer), name="gateway-stream")
        log.info("event stream started", partitions=len(partitions))

    async def _run(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            try:
                batches = await consumer.getmany(timeout_ms=500)
            except Exception as exc:  # a broker hiccup: aiokafka reconnects, we keep asking
                log.warning("event stream fetch failed", error=repr(exc))
                await asyncio.sleep(1)
                continue
            for tp, records in batches.items():
                slot = self._slots[tp]
                for record in records:
                    envelope = _envelope(record.value)
                    if envelope is None:
                        self.fanout.advance(slot, record.offset)
                    else:
                        self.fanout.publish(record.topic, envelope, slot=slot, offset=record.offset)

    async def check(self, resume: Resume) -> None:
        """Raise :class:`Gap` when a client's position is past what the broker holds
        (another cluster's, or a broker that lost its log); a tail that is merely
        behind it is fine (the subscription skips what the client had).

        The broker's end offsets decide at once when they cover the position. When they
        do not, the tail decides: Tansu answers a partition's end as its last batch's
        first offset, short of the real end, so the position counts as held once this
        tail reaches it, and as foreign if it has not within ``read_back_timeout_seconds``.
        """
        wanted = resume.resumed_from
        if wanted is None or self._consumer is None or reached(resume.position, wanted):
            return
        ends = await self._consumer.end_offsets(self._partitions)
        if all(w <= ends[tp] for w, tp in zip(wanted, self._partitions, strict=True)):
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.read_back_timeout_seconds
        while loop.time() < deadline:
            if reached(self.fanout.position, wanted):
                return
            await asyncio.sleep(0.1)
        resume.resumed_from = None  # nothing of it holds here: no floor either
        raise Gap("the position is past the end of the log")

    async def read_back(self, resume: Resume) -> AsyncGenerator[StreamEvent, None]:
        """The events of ``resume.read_back`` from Kafka, in offset order per partition,
        each with an id that resumes right after it; :class:`Gap` when the broker no
        longer holds them."""
        if not resume.read_back:
            return
        assert resume.resumed_from is not None
        cursor: list[int] = list(resume.resumed_from)
        ranges = {self._partitions[slot]: span for slot, span in resume.read_back.items()}
        consumer = self._new_consumer("gateway-stream-resume")
        await consumer.start()
        try:
            consumer.assign(list(ranges))
            firsts = await consumer.beginning_offsets(list(ranges))
            if any(firsts[tp] > start for tp, (start, _) in ranges.items()):
                raise Gap("events to resume from are past the broker's retention")
            for tp, (start, _) in ranges.items():
                consumer.seek(tp, start)
            pending = dict(ranges)
            while pending:
                batches = await consumer.getmany(*pending, timeout_ms=500)
                for tp, records in batches.items():
                    slot, end = self._slots[tp], pending[tp][1]
                    for record in records:
                        if record.offset >= end:
                            break
                        cursor[slot] = record.offset + 1
                        envelope = _envelope(record.value)
                        if envelope is not None:
                            yield self.fanout.describe(
                                record.topic,
                                envelope,
                                slot=slot,
                                offset=record.offset,
                                position=tuple(cursor),
                                remember=False,
                            )
                for tp in list(pending):
                    if await consumer.position(tp) >= pending[tp][1]:
                        del pending[tp]
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()

    async def resume_from(self, resume: Resume) -> AsyncGenerator[StreamEvent, None]:
        """What a resuming client missed: the read-back, then the window's events;
        :class:`Gap` (within ``read_back_timeout_seconds``) when it cannot be had."""
        await self.check(resume)
        deadline = asyncio.get_running_loop().time() + self.settings.read_back_timeout_seconds
        reading = self.read_back(resume)
        try:
            while True:
                left = deadline - asyncio.get_running_loop().time()
                try:
                    yield await asyncio.wait_for(anext(reading), max(left, 0.001))
                except StopAsyncIteration:
                    break
                except TimeoutError as exc:
                    raise Gap("reading back took too long") from exc
        finally:
            await reading.aclose()
        for event in resume.missed:
            yield event

    @property
    def position(self) -> Position:
        return self.fanout.position

    async def _stop_consumer(self) -> None:
        if self._consumer is not None:
            with contextlib.suppress(Exception):
                await self._consumer.stop()
            self._consumer = None

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._stop_consumer()


def _envelope(value: bytes | None) -> dict[str, Any] | None:
    """A record's event envelope, or None when it is not one (the services dead-letter it)."""
    try:
        envelope = json.loads(value or b"")
    except ValueError:
        return None
    return envelope if isinstance(envelope, dict) else None
