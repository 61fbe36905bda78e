"""A plain aiokafka consumer that records what appears on topics, for black-box tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.messaging.kafka import client_options
from shared.settings import KafkaSettings


@dataclass(frozen=True)
class Seen:
    """One record as the observer saw it."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: dict[str, Any]
    seen_at: float = 0.0  # time.monotonic() when the observer received it
    # The record's own timestamp (the producer's send, or the broker's append), on the
    # same monotonic clock as ``seen_at``: when the event was published, without the
    # observer's fetch wait (up to ``FETCH_WAIT_MS`` on a broker that holds empty fetches).
    published_at: float = 0.0

    @property
    def type(self) -> str:
        return str(self.value.get("type", ""))

    @property
    def subject(self) -> str:
        return str(self.value.get("subject", ""))

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.value.get("data", {})
        return data


FETCH_WAIT_MS = 50


def _published(timestamp_ms: int, seen_at: float) -> float:
    """A record's wall-clock timestamp moved onto the monotonic clock at ``seen_at``."""
    return seen_at - max(0.0, time.time() - timestamp_ms / 1000)


class TopicObserver:
    """Reads topics from their current end (or beginning), without a consumer group."""

    def __init__(
        self,
        bootstrap: str | KafkaSettings,
        topics: Sequence[str],
        *,
        from_beginning: bool = False,
    ) -> None:
        # A bare address is a plaintext broker (the tests' own); settings carry TLS/SASL.
        self._kafka = (
            bootstrap
            if isinstance(bootstrap, KafkaSettings)
            else KafkaSettings(bootstrap_servers=bootstrap)
        )
        self._topics = list(topics)
        self._from_beginning = from_beginning
        self.seen: list[Seen] = []
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> TopicObserver:
        consumer = AIOKafkaConsumer(
            **client_options(self._kafka),
            enable_auto_commit=False,
            fetch_max_wait_ms=FETCH_WAIT_MS,
        )
        await consumer.start()
        partitions = []
        for topic in self._topics:
            for p in sorted(
                consumer.partitions_for_topic(topic) or await self._partitions(consumer, topic)
            ):
                partitions.append(TopicPartition(topic, p))
        consumer.assign(partitions)
        if self._from_beginning:
            await consumer.seek_to_beginning(*partitions)
        else:
            ends = await consumer.end_offsets(partitions)
            for tp, offset in ends.items():
                consumer.seek(tp, offset)
        self._consumer = consumer
        self._task = asyncio.create_task(self._run())
        return self

    async def _partitions(self, consumer: AIOKafkaConsumer, topic: str) -> set[int]:
        await consumer._client.force_metadata_update()
        return consumer.partitions_for_topic(topic) or set()

    async def _run(self) -> None:
        assert self._consumer is not None
        while True:
            batches = await self._consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for r in records:
                    now = time.monotonic()
                    self.seen.append(
                        Seen(
                            topic=r.topic,
                            partition=r.partition,
                            offset=r.offset,
                            key=r.key.decode() if r.key else None,
                            value=json.loads(r.value or b"{}"),
                            seen_at=now,
                            published_at=_published(r.timestamp, now),
                        )
                    )

    async def __aexit__(self, *exc: object) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer:
            await self._consumer.stop()

    def matching(self, predicate: Callable[[Seen], bool]) -> list[Seen]:
        return [s for s in self.seen if predicate(s)]

    async def wait_for(
        self, predicate: Callable[[Seen], bool], *, count: int = 1, timeout: float = 15
    ) -> list[Seen]:
        """Wait until ``count`` records match (raise TimeoutError with what was seen)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.matching(predicate)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"saw {len(found)} of {count} matching records in {timeout} s; "
                    f"types seen: {sorted({s.type for s in self.seen})}"
                )
            await asyncio.sleep(0.05)


async def committed_offsets(
    bootstrap: str | KafkaSettings, group: str, partitions: Sequence[TopicPartition]
) -> list[int]:
    """``group``'s committed offset of each partition (-1: none), read without joining it."""
    kafka = (
        bootstrap
        if isinstance(bootstrap, KafkaSettings)
        else KafkaSettings(bootstrap_servers=bootstrap)
    )
    consumer = AIOKafkaConsumer(**client_options(kafka), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        return [await consumer.committed(tp) or -1 for tp in partitions]
    finally:
        await consumer.stop()


async def wait_until_consumed(
    bootstrap: str | KafkaSettings,
    group: str,
    records: Sequence[Seen],
    *,
    timeout: float = 30,
) -> None:
    """Wait until ``group`` has committed past each of ``records``.

    A consumer commits a record only after its handlers' transaction committed (or after
    it parked the record on the dead-letter topic), so this proves delivery from the
    topics alone, without a table the service keeps for tests.
    """
    partitions = [TopicPartition(r.topic, r.partition) for r in records]
    deadline = time.monotonic() + timeout
    while True:
        committed = await committed_offsets(bootstrap, group, partitions)
        behind = [
            f"{r.topic}/{r.partition}/{r.offset} ({r.type})"
            for r, offset in zip(records, committed, strict=True)
            if offset <= r.offset
        ]
        if not behind:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"group {group} has not committed past {behind} in {timeout} s")
        await asyncio.sleep(0.2)
