"""Customers in PostgreSQL, read with their effective tier now."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import customer
from entitlement.adapters.sql import RANK_TIER, lists_product, tier_rank
from entitlement.domain.calendar import DEFAULT_CALENDAR_VERSION
from entitlement.domain.catalogue import CATALOGUE, Tier
from entitlement.readmodels import CustomerRead


def customer_read(row: Any) -> CustomerRead:
    """Map a customer row (with its ``tier_rank`` if selected) to the read model."""
    rank = getattr(row, "tier_rank", None)
    return CustomerRead(
        id=row.id,
        name=row.name,
        trained_specialists=row.trained_specialists,
        warranty_until=row.warranty_until,
        products=list(row.products),
        timezone=row.timezone,
        calendar_version=row.calendar_version or DEFAULT_CALENDAR_VERSION,
        tier=RANK_TIER[rank].value if rank is not None else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class CustomerRepository:
    """Loads, locks, pages and changes customers."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, customer_id: UUID, *, now: datetime) -> CustomerRead | None:
        """Return the customer with its effective tier at ``now``, or None."""
        row = (
            await self._session.execute(
                select(customer, tier_rank(now).label("tier_rank")).where(
                    customer.c.id == customer_id
                )
            )
        ).one_or_none()
        return None if row is None else customer_read(row)

    async def lock(self, customer_id: UUID) -> bool:
        """Lock the customer's row (serialises its contact and contract changes)."""
        locked = await self._session.scalar(
            select(customer.c.id).where(customer.c.id == customer_id).with_for_update()
        )
        return locked is not None

    async def add(self, customer_id: UUID, values: dict[str, Any]) -> None:
        """Insert a customer."""
        await self._session.execute(insert(customer).values(id=customer_id, **values))

    async def update(self, customer_id: UUID, values: dict[str, Any]) -> None:
        """Change a customer's columns (and its ``updated_at``)."""
        await self._session.execute(
            update(customer)
            .where(customer.c.id == customer_id)
            .values(**values, updated_at=func.now())
        )

    async def page(
        self,
        *,
        now: datetime,
        limit: int,
        offset: int,
        name: str | None,
        tier: Tier | None,
        product: str | None,
        only: UUID | None,
    ) -> tuple[list[CustomerRead], int]:
        """Return a page of customers, oldest first, and how many match in all."""
        rank = tier_rank(now)
        conditions: list[Any] = [] if only is None else [customer.c.id == only]
        if name:
            escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(customer.c.name.ilike(f"%{escaped}%", escape="\\"))
        if tier is not None:
            conditions.append(rank == CATALOGUE[tier].rank)
        if product:
            conditions.append(lists_product(product))
        where = and_(true(), *conditions)
        total = await self._session.scalar(select(func.count()).select_from(customer).where(where))
        rows = (
            await self._session.execute(
                select(customer, rank.label("tier_rank"))
                .where(where)
                .order_by(customer.c.created_at, customer.c.id)
                .limit(limit)
                .offset(offset)
            )
        ).all()
        return [customer_read(r) for r in rows], total or 0
