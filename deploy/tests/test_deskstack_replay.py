"""``deskstack replay --since``: retained outbox rows committed since an instant go out again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.testing.outbox import scratch_schema, stage_escalations

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    async with scratch_schema(engine, prefix="replaytest") as name:
        yield name


async def test_deskstack_replay_marks_retained_rows_since_an_instant_unsent(
    engine: AsyncEngine, database_url: str, schema: str
) -> None:
    """``deskstack replay --since`` resets exactly the rows committed since the instant."""
    from datetime import UTC, datetime, timedelta

    from deskstack.replay import replay

    ticket = uuid.uuid4()
    await stage_escalations(engine, schema, ticket, range(3))
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
