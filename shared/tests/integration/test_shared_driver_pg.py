"""asyncpg's own connection inside a session's transaction (real PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.db import create_engine
from shared.driver import SessionDriver
from shared.settings import DatabaseSettings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def guarded(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(DatabaseSettings(url=database_url, pool_size=2))
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS public.driver_probe (id uuid)"))
    yield engine
    await engine.dispose()


async def _stored(engine: AsyncEngine, probe: uuid.UUID) -> bool:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT count(*) FROM public.driver_probe WHERE id = :id"), {"id": probe}
        )
    return bool(found)


_INSERT = "INSERT INTO public.driver_probe (id) VALUES ($1) RETURNING id"


class TestSessionDriver:
    async def test_its_first_statement_runs_in_the_transaction_the_rollback_ends(
        self, guarded: AsyncEngine
    ) -> None:
        """Sent before any of SQLAlchemy's, it must not run (and commit) on its own."""
        probe = uuid.uuid4()
        async with async_sessionmaker(guarded)() as session:
            assert await SessionDriver(session).fetchval(_INSERT, probe) == probe
            await session.rollback()
        assert not await _stored(guarded, probe)

    async def test_its_statements_commit_with_the_session(self, guarded: AsyncEngine) -> None:
        probe = uuid.uuid4()
        async with async_sessionmaker(guarded)() as session:
            driver = SessionDriver(session)
            await driver.fetch(_INSERT, probe)
            in_tx = await session.scalar(
                text("SELECT count(*) FROM public.driver_probe WHERE id = :id"), {"id": probe}
            )
            await session.commit()
        assert in_tx == 1  # SQLAlchemy's statements see it: one transaction
        assert await _stored(guarded, probe)

    async def test_after_a_commit_its_statements_run_in_the_next_transaction(
        self, guarded: AsyncEngine
    ) -> None:
        kept, dropped = uuid.uuid4(), uuid.uuid4()
        async with async_sessionmaker(guarded)() as session:
            driver = SessionDriver(session)
            await driver.fetch(_INSERT, kept)
            await session.commit()
            await driver.fetch(_INSERT, dropped)  # a new transaction, begun again
            await session.rollback()
        assert await _stored(guarded, kept)
        assert not await _stored(guarded, dropped)

    async def test_a_connection_the_server_ended_is_not_handed_out_again(
        self, guarded: AsyncEngine, engine: AsyncEngine
    ) -> None:
        sessions = async_sessionmaker[AsyncSession](guarded)
        async with sessions() as session:
            driver = SessionDriver(session)
            pid = await driver.fetchval("SELECT pg_backend_pid()")
            async with engine.begin() as admin:
                await admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            with pytest.raises(Exception):  # noqa: B017, PT011 - whatever asyncpg raises
                await driver.fetchval("SELECT 1")
            await session.rollback()
        async with sessions() as session:
            assert await SessionDriver(session).fetchval("SELECT pg_backend_pid()") != pid
