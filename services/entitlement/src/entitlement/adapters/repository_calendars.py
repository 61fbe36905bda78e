"""Calendar versions in PostgreSQL (immutable: a change is a new version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import calendar
from entitlement.domain.calendar import CalendarOverrides


@dataclass(frozen=True)
class CalendarVersion:
    """One stored calendar version of a customer."""

    version: str
    customer_id: UUID
    seq: int
    overrides: CalendarOverrides
    created_at: datetime


class CalendarRepository:
    """Numbers, stores and reads calendar versions."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_seq(self, customer_id: UUID) -> int:
        """Return the number the customer's next calendar version gets (1, 2, ...)."""
        last = await self._session.scalar(
            select(func.coalesce(func.max(calendar.c.seq), 0)).where(
                calendar.c.customer_id == customer_id
            )
        )
        return (last or 0) + 1

    async def add(
        self, *, version: str, customer_id: UUID, seq: int, overrides: CalendarOverrides
    ) -> CalendarVersion:
        """Store a new version and return it (with the time it was stored)."""
        created = (
            await self._session.execute(
                insert(calendar)
                .values(
                    version=version, customer_id=customer_id, seq=seq, overrides=overrides.to_dict()
                )
                .returning(calendar.c.created_at)
            )
        ).scalar_one()
        return CalendarVersion(version, customer_id, seq, overrides, created)

    async def get(self, version: str) -> CalendarVersion | None:
        """Return a stored version, or None."""
        row = (
            await self._session.execute(select(calendar).where(calendar.c.version == version))
        ).one_or_none()
        if row is None:
            return None
        return CalendarVersion(
            row.version,
            row.customer_id,
            row.seq,
            CalendarOverrides.from_dict(row.overrides),
            row.created_at,
        )
