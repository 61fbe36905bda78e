"""One Kafka tail per gateway process, feeding the in-memory :class:`~gateway.fanout.Fanout`.

Why one consumer and not one per client: a consumer costs a broker connection, a
fetch loop and a share of the broker's fetch work; with one tail per process a
hundred browser tabs cost one consumer and a hundred asyncio queues. The tail has no
consumer group (it commits nothing and shares nothing): it is assigned every
partition of the streamed topics and starts at their end, the first time someone
subscribes. The hub does not hold up start-up nor the health check: a gateway
without a broker still serves the API, and the stream answers 503 until it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import BaseModel, ConfigDict

from gateway.fanout import Fanout
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


class StreamHub:
    """The process's tail of the event topics and its fan-out."""

    def __init__(self, kafka: KafkaSettings, settings: StreamSettings) -> None:
        self.settings = settings
        self.fanout = Fanout(window=settings.window, queue_size=settings.queue_size)
        self._kafka = kafka
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

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

    async def _start(self) -> None:
        consumer = AIOKafkaConsumer(
            **client_options(self._kafka),
            client_id="gateway-stream",
            enable_auto_commit=False,
            fetch_max_wait_ms=self.settings.fetch_max_wait_ms,
            request_timeout_ms=self._kafka.request_timeout_ms,
        )
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
        # gets every event published from now on.
        for tp, offset in (await consumer.end_offsets(partitions)).items():
            consumer.seek(tp, offset)
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
            for records in batches.values():
                for record in records:
                    try:
                        envelope = json.loads(record.value or b"")
                    except ValueError:
                        continue  # not an event: the services' consumers dead-letter it
                    if isinstance(envelope, dict):
                        self.fanout.publish(record.topic, envelope)

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
