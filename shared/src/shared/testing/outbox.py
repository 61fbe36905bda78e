"""A scratch schema with the outbox and inbox tables, and escalations staged in it.

Relay and replay tests need a schema of their own (not a service's) so that only
their relay reads it; they share these instead of each writing them again.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.events.escalations import EscalationRaised


@contextlib.asynccontextmanager
async def scratch_schema(engine: AsyncEngine, *, prefix: str) -> AsyncIterator[str]:
    """A new schema ``<prefix>_<random>`` with the messaging tables, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
    try:
        yield name
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


async def stage_escalations(
    engine: AsyncEngine, schema: str, ticket: uuid.UUID, levels: range
) -> None:
    """Commit one ``escalation.raised`` per level for ``ticket`` into ``schema``'s outbox."""
    async with UnitOfWork(sessionmaker(engine), schema=schema, source="test") as uow:
        for level in levels:
            await uow.outbox.publish(
                EscalationRaised(ticket_id=ticket, level=level, trigger="test"), subject=str(ticket)
            )
        await uow.commit()
