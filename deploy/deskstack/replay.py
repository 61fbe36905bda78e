"""``deskstack replay --since T``: publish again every retained event committed since T.

For a broker that lost data the relays did not notice (a cluster restored from a
backup whose offsets happen to be ahead), or to feed a new consumer group.
It marks the retained outbox rows of every service unsent; each running relay
publishes them again in their original order, and consumers' inboxes absorb
what they had already applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text

from deskstack.services import SERVICES
from shared.db import create_engine
from shared.messaging.relay import mark_unsent
from shared.settings import DatabaseSettings


async def replay(
    database_url: str, since: datetime, schemas: Sequence[str] | None = None
) -> dict[str, int]:
    """Mark rows committed at or after ``since`` unsent, per service schema; return counts."""
    counts: dict[str, int] = {}
    engine = create_engine(DatabaseSettings(url=database_url))
    try:
        for schema in schemas or [spec.schema for spec in SERVICES]:
            async with engine.connect() as conn:
                exists = await conn.scalar(
                    text("SELECT to_regclass(:t)"), {"t": f'"{schema}".outbox'}
                )
            if exists is not None:
                counts[schema] = await mark_unsent(engine, schema, since)
    finally:
        await engine.dispose()
    return counts
