"""Notice a broker that lost what we published, so the relay can publish it again.

An in-memory broker (Tansu, the local default) forgets its topics when it
restarts; a Kafka cluster restored from an old snapshot is behind. Either way,
outbox rows already marked sent are gone from the log and no consumer will see
them. The relay asks :meth:`BrokerWatch.loss` after a failure and every few
seconds; a reason means "recreate the topics and republish the retained rows".

Three signs of loss, each cheap (one metadata and one ListOffsets request):

- a topic of the platform is missing;
- a topic has another partition count than the platform creates (a client let
  the broker create it on demand, which would remap keys and break ordering);
- a partition ends at or before an offset this relay was acked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import RecordMetadata

from shared.events.topics import ALL_TOPICS
from shared.logging import get_logger
from shared.messaging.kafka import client_options, ensure_topics, make_admin
from shared.settings import KafkaSettings

log = get_logger(__name__)


class BrokerWatch:
    """Tracks what one relay was acked for and compares it with the broker's log."""

    def __init__(
        self,
        kafka: KafkaSettings,
        *,
        client_id: str,
        topics: Iterable[str] = ALL_TOPICS,
        partitions: int | None = None,
    ) -> None:
        self._kafka = kafka
        self._client_id = client_id
        self._topics = tuple(topics)
        self._partitions = kafka.topic_partitions if partitions is None else partitions
        self._acked: dict[TopicPartition, int] = {}
        self._probe: AIOKafkaConsumer | None = None

    def note(self, acks: Iterable[RecordMetadata]) -> None:
        """Remember, per partition, the lowest offset acked in the latest publish.

        The lowest, not the highest: some brokers (Tansu) report a partition's end
        as the base offset of its last batch plus one, so only an offset at or
        before the start of our last batch is certain to be in a log that is whole.
        """
        latest: dict[TopicPartition, int] = {}
        for md in acks:
            tp = TopicPartition(md.topic, md.partition)
            latest[tp] = min(md.offset, latest.get(tp, md.offset))
        self._acked.update(latest)

    def forget(self) -> None:
        """Drop the acked offsets (after a republish they describe a log that is gone)."""
        self._acked.clear()

    async def _consumer(self) -> AIOKafkaConsumer:
        if self._probe is None:
            probe = AIOKafkaConsumer(
                **client_options(self._kafka),
                client_id=f"{self._client_id}-watch",
                enable_auto_commit=False,
                request_timeout_ms=self._kafka.request_timeout_ms,
            )
            try:
                await probe.start()
            except BaseException:
                await probe.stop()
                raise
            self._probe = probe
        return self._probe

    async def _shapes(self) -> dict[str, int]:
        """Partition count of every topic the broker has now (raises if it does not answer)."""
        probe = await self._consumer()
        cluster = await probe._client.fetch_all_metadata()
        return {t: len(cluster.partitions_for_topic(t) or ()) for t in cluster.topics()}

    async def loss(self) -> str | None:
        """Why the broker's log lacks what we published, or None if it looks whole."""
        shapes = await self._shapes()
        missing = [t for t in self._topics if t not in shapes]
        if missing:
            return f"topics missing: {', '.join(missing)}"
        wrong = [t for t in self._topics if shapes[t] != self._partitions]
        if wrong:
            return (
                f"topics with a partition count other than {self._partitions}: {', '.join(wrong)}"
            )
        if not self._acked:
            return None
        probe = await self._consumer()
        ends = await probe.end_offsets(list(self._acked))
        behind = [tp for tp, offset in self._acked.items() if ends.get(tp, 0) <= offset]
        if behind:
            tp = behind[0]
            return (
                f"{len(behind)} partitions behind what was acked "
                f"(e.g. {tp.topic}[{tp.partition}] ends at {ends.get(tp, 0)}, "
                f"acked up to {self._acked[tp]})"
            )
        return None

    async def repair_topics(self) -> None:
        """Delete topics of the wrong shape, then create every missing topic."""
        shapes = await self._shapes()
        wrong = [t for t in self._topics if t in shapes and shapes[t] != self._partitions]
        if wrong:
            admin = make_admin(self._kafka, client_id=f"{self._client_id}-watch")
            try:
                await admin.start()
                await admin.delete_topics(wrong)
                log.warning("deleted topics of the wrong shape", topics=wrong)
            finally:
                await admin.close()
        await ensure_topics(self._kafka, self._topics, partitions=self._partitions, attempts=3)

    async def close(self) -> None:
        if self._probe is not None:
            with contextlib.suppress(Exception):
                await self._probe.stop()
            self._probe = None
