"""What one statement costs the calling process: SQLAlchemy's session, its Core connection, asyncpg.

Run with ``python bench/sql_layer_cost.py [statements]`` from the repository root
(default 3,000 pairs; ``--smoke``: 50). In a throwaway database (``DATABASE_URL``'s server, else
127.0.0.1:5432) it runs the same pair (an INSERT of a prepared statement with three
parameters, then a SELECT by primary key) through ``AsyncSession.execute``,
``AsyncConnection.execute`` and asyncpg's ``Connection.execute``/``fetchval``, inside one
transaction each, under uvloop as the services run, and prints the process CPU time
(``time.process_time``) per statement. The server's own CPU is not in it: the figure is
the client side, the per-statement cost every service pays on each of its 10-20
statements a ticket (bench/README.md, "Second pass").
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import smoke
import uvloop
from sqlalchemy import Column, MetaData, Table, Text, text
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from shared.settings import libpq_url
from shared.testing.infra import create_database, drop_database, maintenance_url

ROWS = Table(
    "bench_row",
    MetaData(schema="public"),
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("a", Text),
    Column("b", Text),
)
INSERT = insert(ROWS)
SELECT = text("SELECT a FROM public.bench_row WHERE id = :id")


async def timed(pairs: int, pair: Callable[[uuid.UUID], Awaitable[None]]) -> float:
    """Client CPU microseconds per statement over ``pairs`` INSERT+SELECT pairs."""
    for _ in range(min(100, pairs)):  # prepare the statements, warm the caches
        await pair(uuid.uuid4())
    started = time.process_time()
    for _ in range(pairs):
        await pair(uuid.uuid4())
    return (time.process_time() - started) / (2 * pairs) * 1e6


async def measure(url: str, pairs: int) -> dict[str, float]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("CREATE TABLE public.bench_row (id uuid PRIMARY KEY, a text, b text)")
            )
        figures: dict[str, float] = {}
        async with AsyncSession(engine) as session, session.begin():

            async def via_session(key: uuid.UUID) -> None:
                await session.execute(INSERT, {"id": key, "a": "x", "b": "y"})
                await session.execute(SELECT, {"id": key})

            figures["SQLAlchemy AsyncSession"] = await timed(pairs, via_session)
        async with engine.begin() as core:

            async def via_core(key: uuid.UUID) -> None:
                await core.execute(INSERT, {"id": key, "a": "x", "b": "y"})
                await core.execute(SELECT, {"id": key})

            figures["SQLAlchemy AsyncConnection"] = await timed(pairs, via_core)
    finally:
        await engine.dispose()
    raw = await asyncpg.connect(libpq_url(url))
    try:
        async with raw.transaction():

            async def via_asyncpg(key: uuid.UUID) -> None:
                await raw.execute(
                    "INSERT INTO public.bench_row (id, a, b) VALUES ($1, $2, $3)", key, "x", "y"
                )
                await raw.fetchval("SELECT a FROM public.bench_row WHERE id = $1", key)

            figures["asyncpg"] = await timed(pairs, via_asyncpg)
    finally:
        await raw.close()
    return figures


async def main(pairs: int) -> None:
    server = maintenance_url()
    url = await create_database(server, prefix="bench_sql")
    try:
        for name, micros in (await measure(url, pairs)).items():
            print(f"{name:>28}: {micros:6.1f} µs of client CPU per statement")
    finally:
        await drop_database(server, url)


if __name__ == "__main__":
    argv, is_smoke = smoke.positional()
    uvloop.install()
    asyncio.run(main(int(argv[0]) if argv else 50 if is_smoke else 3000))
