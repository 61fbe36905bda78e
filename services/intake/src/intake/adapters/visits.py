"""SQL for on-site visits: one row per visit, its state as the workflow left it."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.orm import visit
from intake.domain.visits import Visit, VisitStatus

_FIELDS = ("status", "scheduled_at", "engineer", "time_spent", "done_at", "cancel_reason")


def _row(item: Visit) -> dict[str, Any]:
    values = dataclasses.asdict(item)
    values["id"] = values.pop("visit_id")
    values["status"] = str(item.status)
    return values


def visit_of(row: Any) -> Visit:
    """The Visit a ``visit`` row holds."""
    data = {f.name: getattr(row, f.name) for f in dataclasses.fields(Visit) if f.name != "visit_id"}
    data["status"] = VisitStatus(data["status"])
    return Visit(visit_id=row.id, **data)


class SqlVisitRepository:
    """On-site visits in intake's schema."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, item: Visit) -> None:
        await self._session.execute(insert(visit).values(**_row(item)))

    async def save(self, item: Visit) -> None:
        values = {k: v for k, v in _row(item).items() if k in _FIELDS}
        await self._session.execute(
            update(visit).where(visit.c.id == item.visit_id).values(**values, updated_at=func.now())
        )

    async def get(self, ticket_id: UUID, visit_id: UUID) -> Visit | None:
        row = (
            await self._session.execute(
                select(visit)
                .where(visit.c.id == visit_id, visit.c.ticket_id == ticket_id)
                .with_for_update()
            )
        ).one_or_none()
        return None if row is None else visit_of(row)

    async def of_ticket(self, ticket_id: UUID) -> list[Visit]:
        rows = await self._session.execute(
            select(visit).where(visit.c.ticket_id == ticket_id).order_by(visit.c.created_at)
        )
        return [visit_of(r) for r in rows]
