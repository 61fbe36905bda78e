"""An idle relay polls less often while it listens, and is back at its interval at once
when a commit is announced, a row turns up, or its listening connection is lost."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.messaging.outbox import channel
from shared.messaging.relay import OutboxRelay
from shared.pgconnect import target_of
from shared.settings import KafkaSettings
from shared.testing.outbox import scratch_schema, stage_escalations

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]

POLL = 0.1  # stretched: 0.2, 0.4, then 0.6 (six times)


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    async with scratch_schema(engine, prefix="quietpoll") as name:
        yield name


async def _until(predicate: Callable[[], bool], timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def test_quiet_stretches_and_a_notify_a_row_or_a_lost_listener_end_it(
    engine: AsyncEngine, schema: str, kafka_settings: KafkaSettings
) -> None:
    relay = OutboxRelay(
        engine=engine, schema=schema, kafka=kafka_settings, client_id="quiet", poll_seconds=POLL
    )
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    stretched = lambda: relay._quiet.current() == pytest.approx(6 * POLL)  # noqa: E731
    try:
        await _until(stretched)
        passes = relay._loop.passes
        await asyncio.sleep(1.0)
        assert relay._loop.passes - passes <= 3  # every 0.6 s, not every 0.1 s

        # Another process's commit (a NOTIFY not from us): a round at once, interval again.
        conn = await target_of(engine).connect()
        try:
            passes = relay._loop.passes
            await conn.execute("SELECT pg_notify($1, 'another process')", channel(schema))
            await _until(lambda: relay._loop.passes > passes, timeout=0.4)
            assert relay._quiet.current() < 6 * POLL

            # A row nothing announced (our own process's NOTIFY is ignored): found at the
            # stretched poll, and publishing ends the quiet.
            await _until(stretched)
            await stage_escalations(engine, schema, uuid.uuid4(), range(1))
            await _until(lambda: relay.published == 1, timeout=2)
            await _until(lambda: relay._quiet.current() == pytest.approx(POLL), timeout=1)

            # The listening connection is lost: a round at once listens again.
            await _until(stretched)
            listener = relay._listener._conn
            assert listener is not None
            passes = relay._loop.passes
            await conn.execute("SELECT pg_terminate_backend($1)", listener.get_server_pid())
            await _until(lambda: relay._loop.passes > passes, timeout=0.4)
            await _until(
                lambda: relay._listener.listening and relay._listener._conn is not listener
            )
        finally:
            await conn.close()
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
