"""A pooled connection the server ended is not handed out again (real PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import create_engine
from shared.settings import DatabaseSettings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def guarded(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(DatabaseSettings(url=database_url, pool_size=2))
    yield engine
    await engine.dispose()


async def _pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")) or 0)


async def _terminate(engine: AsyncEngine, pids: set[int]) -> None:
    async with engine.connect() as conn:
        await conn.execute(
            text("SELECT pg_terminate_backend(p) FROM unnest(CAST(:p AS int[])) AS p"),
            {"p": list(pids)},
        )


async def test_after_every_pooled_connection_is_ended_the_next_uses_succeed(
    guarded: AsyncEngine, engine: AsyncEngine
) -> None:
    async def hold() -> int:
        async with guarded.connect() as conn:
            await asyncio.sleep(0.05)  # both at once: two pooled connections
            return int(await conn.scalar(text("SELECT pg_backend_pid()")) or 0)

    before = set(await asyncio.gather(hold(), hold()))
    await _terminate(engine, before)
    await asyncio.sleep(0.1)  # the closes arrive; the pool still holds both

    after = {await _pid(guarded) for _ in range(4)}

    assert len(before) == 2
    assert not before & after  # neither ended connection was handed out


async def test_a_connection_ended_while_idle_is_never_used_mid_protocol(
    guarded: AsyncEngine, engine: AsyncEngine
) -> None:
    """Terminate the pooled connection and check out at once, ten times.

    The server's FATAL may arrive before the checkout (the connection must be refused:
    without the guard asyncpg raised "another operation is in progress" here) or during
    the statement (a disconnect: that statement fails, the connection is not reused).
    """
    outcomes: list[str] = []
    for _ in range(10):
        before = await _pid(guarded)
        async with engine.connect() as killer:
            await killer.execute(text("SELECT pg_terminate_backend(:p)"), {"p": before})
            try:
                after = await _pid(guarded)  # no pause: the close may not be read yet
                outcomes.append("fresh" if after != before else "reused")
            except DBAPIError as exc:
                outcomes.append("disconnect" if exc.connection_invalidated else repr(exc))

    assert set(outcomes) <= {"fresh", "disconnect"}, outcomes
    assert await _pid(guarded)  # and the pool serves again
