"""Routes of maintenance plans (premium): staff manage them, a customer's key reads its own."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from entitlement.api.routes import NowDep, OwnReader, UowDep, own
from entitlement.domain.maintenance import Override, OverrideKind
from entitlement.maintenance_io import (
    MAX_NEXT,
    MaintenancePlanIn,
    MaintenancePlanRead,
    MoveIn,
    SkipIn,
)
from entitlement.usecases import maintenance
from shared.auth import Principal, Role

router = APIRouter(tags=["maintenance"])

OwnStaff = Annotated[Principal, own(Role.agent)]
PATH = "/customers/{customer_id}/maintenance"


@router.get(PATH)
async def list_plans(
    customer_id: UUID,
    uow: UowDep,
    now: NowDep,
    _: OwnReader,
    count: Annotated[int, Query(ge=0, le=MAX_NEXT, description="Next occurrences per plan")] = 5,
) -> list[MaintenancePlanRead]:
    """The customer's maintenance plans, each with its next occurrences (moved/skipped marked)."""
    return await maintenance.list_plans(uow, customer_id=customer_id, now=now, count=count)


@router.post(PATH, status_code=201)
async def create_plan(
    customer_id: UUID, body: MaintenancePlanIn, uow: UowDep, now: NowDep, _: OwnStaff
) -> MaintenancePlanRead:
    """Give a premium customer a maintenance plan (403 naming the tiers for any other)."""
    return await maintenance.create_plan(body, uow, customer_id=customer_id, now=now)


@router.put(PATH + "/{plan_id}")
async def replace_plan(
    customer_id: UUID,
    plan_id: UUID,
    body: MaintenancePlanIn,
    uow: UowDep,
    now: NowDep,
    _: OwnStaff,
) -> MaintenancePlanRead:
    """Replace a plan's rule; occurrences already announced are not announced again."""
    return await maintenance.replace_plan(
        body, uow, customer_id=customer_id, plan_id=plan_id, now=now
    )


@router.delete(PATH + "/{plan_id}", status_code=204)
async def delete_plan(
    customer_id: UUID, plan_id: UUID, uow: UowDep, now: NowDep, _: OwnStaff
) -> Response:
    """Delete a plan; tickets already opened for it stay."""
    await maintenance.delete_plan(uow, customer_id=customer_id, plan_id=plan_id, now=now)
    return Response(status_code=204)


@router.post(PATH + "/occurrences/{key}/skip")
async def skip_occurrence(
    customer_id: UUID, key: str, body: SkipIn, uow: UowDep, now: NowDep, who: OwnStaff
) -> MaintenancePlanRead:
    """Skip one occurrence, with the reason (announced when it comes due)."""
    override = Override(kind=OverrideKind.skip, reason=body.reason)
    return await maintenance.override_occurrence(
        override, uow, customer_id=customer_id, key=key, by=who.key_id or None, now=now
    )


@router.post(PATH + "/occurrences/{key}/move")
async def move_occurrence(
    customer_id: UUID, key: str, body: MoveIn, uow: UowDep, now: NowDep, who: OwnStaff
) -> MaintenancePlanRead:
    """Move one occurrence (within 31 days), with the reason."""
    override = Override(kind=OverrideKind.move, reason=body.reason, to=body.to)
    return await maintenance.override_occurrence(
        override, uow, customer_id=customer_id, key=key, by=who.key_id or None, now=now
    )
