"""A broker that loses its log gets every retained event again, in order (issue: reliability).

Each test runs its own Tansu broker so it can stop and restart it without
disturbing the session's broker.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.topics import ESCALATIONS, PARTITIONS
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.broker_watch import BrokerWatch
from shared.messaging.kafka import ensure_topics
from shared.messaging.relay import OutboxRelay
from shared.settings import KafkaSettings
from shared.testing.outbox import scratch_schema, stage_escalations

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]


class Broker:
    """A Tansu broker on a fixed port that a test may stop and start again (empty)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc = start_tansu(self.port)
        self.settings = KafkaSettings(bootstrap_servers=f"127.0.0.1:{self.port}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def restart(self) -> None:
        self.stop()
        self.proc = start_tansu(self.port)


@pytest.fixture
def broker() -> Iterator[Broker]:
    b = Broker()
    try:
        yield b
    finally:
        b.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    async with scratch_schema(engine, prefix="losstest") as name:
        yield name


async def _levels_on_topic(kafka: KafkaSettings, ticket: uuid.UUID, want: int) -> list[int]:
    """The ``level`` of every record of ``ticket`` on the topic, read from the beginning."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [TopicPartition(ESCALATIONS, p) for p in range(PARTITIONS)]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        levels: list[int] = []
        deadline = asyncio.get_running_loop().time() + 20
        while len(levels) < want and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                levels += [_level(r.value) for r in records if r.key == str(ticket).encode()]
        return levels
    finally:
        await consumer.stop()


def _level(value: Any) -> int:
    import json

    return int(json.loads(value)["data"]["level"])


async def _until(predicate: Any, timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


async def test_a_restarted_empty_broker_gets_every_event_again_in_order(
    engine: AsyncEngine, schema: str, broker: Broker
) -> None:
    await ensure_topics(broker.settings)
    relay = OutboxRelay(
        engine=engine,
        schema=schema,
        kafka=broker.settings,
        client_id="loss-test",
        poll_seconds=0.1,
        check_seconds=0.5,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    ticket = uuid.uuid4()
    try:
        await stage_escalations(engine, schema, ticket, range(0, 20))
        await _until(lambda: relay.published >= 20)

        broker.restart()  # comes back with no topics, no records, no offsets
        await stage_escalations(engine, schema, ticket, range(20, 30))  # written during the outage

        await _until(lambda: relay.republished >= 20 and relay.published >= 50)
        levels = await _levels_on_topic(broker.settings, ticket, want=30)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)

    assert levels == list(range(30)), "every event, before and during the outage, in order"
    watch = BrokerWatch(broker.settings, client_id="loss-test-check")
    try:
        assert await watch.loss() is None, "topics recreated with the platform's partition count"
    finally:
        await watch.close()


async def test_an_idle_relay_looks_at_the_broker_less_often_until_it_publishes_again(
    engine: AsyncEngine, schema: str, broker: Broker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing published since the last look: the next waits ``IDLE_CHECK_FACTOR`` times
    longer; a publication brings it back to ``check_seconds``."""
    monkeypatch.setattr("shared.messaging.relay.IDLE_CHECK_FACTOR", 10)
    await ensure_topics(broker.settings)
    relay = OutboxRelay(
        engine=engine,
        schema=schema,
        kafka=broker.settings,
        client_id="idle-check",
        check_seconds=0.3,
    )
    looks: list[float] = []
    loop = asyncio.get_running_loop()

    async def look() -> int:
        looks.append(loop.time())
        return 0

    relay.check_broker = look  # type: ignore[method-assign]

    async def rounds(seconds: float) -> None:
        until = loop.time() + seconds
        while loop.time() < until:
            await relay._round()
            await asyncio.sleep(0.05)

    try:
        await rounds(1.5)  # idle: the first look at once, the next not before 3 s
        assert len(looks) == 1, looks
        await stage_escalations(engine, schema, uuid.uuid4(), range(1))
        published = loop.time()
        await rounds(1.0)
        assert relay.published == 1
        assert len(looks) >= 2, "publishing again did not bring the looks back"
        assert looks[1] - published < 0.3 + 0.2
    finally:
        await relay._drop_producer()


async def test_a_healthy_broker_is_not_republished_to(
    engine: AsyncEngine, schema: str, broker: Broker
) -> None:
    await ensure_topics(broker.settings)
    relay = OutboxRelay(engine=engine, schema=schema, kafka=broker.settings, client_id="ok-test")
    ticket = uuid.uuid4()
    await stage_escalations(engine, schema, ticket, range(5))
    try:
        while await relay.publish_batch():
            pass
        assert await relay.check_broker() == 0
    finally:
        await relay._drop_producer()
        await relay._watch.close()
    assert await _levels_on_topic(broker.settings, ticket, want=5) == list(range(5))


async def test_a_broker_behind_what_was_acked_counts_as_a_loss(broker: Broker) -> None:
    """A partition whose end offset is below our last ack (restored snapshot) is a loss."""
    await ensure_topics(broker.settings)
    watch = BrokerWatch(broker.settings, client_id="behind-test")
    try:
        from aiokafka.structs import RecordMetadata

        watch.note([RecordMetadata(ESCALATIONS, 0, TopicPartition(ESCALATIONS, 0), 41, -1, 0, 0)])
        reason = await watch.loss()
    finally:
        await watch.close()
    assert reason is not None
    assert "behind" in reason


async def test_purge_keeps_rows_inside_the_retention_window_only(
    engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
) -> None:
    from datetime import timedelta

    ticket = uuid.uuid4()
    await stage_escalations(engine, schema, ticket, range(3))
    async with engine.begin() as conn:
        await conn.execute(text(f'UPDATE "{schema}".outbox SET published_at = now()'))
        await conn.execute(
            text(
                f"UPDATE \"{schema}\".outbox SET published_at = now() - interval '8 days' "
                "WHERE payload->'data'->>'level' = '0'"
            )
        )
    relay = OutboxRelay(
        engine=engine,
        schema=schema,
        kafka=kafka_settings,
        client_id="purge",
        retention=timedelta(days=7),
    )
    await relay.purge()
    async with engine.connect() as conn:
        left = (
            (
                await conn.execute(
                    text(f"SELECT payload->'data'->>'level' FROM \"{schema}\".outbox ORDER BY seq")
                )
            )
            .scalars()
            .all()
        )
    assert left == ["1", "2"]
