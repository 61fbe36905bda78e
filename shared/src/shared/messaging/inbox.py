"""The inbox: processed (handler, event id) pairs, so a redelivered event has no second effect."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class Inbox:
    """Claims events inside the handler's transaction (eventsourcing's tracking table)."""

    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self._session = session
        self._schema = schema

    async def claim(self, event_id: UUID, *, handler: str, event_type: str = "") -> bool:
        """Record the event as processed by ``handler``; False if it already was."""
        result = await self._session.execute(
            text(
                f'INSERT INTO "{self._schema}".inbox (handler, event_id, event_type) '
                "VALUES (:handler, :event_id, :event_type) ON CONFLICT DO NOTHING RETURNING 1"
            ),
            {"handler": handler, "event_id": event_id, "event_type": event_type},
        )
        return result.scalar() is not None
