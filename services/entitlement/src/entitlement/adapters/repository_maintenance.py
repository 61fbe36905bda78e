"""Maintenance plans, overrides and announced occurrences in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import maintenance_occurrence, maintenance_override, maintenance_plan
from entitlement.domain.maintenance import (
    AgreedWindow,
    Frequency,
    MaintenancePlan,
    Occurrence,
    OutsideWindow,
    Override,
    OverrideKind,
    WindowKind,
)
from entitlement.maintenance_io import StoredOverride, StoredPlan


def plan_columns(plan: MaintenancePlan) -> dict[str, Any]:
    """Return the columns that store ``plan``'s rule (the domain fields)."""
    window = plan.agreed_window
    return {
        "customer_id": plan.customer_id,
        "what": plan.what,
        "frequency": str(plan.frequency),
        "rrule": plan.rrule,
        "timezone": plan.timezone,
        "starts_at": plan.starts_at,
        "lead": plan.lead,
        "window": str(plan.window),
        "agreed_weekdays": sorted(window.weekdays) if window else None,
        "agreed_starts": window.starts if window else None,
        "agreed_ends": window.ends if window else None,
        "outside_window": str(plan.outside_window),
    }


def _stored(row: Any) -> StoredPlan:
    window = None
    if row.agreed_weekdays is not None:
        window = AgreedWindow(
            weekdays=frozenset(row.agreed_weekdays), starts=row.agreed_starts, ends=row.agreed_ends
        )
    plan = MaintenancePlan(
        plan_id=row.id,
        customer_id=row.customer_id,
        what=row.what,
        frequency=Frequency(row.frequency),
        rrule=row.rrule,
        timezone=row.timezone,
        starts_at=row.starts_at,
        lead=row.lead,
        window=WindowKind(row.window),
        agreed_window=window,
        outside_window=OutsideWindow(row.outside_window),
    )
    return StoredPlan(
        plan=plan,
        contract_id=row.contract_id,
        contact_id=row.contact_id,
        due_until=row.due_until,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class MaintenanceRepository:
    """Stores plans and their overrides; records each occurrence once, by its key."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, plan: MaintenancePlan, **extra: Any) -> StoredPlan:
        """Insert a plan; ``extra``: contract_id, contact_id, due_until."""
        row = (
            await self._session.execute(
                insert(maintenance_plan)
                .values(id=plan.plan_id, **plan_columns(plan), **extra)
                .returning(*maintenance_plan.c)
            )
        ).one()
        return _stored(row)

    async def get(self, plan_id: UUID, *, for_update: bool = False) -> StoredPlan | None:
        """Return one plan (locked when ``for_update``), or None."""
        stmt = select(maintenance_plan).where(maintenance_plan.c.id == plan_id)
        row = (await self._session.execute(stmt.with_for_update() if for_update else stmt)).first()
        return None if row is None else _stored(row)

    async def of_customer(self, customer_id: UUID) -> list[StoredPlan]:
        """Return a customer's plans, oldest first."""
        rows = await self._session.execute(
            select(maintenance_plan)
            .where(maintenance_plan.c.customer_id == customer_id)
            .order_by(maintenance_plan.c.created_at, maintenance_plan.c.id)
        )
        return [_stored(row) for row in rows]

    async def plan_ids(self) -> list[UUID]:
        """Return every plan's id (the scheduler visits each in its own transaction)."""
        return list(await self._session.scalars(select(maintenance_plan.c.id)))

    async def replace(self, plan: MaintenancePlan, **extra: Any) -> StoredPlan:
        """Replace a plan's rule (``extra`` as in :meth:`add`) and stamp ``updated_at``."""
        row = (
            await self._session.execute(
                update(maintenance_plan)
                .where(maintenance_plan.c.id == plan.plan_id)
                .values(**plan_columns(plan), **extra, updated_at=func.now())
                .returning(*maintenance_plan.c)
            )
        ).one()
        return _stored(row)

    async def delete(self, plan_id: UUID) -> None:
        """Delete a plan with its overrides and occurrence records."""
        await self._session.execute(
            delete(maintenance_plan).where(maintenance_plan.c.id == plan_id)
        )

    async def overrides(self, plan_id: UUID) -> dict[str, StoredOverride]:
        """Return the plan's overrides by occurrence key."""
        rows = await self._session.execute(
            select(maintenance_override).where(maintenance_override.c.plan_id == plan_id)
        )
        return {
            row.occurrence_key: StoredOverride(
                override=Override(kind=OverrideKind(row.kind), reason=row.reason, to=row.to_at),
                decided_by=row.decided_by,
            )
            for row in rows
        }

    async def put_override(
        self, key: str, *, plan_id: UUID, override: Override, by: str | None
    ) -> None:
        """Store (or replace) an agent's decision on one occurrence."""
        values = {
            "kind": str(override.kind),
            "to_at": override.to,
            "reason": override.reason,
            "decided_by": by,
        }
        await self._session.execute(
            insert(maintenance_override)
            .values(occurrence_key=key, plan_id=plan_id, **values)
            .on_conflict_do_update(index_elements=["occurrence_key"], set_=values)
        )

    async def announced(self, plan_id: UUID) -> set[str]:
        """Return the keys of the plan's occurrences already announced."""
        keys = await self._session.scalars(
            select(maintenance_occurrence.c.occurrence_key).where(
                maintenance_occurrence.c.plan_id == plan_id
            )
        )
        return set(keys)

    async def record(self, occurrence: Occurrence, *, now: datetime) -> bool:
        """Record a due occurrence; False when it already was (another pass or replica).

        ``ON CONFLICT DO NOTHING`` on the key: a concurrent insert of the same key waits
        for the other transaction and then inserts nothing, so one caller wins.
        """
        inserted = await self._session.scalar(
            insert(maintenance_occurrence)
            .values(
                occurrence_key=occurrence.key,
                plan_id=occurrence.plan_id,
                occurrence_id=occurrence.occurrence_id,
                original_at=occurrence.original_at,
                scheduled_at=occurrence.scheduled_at,
                outcome=str(occurrence.outcome),
                reason=occurrence.reason,
                announced_at=now,
            )
            .on_conflict_do_nothing(index_elements=["occurrence_key"])
            .returning(maintenance_occurrence.c.occurrence_key)
        )
        return inserted is not None

    async def rewind(self, plan_id: UUID, to: datetime) -> None:
        """Move the plan's watermark back (never forward) to ``to``."""
        await self._session.execute(
            update(maintenance_plan)
            .where(maintenance_plan.c.id == plan_id)
            .values(due_until=func.least(maintenance_plan.c.due_until, to))
        )

    async def advance(self, plan_id: UUID, until: datetime) -> None:
        """Move the plan's watermark forward (never back) to ``until``."""
        await self._session.execute(
            update(maintenance_plan)
            .where(maintenance_plan.c.id == plan_id)
            .values(due_until=func.greatest(maintenance_plan.c.due_until, until))
        )
