"""A unit of work on asyncpg's own connection (``direct``): the same guarantees as on the session."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.errors import database_unavailable
from shared.events.escalations import EscalationRaised

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    name = f"directtest_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
    yield name
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


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
