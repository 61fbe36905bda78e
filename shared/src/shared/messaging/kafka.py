"""aiokafka producer and admin helpers configured the same way everywhere."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.protocol.metadata import MetadataRequest

from shared.events.topics import ALL_TOPICS, PARTITIONS
from shared.logging import get_logger
from shared.settings import KafkaSettings

log = get_logger(__name__)


def _never_create_topics_on_demand() -> None:
    """Make every metadata request of this process ask the broker not to create topics.

    aiokafka asks for auto-creation by default. A broker that restarted empty would
    then create a topic on the first send with its own default partition count,
    which remaps keys (breaking per-ticket order) and hides the loss from the relay.
    Topics are created only by :func:`ensure_topics`, with the platform's count.
    """
    original = MetadataRequest.__init__
    if getattr(original, "_no_auto_create", False):
        return

    def init(
        self: MetadataRequest,
        topics: list[str] | None = None,
        allow_auto_topic_creation: bool | None = False,
    ) -> None:
        original(self, topics, allow_auto_topic_creation)

    init._no_auto_create = True  # type: ignore[attr-defined]
    MetadataRequest.__init__ = init


_never_create_topics_on_demand()


def make_producer(settings: KafkaSettings, *, client_id: str) -> AIOKafkaProducer:
    """A producer that waits for all in-sync replicas; idempotent where the broker allows."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=settings.client_id or client_id,
        acks="all",
        enable_idempotence=settings.enable_idempotence,
        request_timeout_ms=settings.request_timeout_ms,
        linger_ms=2,
    )


async def ensure_topics(
    settings: KafkaSettings,
    topics: Iterable[str] = ALL_TOPICS,
    *,
    partitions: int = PARTITIONS,
    replication_factor: int = 1,
    attempts: int = 30,
) -> None:
    """Create any missing topic (Tansu never creates topics on demand)."""
    last: Exception | None = None
    for _ in range(attempts):
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in topics if t not in existing]
            if missing:
                with contextlib.suppress(TopicAlreadyExistsError):  # a concurrent creator won
                    await admin.create_topics(
                        [NewTopic(t, partitions, replication_factor) for t in missing]
                    )
                log.info("topics created", topics=missing)
            return
        except Exception as exc:  # broker not up yet: retry with a pause
            last = exc
            await asyncio.sleep(0.5)
        finally:
            await admin.close()
    raise RuntimeError(f"could not create topics at {settings.bootstrap_servers}: {last!r}")
