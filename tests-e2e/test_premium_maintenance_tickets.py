"""Scheduled maintenance reaches intake: one service-request ticket per occurrence, whatever
the broker redelivers; an occurrence without its customer is dead-lettered."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from deskstack.stack import RunningStack
from shared.events.base import Envelope
from shared.events.premium import MaintenanceOccurrenceOpened
from shared.events.topics import CONTRACTS, DLQ
from shared.testing.builders import make_customer_contact

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


def occurrence(customer_id: str | None, key: str) -> MaintenanceOccurrenceOpened:
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return MaintenanceOccurrenceOpened(
        customer_id=customer_id,
        plan_id=uuid.uuid4(),
        occurrence_key=key,
        occurrence_id=uuid.uuid5(uuid.NAMESPACE_URL, key),
        original_at=at,
        scheduled_at=at,
        what="Database index maintenance",
    )


async def publish(bootstrap: str, *events: MaintenanceOccurrenceOpened, key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            envelope = Envelope.wrap(event, source="entitlement", subject=key)
            await producer.send_and_wait(
                CONTRACTS, envelope.model_dump_json().encode(), key=key.encode()
            )
    finally:
        await producer.stop()


async def tickets_of(api: httpx.AsyncClient, customer_id: str) -> list[dict[str, Any]]:
    r = await api.get("/api/v1/tickets", params={"customer_id": customer_id})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_an_occurrence_opens_one_ticket_however_often_it_arrives(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    customer, _ = await make_customer_contact(api, "premium")
    key = f"{uuid.uuid4()}@2026-12-05T07:00:00Z"
    event = occurrence(customer["id"], key)
    await publish(stack.bootstrap, event, event, key=customer["id"])
    for _ in range(150):
        found = await tickets_of(api, customer["id"])
        if found:
            break
        await asyncio.sleep(0.1)
    await publish(stack.bootstrap, event, key=customer["id"])
    await asyncio.sleep(2)  # the redelivery had its chance
    [ticket] = await tickets_of(api, customer["id"])
    assert (ticket["type"], ticket["severity"], ticket["subject"]) == (
        "service_request",
        "medium",
        "Database index maintenance",
    )
    assert ticket["maintenance_occurrence_key"] == key
    assert event.scheduled_at.isoformat() in ticket["description"]


async def test_an_occurrence_without_its_customer_is_dead_lettered(stack: RunningStack) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = [TopicPartition(DLQ, p) for p in consumer.partitions_for_topic(DLQ)]
        consumer.assign(partitions)
        for tp, offset in (await consumer.end_offsets(partitions)).items():
            consumer.seek(tp, offset)
        key = str(uuid.uuid4())
        await publish(stack.bootstrap, occurrence(None, f"{key}@x"), key=key)
        parked: list[Any] = []
        for _ in range(60):
            batch = await consumer.getmany(timeout_ms=500)
            parked += [r for rs in batch.values() for r in rs if r.key == key.encode()]
            if parked:
                break
    finally:
        await consumer.stop()
    assert [dict(r.headers)["dlq_consumer"] for r in parked] == [b"intake"]
