"""``deskstack replay --since``: retained outbox rows committed since an instant go out again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.events.escalations import EscalationRaised

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    name = f"replaytest_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
    yield name
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


async def _stage(engine: AsyncEngine, schema: str, ticket: uuid.UUID, levels: range) -> None:
    async with UnitOfWork(sessionmaker(engine), schema=schema, source="test") as uow:
        for level in levels:
            await uow.outbox.publish(
                EscalationRaised(ticket_id=ticket, level=level, trigger="test"), subject=str(ticket)
            )
        await uow.commit()


async def test_deskstack_replay_marks_retained_rows_since_an_instant_unsent(
    engine: AsyncEngine, database_url: str, schema: str
) -> None:
    """``deskstack replay --since`` resets exactly the rows committed since the instant."""
    from datetime import UTC, datetime, timedelta

    from deskstack.replay import replay

    ticket = uuid.uuid4()
    await _stage(engine, schema, ticket, range(3))
    async with engine.begin() as conn:
        await conn.execute(
            text(
                f'UPDATE "{schema}".outbox SET published_at = now(), '
                "created_at = now() - interval '2 hours' WHERE payload->'data'->>'level' = '0'"
            )
        )
        await conn.execute(
            text(f'UPDATE "{schema}".outbox SET published_at = now() WHERE published_at IS NULL')
        )

    counts = await replay(database_url, datetime.now(UTC) - timedelta(hours=1), [schema])

    assert counts[schema] == 2
    async with engine.connect() as conn:
        unsent = (
            (
                await conn.execute(
                    text(
                        f"SELECT payload->'data'->>'level' FROM \"{schema}\".outbox "
                        "WHERE published_at IS NULL ORDER BY seq"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert unsent == ["1", "2"]
