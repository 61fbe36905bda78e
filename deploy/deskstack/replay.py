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

import asyncpg

from deskstack.services import SERVICES
from shared.settings import libpq_url


async def replay(
    database_url: str, since: datetime, schemas: Sequence[str] | None = None
) -> dict[str, int]:
    """Mark rows committed at or after ``since`` unsent, per service schema; return counts."""
    counts: dict[str, int] = {}
    conn = await asyncpg.connect(libpq_url(database_url))
    try:
        for schema in schemas or [spec.schema for spec in SERVICES]:
            exists = await conn.fetchval("SELECT to_regclass($1)", f'"{schema}".outbox')
            if exists is None:
                continue
            async with conn.transaction():
                # The relay's lock: no row is half-published while we reset it.
                await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"{schema}.outbox")
                status = await conn.execute(
                    f'UPDATE "{schema}".outbox SET published_at = NULL '
                    "WHERE published_at IS NOT NULL AND created_at >= $1",
                    since,
                )
            counts[schema] = int(status.split()[-1])
    finally:
        await conn.close()
    return counts
