"""The ticket's SLA summary (``ticket_sla``): each timer as sla-clock's events left it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.orm import ticket_sla
from shared.statements import upsert


class SqlSlaSummary:
    """One row per (ticket, timer), over one session (one transaction)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def apply(
        self,
        *,
        ticket_id: UUID,
        timer: str,
        values: Mapping[str, object],
        event_type: str,
        at: datetime,
    ) -> None:
        """Insert the timer's row (running unless ``values`` says otherwise) or update ``values``."""
        changed = {"last_event_type": event_type, "updated_at": at, **values}
        stmt = upsert(ticket_sla, conflict=("ticket_id", "timer"), update=changed, touch=None)
        row = {"ticket_id": ticket_id, "timer": timer, "state": "running", **changed}
        await self._session.execute(stmt, row)
