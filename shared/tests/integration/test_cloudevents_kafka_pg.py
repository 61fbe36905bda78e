"""A record the outbox relay publishes is a CloudEvent under the Kafka binding, structured
mode: the CloudEvents SDK's own Kafka conversion reads it back to the same event."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings import kafka as core_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1 import kafka as v1_kafka
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised
from shared.messaging.kafka import client_options, ensure_topics
from shared.messaging.relay import OutboxRelay
from shared.settings import KafkaSettings

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def place(engine: AsyncEngine, kafka_settings: KafkaSettings) -> AsyncIterator[Any]:
    """A schema with the messaging tables and a one-partition topic of its own."""
    name = f"ce_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
    await ensure_topics(kafka_settings, [f"test.{name}"], partitions=1)
    sessions = sessionmaker(engine)
    yield SimpleNamespace(
        schema=name,
        topic=f"test.{name}",
        uow=lambda: UnitOfWork(sessions, schema=name, source="desk/test"),
    )
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


async def _publish_one(place: Any, engine: AsyncEngine, kafka: KafkaSettings) -> Envelope:
    ticket = uuid.uuid4()
    envelope = Envelope.wrap(
        EscalationRaised(ticket_id=ticket, level=2, trigger="manual"),
        source="desk/escalation",
        subject=str(ticket),
    )
    async with place.uow() as uow:
        await uow.outbox.add(envelope, topic=place.topic, key=str(ticket))
        await uow.commit()
    relay = OutboxRelay(engine=engine, schema=place.schema, kafka=kafka, client_id="ce-test")
    assert await relay.publish_batch() == 1
    await relay._drop_producer()
    return envelope


async def _read_one(topic: str, kafka: KafkaSettings) -> Any:
    consumer = AIOKafkaConsumer(
        topic, auto_offset_reset="earliest", enable_auto_commit=False, **client_options(kafka)
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=30_000, max_records=1)
        [record] = [r for records in batches.values() for r in records]
        return record
    finally:
        await consumer.stop()


async def test_the_sdk_reads_a_published_record_back_to_the_same_event(
    place: Any, engine: AsyncEngine, kafka_settings: KafkaSettings
) -> None:
    sent = await _publish_one(place, engine, kafka_settings)
    record = await _read_one(place.topic, kafka_settings)
    headers = dict(record.headers)

    assert headers["content-type"] == b"application/cloudevents+json"
    # Kept for routing and deduplication without parsing the value.
    assert headers["ce_type"] == b"escalation.raised"
    assert headers["ce_id"] == str(sent.id).encode()
    legacy = v1_kafka.from_structured(
        v1_kafka.KafkaMessage(headers=headers, key=record.key, value=record.value)
    )
    current = core_kafka.from_structured(
        core_kafka.KafkaMessage(headers=headers, key=record.key, value=record.value), JSONFormat()
    )
    for event in (legacy, current):
        attributes = event.get_attributes()
        assert attributes["specversion"] == "1.0"
        assert attributes["id"] == str(sent.id)
        assert attributes["type"] == "escalation.raised"
        assert attributes["source"] == "desk/escalation"
        assert attributes["subject"] == sent.subject
        assert event.get_data() == sent.data
    # The 2.x binding keeps the event's own datacontenttype; the legacy (v1) one copies
    # every header into the attributes, content-type over datacontenttype (its quirk).
    assert current.get_attributes()["datacontenttype"] == "application/json"
