"""Releases and public patches in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import customer, release
from entitlement.adapters.sql import lists_product, tier_rank
from entitlement.domain.catalogue import CATALOGUE, Tier
from entitlement.readmodels import ReleaseRead
from entitlement.uow import ReleaseExists


def release_read(row: Any) -> ReleaseRead:
    """Map a release row to the read model."""
    return ReleaseRead(
        id=row.id,
        product=row.product,
        version=row.version,
        kind=row.kind,
        notes=row.notes,
        customer_ids=list(row.customer_ids),
        published_at=row.published_at,
    )


class ReleaseRepository:
    """Stores releases and finds the customers one concerns."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def customers_served(self, product: str, *, at_least: Tier, now: datetime) -> list[UUID]:
        """Return the customers that list ``product`` and have ``at_least`` that tier now."""
        ids = await self._session.scalars(
            select(customer.c.id)
            .where(lists_product(product), tier_rank(now) >= CATALOGUE[at_least].rank)
            .order_by(customer.c.id)
        )
        return list(ids)

    async def add(self, values: dict[str, Any]) -> ReleaseRead:
        """Insert a release.

        Raises:
            ReleaseExists: the same kind and version of the product is already there.
        """
        try:
            row = (
                await self._session.execute(insert(release).values(**values).returning(release))
            ).one()
        except IntegrityError:
            raise ReleaseExists from None
        return release_read(row)

    async def page(self, *, product: str | None, limit: int, offset: int) -> list[ReleaseRead]:
        """Return releases, newest first (maybe of one product)."""
        stmt = select(release)
        if product:
            stmt = stmt.where(func.lower(release.c.product) == product.strip().lower())
        rows = await self._session.execute(
            stmt.order_by(release.c.published_at.desc(), release.c.id).limit(limit).offset(offset)
        )
        return [release_read(r) for r in rows.all()]

    async def get(self, release_id: UUID) -> ReleaseRead | None:
        """Return one release, or None."""
        row = (
            await self._session.execute(select(release).where(release.c.id == release_id))
        ).one_or_none()
        return None if row is None else release_read(row)
