"""Contracts in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import contract
from entitlement.readmodels import ContractRead
from entitlement.uow import Instant, Stamp


def contract_read(row: Any, now: datetime) -> ContractRead:
    """Map a contract row to the read model, with its status at ``now``."""
    status = "scheduled" if now < row.starts_at else "active" if now < row.ends_at else "ended"
    return ContractRead(
        id=row.id,
        customer_id=row.customer_id,
        tier=row.tier,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=status,
        dedicated_manager=row.dedicated_manager,
        dedicated_engineer=row.dedicated_engineer,
        escalation_policy=row.escalation_policy,
        alert_severity_map=row.alert_severity_map,
        alert_severity_label=row.alert_severity_label,
        policy_version=row.policy_version,
        shortened_pre_holidays=row.shortened_pre_holidays,
        expiry_announced_at=row.expired_at,
        created_at=row.created_at,
    )


class ContractRepository:
    """Stores contracts and claims those whose start or end has passed."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, values: dict[str, Any], *, now: datetime) -> ContractRead:
        """Insert a contract (``values`` are its columns) and return it."""
        row = (
            await self._session.execute(insert(contract).values(**values).returning(contract))
        ).one()
        return contract_read(row, now)

    async def get(
        self, customer_id: UUID, contract_id: UUID, *, now: datetime
    ) -> ContractRead | None:
        """Return one contract of a customer, or None."""
        row = (
            await self._session.execute(
                select(contract).where(
                    contract.c.id == contract_id, contract.c.customer_id == customer_id
                )
            )
        ).one_or_none()
        return None if row is None else contract_read(row, now)

    async def of_customer(self, customer_id: UUID, *, now: datetime) -> list[ContractRead]:
        """Return a customer's contracts, newest start first."""
        rows = (
            await self._session.execute(
                select(contract)
                .where(contract.c.customer_id == customer_id)
                .order_by(contract.c.starts_at.desc(), contract.c.id)
            )
        ).all()
        return [contract_read(r, now) for r in rows]

    async def update(
        self, contract_id: UUID, values: dict[str, Any], *, now: datetime
    ) -> ContractRead:
        """Change a contract's columns (and its ``updated_at``) and return it."""
        row = (
            await self._session.execute(
                update(contract)
                .where(contract.c.id == contract_id)
                .values(**values, updated_at=func.now())
                .returning(contract)
            )
        ).one()
        return contract_read(row, now)

    async def claim_passed(
        self, *, instant: Instant, stamp: Stamp, now: datetime, batch: int
    ) -> list[UUID]:
        """Lock (``SKIP LOCKED``) up to ``batch`` contracts whose ``instant`` passed unstamped."""
        column = contract.c[instant]
        ids = await self._session.scalars(
            select(contract.c.id)
            .where(contract.c[stamp].is_(None), column <= now)
            .order_by(column)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        return list(ids)

    async def next_passing(self, *, instant: Instant, stamp: Stamp) -> datetime | None:
        """The earliest ``instant`` still unstamped (the job sleeps until it)."""
        at: datetime | None = await self._session.scalar(
            select(func.min(contract.c[instant])).where(contract.c[stamp].is_(None))
        )
        return at

    async def stamp(self, contract_id: UUID, stamp: Stamp, *, now: datetime) -> ContractRead:
        """Record that a claimed contract's instant was announced, and return it."""
        row = (
            await self._session.execute(
                update(contract)
                .where(contract.c.id == contract_id)
                .values({stamp: now})
                .returning(contract)
            )
        ).one()
        return contract_read(row, now)
