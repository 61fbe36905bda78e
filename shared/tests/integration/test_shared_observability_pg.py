"""One trace from an HTTP request through the outbox and the broker to a consumer's handler,
and the outbox and lag gauges, against real PostgreSQL and the real broker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised
from shared.messaging.consumer import EventConsumer
from shared.messaging.kafka import ensure_topics
from shared.messaging.relay import OutboxRelay
from shared.observability.wiring import consumer_lag_sampler, instrument, outbox_sampler
from shared.settings import KafkaSettings
from shared.testing.spans import capture_spans, descends, named

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def place(engine: AsyncEngine, kafka_settings: KafkaSettings) -> AsyncIterator[Any]:
    """A schema with the messaging tables and a one-partition topic of its own."""
    name = f"obs_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
    await ensure_topics(kafka_settings, [f"test.{name}"], partitions=1)
    sessions = sessionmaker(engine)
    yield SimpleNamespace(
        name=name,
        schema=name,
        topic=f"test.{name}",
        engine=engine,
        consumer=None,
        uow=lambda: UnitOfWork(sessions, schema=name, source="obs"),
    )
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def _api(place: Any) -> FastAPI:
    """An app whose one route stages an event in the outbox, as every use case does."""
    app = FastAPI()
    instrument(app, service=place.name)

    @app.post("/things/{thing_id}", status_code=201)
    async def create(thing_id: uuid.UUID) -> None:
        event = EscalationRaised(ticket_id=thing_id, level=1, trigger="test")
        async with place.uow() as uow:
            envelope = Envelope.wrap(event, source="obs", subject=str(thing_id))
            await uow.outbox.add(envelope, topic=place.topic, key=str(thing_id))
            await uow.commit()

    return app


async def _consume_until_handled(place: Any, kafka: KafkaSettings) -> None:
    """Run a real consumer group over the topic until the handler ran once, sampling its lag."""
    handled = asyncio.Event()

    async def handler(envelope: Envelope, uow: UnitOfWork) -> None:
        handled.set()

    place.consumer = EventConsumer(
        name=place.name,
        kafka=kafka,
        group_id=place.name,
        topics=[place.topic],
        handlers={"escalation.raised": [handler]},
        uow_factory=place.uow,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(place.consumer.run(stop))
    try:
        await asyncio.wait_for(handled.wait(), timeout=60)
        await consumer_lag_sampler(place)()
    finally:
        stop.set()
        await task


def _gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_one_trace_from_http_through_outbox_and_broker_to_the_handler(
    place: Any, kafka_settings: KafkaSettings
) -> None:
    relay = OutboxRelay(
        engine=place.engine, schema=place.schema, kafka=kafka_settings, client_id="t"
    )
    with capture_spans() as exporter:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=_api(place)), base_url="http://t"
        ) as client:
            assert (await client.post(f"/things/{uuid.uuid4()}")).status_code == 201
        await outbox_sampler(place)()
        waiting = _gauge("outbox_backlog", service=place.name)
        assert await relay.publish_batch() == 1
        await relay._drop_producer()
        await outbox_sampler(place)()
        await _consume_until_handled(place, kafka_settings)
        spans = exporter.get_finished_spans()

    request = named(spans, "POST /things/{thing_id}")
    consumed = named(spans, "consume escalation.raised")
    assert consumed.context.trace_id == request.context.trace_id
    assert descends(spans, consumed, request)
    assert waiting == 1
    assert _gauge("outbox_backlog", service=place.name) == 0
    assert _gauge("outbox_oldest_unsent_age_seconds", service=place.name) == 0
    lag = {"consumer": place.name, "topic": place.topic, "partition": "0"}
    assert _gauge("kafka_consumer_lag", **lag) == 0


async def test_the_requests_sql_statements_are_its_child_spans(place: Any) -> None:
    with capture_spans(libraries=True) as exporter:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=_api(place)), base_url="http://t"
        ) as client:
            assert (await client.post(f"/things/{uuid.uuid4()}")).status_code == 201
        spans = exporter.get_finished_spans()

    request = named(spans, "POST /things/{thing_id}")
    # The session's engine is shared: another test's background task (a relay polling its
    # own schema) may run SQL meanwhile. Ours are the request's trace and any statement on
    # this test's schema, so a statement that lost the request's context still counts.
    sql = [
        s
        for s in spans
        if (s.attributes or {}).get("db.system") == "postgresql"
        and (
            s.context.trace_id == request.context.trace_id
            or f'"{place.schema}"' in str((s.attributes or {}).get("db.statement", ""))
        )
    ]
    statements = " ".join(str((s.attributes or {}).get("db.statement", "")) for s in sql)
    assert sql
    assert all(descends(spans, s, request) for s in sql)
    assert "outbox" in statements  # the event's row, in the request's transaction
    assert all("db.statement.parameters" not in (s.attributes or {}) for s in sql)
