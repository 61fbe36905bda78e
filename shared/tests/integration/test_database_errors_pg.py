"""What a client sees when PostgreSQL refuses a value or a connection (real server).

A NUL character reaches asyncpg as a plain ``DBAPIError`` (SQLSTATE 22021), and a
database that does not accept connections raises 55000 or 57P03: neither may
become a 500. Recovery needs no restart: the next request after the database is
back succeeds.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.settings import asyncpg_url, libpq_url, with_database
from shared.web.problems import install_problem_handlers

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


class Note(BaseModel):
    title: str
    tags: list[str] = []


def _app(engine: AsyncEngine) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/notes")
    async def create(note: Note) -> dict[str, str]:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT CAST(:t AS text)"), {"t": note.title})
            for tag in note.tags:
                await conn.execute(text("SELECT CAST(:t AS text)"), {"t": tag})
        return {"title": note.title}

    @app.get("/notes")
    async def search(request: Request, q: str = "") -> dict[str, str]:
        async with engine.connect() as conn:
            value = await conn.scalar(text("SELECT CAST(:q AS text)"), {"q": q})
        return {"q": str(value)}

    return app


@pytest_asyncio.fixture(loop_scope="session")
async def closable_db(postgres_server_url: str) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A database of its own, so the test may refuse connections to it."""
    name = f"refuse_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(libpq_url(postgres_server_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(asyncpg_url(postgres_server_url), name)
    engine = create_async_engine(url, pool_size=2, pool_pre_ping=False)
    try:
        yield name, engine
    finally:
        await engine.dispose()
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def test_a_nul_character_answers_422_naming_the_field(engine: AsyncEngine) -> None:
    transport = httpx.ASGITransport(app=_app(engine), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        body = await client.post("/notes", json={"title": "ok", "tags": ["fine", "bad\x00tag"]})
        query = await client.get("/notes", params={"q": "a\x00b"})

    assert body.status_code == 422
    assert body.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in body.json()["errors"]] == ["body.tags.1"]
    assert query.status_code == 422
    assert [e["field"] for e in query.json()["errors"]] == ["query.q"]


async def test_a_database_that_refuses_connections_answers_503_then_recovers(
    closable_db: tuple[str, AsyncEngine], postgres_server_url: str
) -> None:
    name, engine = closable_db
    admin = await asyncpg.connect(libpq_url(postgres_server_url))
    transport = httpx.ASGITransport(app=_app(engine), raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/notes", params={"q": "before"})).status_code == 200
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
            )
            refused = await client.get("/notes", params={"q": "during"})
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            after = await client.get("/notes", params={"q": "after"})
    finally:
        await admin.close()

    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) > 0
    assert after.status_code == 200, after.text
    assert after.json() == {"q": "after"}
