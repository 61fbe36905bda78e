"""Outbox, relay and idempotent consumer against real PostgreSQL and the real broker."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.errors import database_unavailable
from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised
from shared.events.topics import DLQ, ESCALATIONS
from shared.messaging.consumer import EventConsumer
from shared.messaging.handlers import HandlerRegistry
from shared.messaging.relay import OutboxRelay
from shared.settings import KafkaSettings
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    name = f"msgtest_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
        await conn.execute(text(f'CREATE TABLE "{name}".effect (event_id uuid, ticket_id uuid)'))
    yield name
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def _uow_factory(engine: AsyncEngine, schema: str) -> Any:
    sessions = sessionmaker(engine)
    return lambda: UnitOfWork(sessions, schema=schema, source="test")


async def _stage(
    engine: AsyncEngine, schema: str, count: int, *, commit: bool = True
) -> list[uuid.UUID]:
    tickets = [uuid.uuid4() for _ in range(count)]
    async with _uow_factory(engine, schema)() as uow:
        for t in tickets:
            await uow.outbox.publish(
                EscalationRaised(ticket_id=t, level=1, trigger="test"), subject=str(t)
            )
        if commit:
            await uow.commit()
    return tickets


async def _effects(engine: AsyncEngine, schema: str) -> list[Any]:
    async with engine.connect() as conn:
        return list(
            (await conn.execute(text(f'SELECT event_id, ticket_id FROM "{schema}".effect'))).all()
        )


async def record_effect(envelope: Envelope, uow: UnitOfWork) -> None:
    data = envelope.payload(EscalationRaised)
    await uow.session.execute(
        text(f'INSERT INTO "{uow.schema}".effect (event_id, ticket_id) VALUES (:e, :t)'),
        {"e": envelope.id, "t": data.ticket_id},
    )


async def _records(
    kafka: KafkaSettings, topic: str, keys: set[str], timeout: float = 15
) -> list[Any]:
    """Read ``topic`` from the beginning until a record for each key was seen."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not parts:
            await consumer._client.force_metadata_update()
            parts = [
                TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
            ]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        found: list[Any] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while {r.key.decode() for r in found} < keys:
            assert asyncio.get_running_loop().time() < deadline, "records did not arrive"
            batch = await consumer.getmany(timeout_ms=200)
            found += [r for rs in batch.values() for r in rs if r.key and r.key.decode() in keys]
        return found
    finally:
        await consumer.stop()


async def _handle_one_published(
    engine: AsyncEngine,
    schema: str,
    kafka: KafkaSettings,
    handler: Any,
    *,
    max_attempts: int,
) -> tuple[uuid.UUID, Any, EventConsumer]:
    """Publish one escalation.raised and let a consumer with ``handler`` process its record."""
    relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka, client_id="t")
    [ticket] = await _stage(engine, schema, 1)
    await relay.publish_batch()
    await relay._drop_producer()
    [record] = await _records(kafka, ESCALATIONS, {str(ticket)})
    consumer = EventConsumer(
        name=f"t-{handler.__name__}",
        kafka=kafka,
        group_id="unused",
        topics=[ESCALATIONS],
        handlers={"escalation.raised": [handler]},
        uow_factory=_uow_factory(engine, schema),
        max_attempts=max_attempts,
        retry_base_seconds=0.01,
    )
    await consumer._dlq.start()
    try:
        await consumer.process(record)
    finally:
        await consumer._dlq.stop()
    return ticket, record, consumer


class TestOutboxRelay:
    async def test_a_round_reads_again_only_after_a_full_batch(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """Five rows in batches of two: full, full, short, and no empty read after it."""
        relay = OutboxRelay(
            engine=engine, schema=schema, kafka=kafka_settings, client_id="t", batch_size=2
        )
        while await relay.publish_batch():  # what earlier tests left
            pass
        await _stage(engine, schema, 5)
        sizes: list[int] = []
        publish = relay.publish_batch

        async def counted() -> int:
            sizes.append(await publish())
            return sizes[-1]

        relay.publish_batch = counted  # type: ignore[method-assign]
        try:
            await relay._round()
        finally:
            await relay._drop_producer()
            await relay._watch.close()
            await relay._listener.close()
        assert sizes == [2, 2, 1]

    async def test_while_another_relay_holds_the_schema_this_one_publishes_nothing(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """One relay per schema at a time (replicas): the advisory lock decides, per round."""
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        try:
            while await relay.publish_batch():  # what earlier tests left
                pass
            await _stage(engine, schema, 2)
            async with engine.begin() as other:  # another replica's relay, mid-round
                await other.execute(
                    text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{schema}.outbox"}
                )
                assert await relay.publish_batch() == 0
            assert await relay.publish_batch() == 2  # its round over: this one goes on
        finally:
            await relay._drop_producer()
            await relay._watch.close()

    async def test_a_relay_whose_connections_the_server_dropped_recovers_at_the_next_round(
        self, engine: AsyncEngine, database_url: str, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """A database restart kills every pooled connection: one round fails, not one per
        dead connection, and nothing is lost."""
        own = create_async_engine(database_url, pool_size=3, pool_pre_ping=False)
        relay = OutboxRelay(engine=own, schema=schema, kafka=kafka_settings, client_id="t")
        try:
            while await relay.publish_batch():  # what earlier tests left
                pass
            pooled = [await own.connect() for _ in range(3)]
            pids = [await c.scalar(text("SELECT pg_backend_pid()")) for c in pooled]
            for c in pooled:
                await c.close()  # back to the pool, alive
            async with engine.begin() as admin:  # the server drops them all
                await admin.execute(
                    text("SELECT pg_terminate_backend(p) FROM unnest(CAST(:p AS int[])) AS p"),
                    {"p": pids},
                )
            tickets = await _stage(engine, schema, 2)
            outcomes: list[str] = []
            for _ in range(5):
                try:
                    outcomes.append(f"published {await relay.publish_batch()}")
                    break
                except Exception as exc:
                    outcomes.append(type(exc).__name__)
            assert outcomes[-1] == "published 2", outcomes
            assert len(outcomes) <= 2, outcomes  # one failed round at most
            await _records(kafka_settings, ESCALATIONS, {str(t) for t in tickets})
        finally:
            await relay._drop_producer()
            await relay._watch.close()
            await own.dispose()

    async def test_committed_events_reach_the_topic_keyed_by_subject_and_are_marked(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        async with TopicObserver(kafka_settings.bootstrap_servers, [ESCALATIONS]) as observer:
            tickets = await _stage(engine, schema, 5)
            published = 0
            while batch := await relay.publish_batch():
                published += batch
            seen = await observer.wait_for(
                lambda s: s.subject in {str(t) for t in tickets}, count=5
            )
        await relay._drop_producer()

        assert published == 5
        assert {s.key for s in seen} == {str(t) for t in tickets}
        assert all(s.type == "escalation.raised" for s in seen)
        async with engine.connect() as conn:
            pending = await conn.scalar(
                text(f'SELECT count(*) FROM "{schema}".outbox WHERE published_at IS NULL')
            )
        assert pending == 0

    async def test_rolled_back_transaction_leaves_nothing_to_publish(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        await _stage(engine, schema, 3, commit=False)

        async with engine.connect() as conn:
            rows = await conn.scalar(text(f'SELECT count(*) FROM "{schema}".outbox'))
        assert rows == 0


class TestUnitOfWork:
    async def test_a_nested_transaction_is_refused_and_the_outer_one_still_commits(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        """Entering it again would replace the open session and strand its transaction."""
        async with _uow_factory(engine, schema)() as uow:
            await uow.outbox.publish(
                EscalationRaised(ticket_id=uuid.uuid4(), level=1, trigger="test"), subject="s"
            )
            with pytest.raises(RuntimeError, match="already in a transaction"):
                async with uow:
                    pass
            await uow.commit()
        async with uow:  # one after the other is fine
            pass

        async with engine.connect() as conn:
            rows = await conn.scalar(text(f'SELECT count(*) FROM "{schema}".outbox'))
        assert rows == 1


class TestOutboxLimits:
    async def test_an_event_too_large_for_the_broker_is_refused_at_the_source(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        from shared.errors import Unprocessable

        ticket = uuid.uuid4()
        huge = EscalationRaised(ticket_id=ticket, level=1, trigger="t", notify=["x" * 600_000])
        async with _uow_factory(engine, schema)() as uow:
            with pytest.raises(Unprocessable, match="shorten"):
                await uow.outbox.publish(huge, subject=str(ticket))


def _raised(ticket: uuid.UUID, *, notify: list[str] | None = None) -> EscalationRaised:
    return EscalationRaised(ticket_id=ticket, level=1, trigger="test", notify=notify or [])


class TestPublishMany:
    async def test_stages_every_event_in_order_with_its_topic_and_key(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        tickets = [uuid.uuid4() for _ in range(5)]
        woken: list[int] = []
        uow = UnitOfWork(
            sessionmaker(engine), schema=schema, source="test", on_commit=lambda: woken.append(1)
        )
        async with uow:
            envelopes = await uow.outbox.publish_many([(_raised(t), str(t)) for t in tickets])
            assert uow.outbox.pending == 5
            await uow.commit()

        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        f'SELECT id, topic, key, event_type, payload FROM "{schema}".outbox '
                        "ORDER BY seq"
                    )
                )
            ).all()
        assert [r.id for r in rows] == [e.id for e in envelopes]
        assert [r.key for r in rows] == [str(t) for t in tickets]
        assert {r.topic for r in rows} == {ESCALATIONS}
        assert {r.event_type for r in rows} == {"escalation.raised"}
        assert [r.payload["data"]["ticket_id"] for r in rows] == [str(t) for t in tickets]
        assert woken == [1]

    async def test_one_event_too_large_refuses_the_whole_batch(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        from shared.errors import Unprocessable

        tickets = [uuid.uuid4() for _ in range(3)]
        batch = [(_raised(t), str(t)) for t in tickets[:2]]
        batch.append((_raised(tickets[2], notify=["x" * 600_000]), str(tickets[2])))
        async with _uow_factory(engine, schema)() as uow:
            with pytest.raises(Unprocessable, match="shorten"):
                await uow.outbox.publish_many(batch)

    async def test_an_empty_batch_stages_nothing(self, engine: AsyncEngine, schema: str) -> None:
        async with _uow_factory(engine, schema)() as uow:
            assert await uow.outbox.publish_many([]) == []
            assert uow.outbox.pending == 0


class TestIdempotentConsumer:
    async def test_redelivered_record_has_one_effect(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        [ticket] = await _stage(engine, schema, 1)
        await relay.publish_batch()
        await relay._drop_producer()
        [record] = await _records(kafka_settings, ESCALATIONS, {str(ticket)})
        consumer = EventConsumer(
            name="t",
            kafka=kafka_settings,
            group_id="unused",
            topics=[ESCALATIONS],
            handlers={"escalation.raised": [record_effect]},
            uow_factory=_uow_factory(engine, schema),
        )

        for _ in range(3):  # a crash before the offset commit, then two rebalances
            await consumer.process(record)

        effects = [e for e in await _effects(engine, schema) if e.ticket_id == ticket]
        assert len(effects) == 1
        assert consumer.stats.processed == 1
        assert consumer.stats.duplicates == 2

    async def test_a_typed_handler_gets_its_payload_once_per_event(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        [ticket] = await _stage(engine, schema, 1)
        await relay.publish_batch()
        await relay._drop_producer()
        [record] = await _records(kafka_settings, ESCALATIONS, {str(ticket)})
        got: list[EscalationRaised] = []

        async def on_raised(event: EscalationRaised, envelope: Envelope, uow: UnitOfWork) -> None:
            got.append(event)
            await record_effect(envelope, uow)

        registry: HandlerRegistry[UnitOfWork] = HandlerRegistry()
        registry.add(EscalationRaised, on_raised)
        consumer = EventConsumer(
            name="t",
            kafka=kafka_settings,
            group_id="unused",
            topics=[ESCALATIONS],
            handlers=registry,
            uow_factory=_uow_factory(engine, schema),
        )

        for _ in range(2):
            await consumer.process(record)

        assert [e.ticket_id for e in got] == [ticket]
        assert consumer.stats.duplicates == 1
        async with engine.connect() as conn:
            handler = await conn.scalar(
                text(f'SELECT handler FROM "{schema}".inbox WHERE event_type = :t'),
                {"t": EscalationRaised.TYPE},
            )
        assert handler == f"{__name__}.{on_raised.__qualname__}"

    async def test_control_without_the_inbox_the_checker_sees_duplicates(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        """Proves the effect count above can see a duplicate (Vanlightly's control run)."""
        ticket = uuid.uuid4()
        envelope = Envelope.wrap(
            EscalationRaised(ticket_id=ticket, level=1, trigger="t"),
            source="t",
            subject=str(ticket),
        )
        for _ in range(2):
            async with _uow_factory(engine, schema)() as uow:
                await record_effect(envelope, uow)  # no inbox claim
                await uow.commit()

        assert len([e for e in await _effects(engine, schema) if e.ticket_id == ticket]) == 2

    async def test_failing_handler_is_dead_lettered_after_bounded_retries(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        attempts: list[int] = []

        async def always_fails(envelope: Envelope, uow: UnitOfWork) -> None:
            attempts.append(1)
            await record_effect(envelope, uow)
            raise RuntimeError("downstream is broken")

        ticket, record, _ = await _handle_one_published(
            engine, schema, kafka_settings, always_fails, max_attempts=3
        )

        assert len(attempts) == 3
        assert not [
            e for e in await _effects(engine, schema) if e.ticket_id == ticket
        ]  # rolled back
        [parked] = await _records(kafka_settings, DLQ, {str(ticket)})
        headers = dict(parked.headers)
        assert b"downstream is broken" in headers["dlq_error"]
        assert headers["dlq_source"].decode().startswith(f"{ESCALATIONS}/")
        assert parked.value == record.value

    async def test_an_unavailable_database_holds_the_record_instead_of_dead_lettering_it(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """Our database being away is no fault of the event: wait, then apply it once."""
        from sqlalchemy.exc import OperationalError

        outages = [1, 1, 1, 1]  # more refusals than max_attempts allows for a real failure

        async def flaky_database(envelope: Envelope, uow: UnitOfWork) -> None:
            if outages:
                outages.pop()
                raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))
            await record_effect(envelope, uow)

        ticket, _, consumer = await _handle_one_published(
            engine, schema, kafka_settings, flaky_database, max_attempts=2
        )

        assert outages == []
        assert consumer.stats.dead_lettered == 0
        assert [e.ticket_id for e in await _effects(engine, schema)].count(ticket) == 1

    async def test_malformed_record_is_dead_lettered_and_unknown_type_skipped(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        from aiokafka.structs import ConsumerRecord

        key = f"poison-{uuid.uuid4()}"
        consumer = EventConsumer(
            name="t-poison",
            kafka=kafka_settings,
            group_id="unused",
            topics=[ESCALATIONS],
            handlers={"escalation.raised": [record_effect]},
            uow_factory=_uow_factory(engine, schema),
        )

        def rec(value: bytes) -> ConsumerRecord[bytes, bytes]:
            return ConsumerRecord(
                ESCALATIONS, 0, 1, 0, 0, key.encode(), value, None, len(key), len(value), []
            )

        unknown = Envelope(type="escalation.future_kind", source="x", subject="y", data={})
        await consumer._dlq.start()
        try:
            await consumer.process(rec(b"{not json"))
            await consumer.process(rec(unknown.model_dump_json().encode()))
        finally:
            await consumer._dlq.stop()

        assert consumer.stats.dead_lettered == 1
        assert consumer.stats.skipped == 1
        [parked] = await _records(kafka_settings, DLQ, {key})
        assert dict(parked.headers)["dlq_reason"] == b"malformed envelope"

    async def test_a_known_type_with_invalid_data_is_dead_lettered_before_any_handler(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """A handler that reads ``data`` loosely never sees it, alone or in a batch."""
        from aiokafka.structs import ConsumerRecord

        key = f"invalid-{uuid.uuid4()}"
        calls: list[dict[str, Any]] = []

        async def loose(envelope: Envelope, uow: UnitOfWork) -> None:
            calls.append(envelope.data)  # would have acted on a payload with no ticket

        consumer = EventConsumer(
            name="t-invalid",
            kafka=kafka_settings,
            group_id="unused",
            topics=[ESCALATIONS],
            handlers={"escalation.raised": [loose]},
            uow_factory=_uow_factory(engine, schema),
        )
        bad = Envelope(type="escalation.raised", source="x", subject=key, data={"level": "x"})
        good = Envelope.wrap(
            EscalationRaised(ticket_id=uuid.uuid4(), level=1, trigger="test"),
            source="x",
            subject=key,
        )
        records = [
            ConsumerRecord(ESCALATIONS, 0, i, 0, 0, key.encode(), v, None, 1, len(v), [])
            for i, v in enumerate(e.model_dump_json().encode() for e in (good, bad))
        ]
        assert await consumer.process_together(records) is False
        assert calls == []
        await consumer._dlq.start()
        try:
            for record in records:
                await consumer.process(record)
        finally:
            await consumer._dlq.stop()

        assert len(calls) == 1  # the good one only
        assert consumer.stats.dead_lettered == 1
        [parked] = await _records(kafka_settings, DLQ, {key})
        headers = dict(parked.headers)
        assert headers["dlq_reason"] == b"invalid escalation.raised payload"
        assert b"ticket_id" in headers["dlq_error"]
        assert headers["dlq_source"] == f"{ESCALATIONS}/0/1".encode()


class TestBatches:
    async def _records(self, engine: AsyncEngine, schema: str, kafka: KafkaSettings, n: int) -> Any:
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka, client_id="t")
        tickets = await _stage(engine, schema, n)
        await relay.publish_batch()
        await relay._drop_producer()
        return tickets, await _records(kafka, ESCALATIONS, {str(t) for t in tickets})

    def _consumer(
        self, engine: AsyncEngine, schema: str, kafka: KafkaSettings, handler: Any
    ) -> EventConsumer:
        return EventConsumer(
            name="t-batch",
            kafka=kafka,
            group_id="unused",
            topics=[ESCALATIONS],
            handlers={"escalation.raised": [handler]},
            uow_factory=_uow_factory(engine, schema),
        )

    async def test_a_batch_applies_in_one_transaction_and_a_redelivery_does_nothing(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        tickets, records = await self._records(engine, schema, kafka_settings, 5)
        consumer = self._consumer(engine, schema, kafka_settings, record_effect)

        assert await consumer.process_together(records) is True
        assert await consumer.process_together(records) is True

        mine = [e for e in await _effects(engine, schema) if e.ticket_id in set(tickets)]
        assert len(mine) == 5
        assert consumer.stats.processed == 5
        assert consumer.stats.duplicates == 5

    async def test_a_record_repeated_within_a_batch_is_applied_once(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        tickets, records = await self._records(engine, schema, kafka_settings, 3)
        consumer = self._consumer(engine, schema, kafka_settings, record_effect)

        # A relay republish can put the same event twice into one fetch.
        assert await consumer.process_together([*records, records[0], records[1]]) is True

        mine = [e for e in await _effects(engine, schema) if e.ticket_id in set(tickets)]
        assert sorted(e.ticket_id for e in mine) == sorted(tickets)
        assert (consumer.stats.processed, consumer.stats.duplicates) == (3, 2)

    async def test_one_failing_record_rolls_the_batch_back_for_one_by_one_handling(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        tickets, records = await self._records(engine, schema, kafka_settings, 4)
        poisoned = tickets[2]

        async def fails_on_one(envelope: Envelope, uow: UnitOfWork) -> None:
            await record_effect(envelope, uow)
            if envelope.payload(EscalationRaised).ticket_id == poisoned:
                raise RuntimeError("cannot apply this one")

        consumer = self._consumer(engine, schema, kafka_settings, fails_on_one)

        assert await consumer.process_together(records) is False
        assert not [e for e in await _effects(engine, schema) if e.ticket_id in set(tickets)]
        # The runner then applies them one at a time: the others go through.
        consumer._max_attempts, consumer._retry_base = 1, 0.0
        await consumer._dlq.start()
        try:
            for record in records:
                await consumer.process(record)
        finally:
            await consumer._dlq.stop()
        applied = {e.ticket_id for e in await _effects(engine, schema)} & set(tickets)
        assert applied == set(tickets) - {poisoned}
        assert consumer.stats.dead_lettered == 1

    async def test_a_handlers_batch_step_gets_the_claimed_events_once_before_the_handler(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """``prepare`` sees each new event of the batch once, in order, before the handler
        runs on the first; events already processed, and repeats, are left out; a record
        handled alone is not prepared."""
        _, records = await self._records(engine, schema, kafka_settings, 4)
        tickets = [uuid.UUID(r.key.decode()) for r in records]  # in the records' order
        calls: list[tuple[str, Any]] = []

        async def handler(event: EscalationRaised, envelope: Envelope, uow: UnitOfWork) -> None:
            calls.append(("handle", event.ticket_id))
            await record_effect(envelope, uow)

        async def prepare(events: Any, uow: UnitOfWork) -> None:
            calls.append(("prepare", [event.ticket_id for event, _ in events]))

        registry: HandlerRegistry[UnitOfWork] = HandlerRegistry()
        registry.add_family(
            "escalation.raised",
            lambda e: e.payload(EscalationRaised),
            handler,
            prepare=prepare,
        )
        consumer = EventConsumer(
            name="t-prepare",
            kafka=kafka_settings,
            group_id="unused",
            topics=[ESCALATIONS],
            handlers=registry,
            uow_factory=_uow_factory(engine, schema),
        )

        await consumer.process(records[0])  # alone: no batch step
        assert calls == [("handle", tickets[0])]
        calls.clear()
        assert await consumer.process_together([*records, records[2]]) is True

        assert calls == [
            ("prepare", tickets[1:]),
            *(("handle", t) for t in tickets[1:]),
        ]
        mine = {e.ticket_id for e in await _effects(engine, schema)} & set(tickets)
        assert mine == set(tickets)


def _group_consumer(
    engine: AsyncEngine, schema: str, kafka: KafkaSettings, name: str, handler: Any
) -> EventConsumer:
    """A consumer of escalation.raised in a group of its own (it reads from the earliest)."""
    return EventConsumer(
        name=name,
        kafka=kafka,
        group_id=f"{name}-{uuid.uuid4().hex[:6]}",
        topics=[ESCALATIONS],
        handlers={"escalation.raised": [handler]},
        uow_factory=_uow_factory(engine, schema),
    )


class TestConsumerGroupLoop:
    async def test_republished_window_is_absorbed_by_the_inbox(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        consumer = _group_consumer(engine, schema, kafka_settings, "t-loop", record_effect)
        assert await consumer.caught_up() is False  # not even started
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:
            await asyncio.wait_for(consumer.started.wait(), 20)
            tickets = set(await _stage(engine, schema, 20))
            await relay.publish_batch()
            # A relay that crashed after the broker's ack but before marking the rows
            # publishes the same rows again.
            async with engine.begin() as conn:
                await conn.execute(text(f'UPDATE "{schema}".outbox SET published_at = NULL'))
            await relay.publish_batch()
            await relay._drop_producer()

            async def settled() -> bool:
                mine = [e for e in await _effects(engine, schema) if e.ticket_id in tickets]
                return len(mine) >= 20 and consumer.stats.duplicates >= 20

            deadline = asyncio.get_running_loop().time() + 30
            while not await settled():
                assert asyncio.get_running_loop().time() < deadline, consumer.stats
                await asyncio.sleep(0.1)
            while not await consumer.caught_up():  # the high watermark arrives with a fetch
                assert asyncio.get_running_loop().time() < deadline, "never caught up"
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 20)

        mine = [e for e in await _effects(engine, schema) if e.ticket_id in tickets]
        assert len(mine) == 20
        assert len({e.ticket_id for e in mine}) == 20

    async def test_one_fetch_of_several_partitions_is_one_transaction(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        """Records of every partition fetched together share a transaction (not one each)."""
        txids: dict[uuid.UUID, int] = {}

        async def note_transaction(envelope: Envelope, uow: UnitOfWork) -> None:
            txid = await uow.session.scalar(text("SELECT txid_current()"))
            txids[envelope.payload(EscalationRaised).ticket_id] = int(txid)

        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        consumer = _group_consumer(engine, schema, kafka_settings, "t-fetch", note_transaction)
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:
            deadline = asyncio.get_running_loop().time() + 30
            await asyncio.wait_for(consumer.started.wait(), 20)
            while not await consumer.caught_up():  # what earlier tests left, applied first
                assert asyncio.get_running_loop().time() < deadline, "never caught up"
                await asyncio.sleep(0.05)
            tickets = set(await _stage(engine, schema, 12))
            await relay.publish_batch()  # one produce: records for several partitions
            await relay._drop_producer()
            while not tickets <= txids.keys():
                assert asyncio.get_running_loop().time() < deadline, consumer.stats
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 20)
        records = await _records(kafka_settings, ESCALATIONS, {str(t) for t in tickets})
        partitions = {r.partition for r in records}
        assert len(partitions) >= 2
        assert len({txids[t] for t in tickets}) < len(partitions)


async def _group_offsets(
    kafka: KafkaSettings, group: str, records: list[Any]
) -> dict[TopicPartition, tuple[int, int]]:
    """Per partition of ``records``: the group's committed offset, and the offset after
    the last of them (read without joining the group)."""
    after: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        after[tp] = max(after.get(tp, 0), r.offset + 1)
    reader = AIOKafkaConsumer(
        bootstrap_servers=kafka.bootstrap_servers, group_id=group, enable_auto_commit=False
    )
    await reader.start()
    try:
        return {tp: (await reader.committed(tp) or 0, end) for tp, end in after.items()}
    finally:
        await reader.stop()


class TestOffsetCommits:
    """Handled offsets are committed beside the loop, at most once per interval, and what
    is pending when the consumer stops is committed before it leaves the group."""

    async def test_records_handled_within_the_interval_wait_and_a_stop_commits_them(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        consumer = _group_consumer(engine, schema, kafka_settings, "t-offsets", record_effect)
        consumer._commit_seconds = 60.0  # after the first commit, nothing for a minute
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:
            await asyncio.wait_for(consumer.started.wait(), 20)
            await _stage(engine, schema, 1)  # a first record, whose commit opens the interval
            await relay.publish_batch()

            async def first_commit() -> bool:
                return consumer._offsets is not None and consumer._offsets.commits >= 1

            await _until(first_commit, "the first handled batch was never committed")
            await _until(consumer.caught_up, "never caught up")  # earlier tests' records too
            tickets = set(await _stage(engine, schema, 8))
            await relay.publish_batch()
            await relay._drop_producer()

            async def applied() -> bool:
                done = {e.ticket_id for e in await _effects(engine, schema)}
                return tickets <= done

            await _until(applied, "the records were not handled")
            records = await _records(kafka_settings, ESCALATIONS, {str(t) for t in tickets})
            pending = await _group_offsets(kafka_settings, consumer._group_id, records)
            # Handled, but within the interval: not committed yet, on any partition.
            assert all(committed < end for committed, end in pending.values()), pending
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 20)
        after_stop = await _group_offsets(kafka_settings, consumer._group_id, records)
        assert all(committed >= end for committed, end in after_stop.values()), after_stop


async def _until(check: Any, what: str, seconds: float = 30) -> None:
    """Wait until the coroutine function ``check`` answers True, failing with ``what``."""
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


class TestFetchPace:
    """An idle consumer fetches with the long wait; records switch it to the short one."""

    async def test_records_shorten_the_wait_and_a_quiet_spell_lengthens_it_again(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        seen: dict[uuid.UUID, float] = {}

        async def note_arrival(envelope: Envelope, uow: UnitOfWork) -> None:
            seen[envelope.payload(EscalationRaised).ticket_id] = time.monotonic()

        paced = kafka_settings.model_copy(
            update={"fetch_max_wait_ms": 4000, "fetch_busy_wait_ms": 50, "fetch_busy_seconds": 1.5}
        )
        relay = OutboxRelay(engine=engine, schema=schema, kafka=kafka_settings, client_id="t")
        consumer = _group_consumer(engine, schema, paced, "t-pace", note_arrival)
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))

        def wait_ms() -> int:
            assert consumer._consumer is not None
            return int(consumer._consumer._fetcher._fetch_max_wait_ms)

        async def idle() -> bool:
            return await consumer.caught_up() and wait_ms() == 4000

        try:
            await asyncio.wait_for(consumer.started.wait(), 20)
            await _until(idle, "never settled to the idle wait")  # what earlier tests left
            first = set(await _stage(engine, schema, 1))
            await relay.publish_batch()

            async def arrived() -> bool:
                return first <= seen.keys()

            await _until(arrived, "the first record never arrived")
            assert wait_ms() == 50  # records flow: the short wait
            lags = []
            for _ in range(5):
                [ticket] = await _stage(engine, schema, 1)
                await relay.publish_batch()
                sent = time.monotonic()

                async def handled(ticket: uuid.UUID = ticket) -> bool:
                    return ticket in seen

                await _until(handled, "a record sent while busy never arrived")
                lags.append(seen[ticket] - sent)
                await asyncio.sleep(0.2)
            # A 4 s wait would hold these for up to seconds on a broker that looks again
            # only now and then within the wait (Tansu).
            assert max(lags) < 1.0, lags
            await _until(idle, "the wait never went back to the idle one", seconds=10)
        finally:
            stop.set()
            await relay._drop_producer()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 20)


class TestDoorbell:
    """An idle consumer stops fetching; a relay's publication after a quiet spell wakes it
    at once (shared.messaging.doorbell)."""

    @contextlib.asynccontextmanager
    async def _running(
        self,
        engine: AsyncEngine,
        schema: str,
        kafka: KafkaSettings,
        name: str,
        *,
        safety: float,
        listen: bool = True,
    ) -> AsyncIterator[tuple[OutboxRelay, EventConsumer, set[uuid.UUID]]]:
        seen: set[uuid.UUID] = set()

        async def note(envelope: Envelope, uow: UnitOfWork) -> None:
            seen.add(envelope.payload(EscalationRaised).ticket_id)

        sleepy = kafka.model_copy(
            update={"idle_sleep_after_seconds": 2.0, "idle_sleep_seconds": safety}
        )
        relay = OutboxRelay(
            engine=engine, schema=schema, kafka=kafka, client_id=name, poll_seconds=600
        )
        consumer = _group_consumer(engine, schema, sleepy, name, note)
        assert consumer.doorbell is not None
        if listen:  # as the runtime wires a process that runs both
            relay.listen_for_consumer(consumer.doorbell)
        stop = asyncio.Event()
        tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
        try:
            await asyncio.wait_for(consumer.started.wait(), 20)
            yield relay, consumer, seen
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.gather(*tasks), 20)

    async def _asleep(self, consumer: EventConsumer) -> None:
        async def asleep() -> bool:
            kafka = consumer._consumer
            return (
                kafka is not None
                and bool(kafka.assignment())
                and kafka.paused() == kafka.assignment()
            )

        await _until(asleep, "the idle consumer never paused its partitions", seconds=30)

    async def test_an_idle_consumer_sleeps_and_a_relays_publication_wakes_it_at_once(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        async with self._running(engine, schema, kafka_settings, "t-bell", safety=120) as (
            relay,
            consumer,
            seen,
        ):
            await self._asleep(consumer)
            [ticket] = await _stage(engine, schema, 1)
            relay.wake()  # the unit of work's on_commit in a service
            sent = time.monotonic()

            async def handled() -> bool:
                return ticket in seen

            await _until(handled, "the sleeping consumer never woke for the record")
            # The safety net is two minutes: only the bell wakes it this soon.
            assert time.monotonic() - sent < 5.0
            assert consumer.doorbell is not None
            assert consumer.doorbell.sleeps >= 1

    async def test_a_record_no_relay_announced_waits_at_most_the_safety_net(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        async with self._running(engine, schema, kafka_settings, "t-net", safety=2.0) as (
            _,
            consumer,
            seen,
        ):
            await self._asleep(consumer)
            ticket = uuid.uuid4()
            envelope = Envelope.wrap(
                EscalationRaised(ticket_id=ticket, level=1, trigger="test"),
                source="a-tool",
                subject=str(ticket),
            )
            producer = AIOKafkaProducer(bootstrap_servers=kafka_settings.bootstrap_servers)
            await producer.start()
            try:  # written to the topic by no relay: nobody rings
                await producer.send_and_wait(
                    ESCALATIONS, value=envelope.model_dump_json().encode(), key=str(ticket).encode()
                )
            finally:
                await producer.stop()

            async def handled() -> bool:
                return ticket in seen

            await _until(handled, "the record waited past the safety net", seconds=8)

    async def test_a_consumer_that_cannot_hear_the_bell_keeps_fetching(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        async with self._running(
            engine, schema, kafka_settings, "t-deaf", safety=120, listen=False
        ) as (_, consumer, _seen):
            await _until(consumer.caught_up, "never caught up")
            await asyncio.sleep(4.0)  # twice the quiet spell
            assert consumer.doorbell is not None
            assert consumer.doorbell.sleeps == 0
            assert consumer._consumer is not None
            assert not consumer._consumer.paused()

    async def test_losing_the_listening_connection_wakes_the_consumer(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        async with self._running(engine, schema, kafka_settings, "t-lost", safety=120) as (
            relay,
            consumer,
            _seen,
        ):
            await self._asleep(consumer)
            listening = relay._listener._conn
            assert listening is not None
            async with engine.begin() as conn:
                await conn.execute(
                    text("SELECT pg_terminate_backend(:pid)"),
                    {"pid": listening.get_server_pid()},
                )

            async def awake() -> bool:
                kafka = consumer._consumer
                return kafka is not None and not kafka.paused()

            await _until(awake, "the consumer slept on without its bell", seconds=5)

            # The lost connection also woke the relay, which listens again at once: the
            # consumer may sleep again only because it hears the bell again.
            async def listening_again() -> bool:
                again = relay._listener._conn
                return again is not None and again is not listening and relay._listener.listening

            await _until(listening_again, "the relay did not listen again", seconds=5)
            assert consumer.doorbell is not None
            assert consumer.doorbell.listening


class TestRelayWakeUp:
    """The relay sleeps through a long poll; a commit elsewhere wakes it through NOTIFY."""

    async def _pending(self, engine: AsyncEngine, schema: str) -> int:
        async with engine.connect() as conn:
            sql = f'SELECT count(*) FROM "{schema}".outbox WHERE published_at IS NULL'
            return int(await conn.scalar(text(sql)) or 0)

    @contextlib.asynccontextmanager
    async def _sleeping_relay(
        self, engine: AsyncEngine, schema: str, kafka: KafkaSettings
    ) -> AsyncIterator[OutboxRelay]:
        relay = OutboxRelay(
            engine=engine, schema=schema, kafka=kafka, client_id="t-wake", poll_seconds=600
        )
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            deadline = asyncio.get_running_loop().time() + 20
            while relay._loop.passes < 1:  # the first pass starts listening, then it sleeps
                assert asyncio.get_running_loop().time() < deadline, "relay never ran"
                await asyncio.sleep(0.05)
            yield relay
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)

    async def test_a_commit_in_another_process_wakes_the_relay_at_once(
        self,
        engine: AsyncEngine,
        schema: str,
        kafka_settings: KafkaSettings,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr("shared.messaging.outbox.origin", lambda: "elsewhere:1")
        async with self._sleeping_relay(engine, schema, kafka_settings) as relay:
            await _stage(engine, schema, 3)  # a unit of work with no relay of its own to wake
            deadline = asyncio.get_running_loop().time() + 10
            while await self._pending(engine, schema):
                assert asyncio.get_running_loop().time() < deadline, "the relay slept on"
                await asyncio.sleep(0.05)
        assert relay.published == 3

    async def test_a_commit_of_its_own_process_is_left_to_the_unit_of_work_to_announce(
        self, engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
    ) -> None:
        async with self._sleeping_relay(engine, schema, kafka_settings) as relay:
            passes = relay._loop.passes
            await _stage(engine, schema, 2)  # no on_commit: nothing wakes it in-process
            await asyncio.sleep(1.0)
            assert relay._loop.passes == passes
            assert await self._pending(engine, schema) == 2
            relay.wake()  # what the unit of work's on_commit does in a service
            deadline = asyncio.get_running_loop().time() + 10
            while await self._pending(engine, schema):
                assert asyncio.get_running_loop().time() < deadline, "wake() was ignored"
                await asyncio.sleep(0.05)


# A unit of work on asyncpg's own connection (``direct``): the same guarantees as on the
# session.


async def _counts(engine: AsyncEngine, schema: str) -> tuple[int, int]:
    async with engine.connect() as conn:
        inbox = await conn.scalar(text(f'SELECT count(*) FROM "{schema}".inbox'))
        outbox = await conn.scalar(text(f'SELECT count(*) FROM "{schema}".outbox'))
    return int(inbox or 0), int(outbox or 0)


async def _handle(uow: UnitOfWork, event_id: uuid.UUID) -> bool:
    """What a consumer's transaction does: claim, then write an event."""
    if not await uow.inbox.claim(event_id, handler="test.handler", event_type="test"):
        return False
    ticket = uuid.uuid4()
    await uow.outbox.publish(
        EscalationRaised(ticket_id=ticket, level=1, trigger="test"), subject=str(ticket)
    )
    return True


class TestDirectUnitOfWork:
    async def test_commits_the_claim_and_the_event_together_and_only_once(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        sessions = sessionmaker(engine)
        event_id = uuid.uuid4()
        for expected in (True, False):  # the second delivery is a duplicate
            async with UnitOfWork(sessions, schema=schema, source="t", direct=True) as uow:
                assert await _handle(uow, event_id) is expected
                await uow.commit()
        assert await _counts(engine, schema) == (1, 1)

    async def test_rolls_back_unless_committed(self, engine: AsyncEngine, schema: str) -> None:
        sessions = sessionmaker(engine)
        async with UnitOfWork(sessions, schema=schema, source="t", direct=True) as uow:
            assert await _handle(uow, uuid.uuid4())

        async def failing() -> None:
            async with UnitOfWork(sessions, schema=schema, source="t", direct=True) as uow:
                assert await _handle(uow, uuid.uuid4())
                raise RuntimeError("the handler failed")

        with pytest.raises(RuntimeError):
            await failing()
        assert await _counts(engine, schema) == (0, 0)

    async def test_connections_the_server_dropped_fail_one_transaction_then_are_replaced(
        self, engine: AsyncEngine, database_url: str, schema: str
    ) -> None:
        """A database restart kills every pooled connection: one transaction fails, as a
        database outage (the consumer holds its record), not one per dead connection."""
        own = create_async_engine(database_url, pool_size=3, pool_pre_ping=False)
        sessions = sessionmaker(own)
        try:
            pooled = [await own.connect() for _ in range(3)]
            pids = [await c.scalar(text("SELECT pg_backend_pid()")) for c in pooled]
            for c in pooled:
                await c.close()  # back to the pool, alive
            async with engine.begin() as admin:
                await admin.execute(
                    text("SELECT pg_terminate_backend(p) FROM unnest(CAST(:p AS int[])) AS p"),
                    {"p": pids},
                )
            outcomes: list[str] = []
            for _ in range(5):
                try:
                    async with UnitOfWork(sessions, schema=schema, source="t", direct=True) as uow:
                        await _handle(uow, uuid.uuid4())
                        await uow.commit()
                    outcomes.append("committed")
                    break
                except Exception as exc:
                    outcomes.append(f"{type(exc).__name__} unavailable={database_unavailable(exc)}")
            assert outcomes[-1] == "committed", outcomes
            assert len(outcomes) <= 2, outcomes
            assert all("unavailable=True" in o for o in outcomes[:-1]), outcomes
            assert await _counts(engine, schema) == (1, 1)
        finally:
            await own.dispose()
