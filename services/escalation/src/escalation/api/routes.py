"""Routes of escalation: staff, duty roster, policies, escalations. Each route is thin."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from escalation.adapters.uow import EscalationUnitOfWork
from escalation.api import mapping
from escalation.api.schemas import (
    DutyCreate,
    DutyRead,
    EscalationRead,
    StaffCreate,
    StaffRead,
    StaffUpdate,
)
from escalation.domain.commands import EscalationFilter, StaffFilter
from escalation.usecases import escalations, people
from shared.auth import ANYONE, Principal, Role, require
from shared.errors import Forbidden

router = APIRouter(tags=["escalation"])

Agent = Annotated[Principal, Depends(require(Role.agent))]  # agent, manager, admin
Manager = Annotated[Principal, Depends(require(Role.manager))]
Caller = Annotated[Principal, Depends(require(*ANYONE))]


def _uow(request: Request) -> EscalationUnitOfWork:
    uow: EscalationUnitOfWork = request.app.state.runtime.uow()
    return uow


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.runtime.clock.now()
    return now


Uow = Annotated[EscalationUnitOfWork, Depends(_uow)]
Now = Annotated[datetime, Depends(_now)]


def _admin_flag_by_admin(who: Principal, admin: bool | None) -> None:
    """Only an admin makes (or unmakes) an admin: a manager may not raise their own role."""
    if admin is not None and who.role != Role.admin:
        raise Forbidden(
            "Only an admin may set a staff member's admin flag; leave 'admin' out.",
            slug="admin-flag-by-admin",
        )


@router.post("/staff", status_code=201, tags=["staff"])
async def create_staff(body: StaffCreate, uow: Uow, who: Manager) -> StaffRead:
    """Add a member of the vendor's support staff (manager and up; ``admin`` by admins)."""
    _admin_flag_by_admin(who, body.admin or None)
    return mapping.staff_read(await people.create_staff(uow, mapping.new_staff(body)))


@router.get("/staff", tags=["staff"])
async def list_staff(
    uow: Uow,
    _: Agent,
    line: Annotated[int | None, Query(ge=1, le=3)] = None,
    role: Literal["engineer", "lead", "manager"] | None = None,
    active: bool | None = None,
) -> list[StaffRead]:
    """List support staff, optionally by line, role and active flag."""
    found = await people.list_staff(uow, StaffFilter(line=line, role=role, active=active))
    return [mapping.staff_read(m) for m in found]


@router.get("/staff/{staff_id}", tags=["staff"])
async def get_staff(staff_id: UUID, uow: Uow, _: Agent) -> StaffRead:
    return mapping.staff_read(await people.get_staff(uow, staff_id))


@router.patch("/staff/{staff_id}", tags=["staff"])
async def update_staff(staff_id: UUID, body: StaffUpdate, uow: Uow, who: Manager) -> StaffRead:
    """Change a staff member (deactivate with ``{"active": false}``; ``admin`` by admins)."""
    _admin_flag_by_admin(who, body.admin)
    changed = await people.update_staff(uow, staff_id, mapping.staff_changes(body))
    return mapping.staff_read(changed)


@router.post("/duty", status_code=201, tags=["duty"])
async def create_duty(body: DutyCreate, uow: Uow, _: Manager) -> DutyRead:
    """Put a staff member on duty for a line over an interval (shifts may overlap)."""
    return mapping.duty_read(await people.create_shift(uow, mapping.new_shift(body)))


@router.get("/duty", tags=["duty"])
async def list_duty(
    uow: Uow,
    now: Now,
    _: Agent,
    line: Annotated[int | None, Query(ge=1, le=3)] = None,
    at: datetime | None = None,
) -> list[DutyRead]:
    """Shifts covering instant ``at`` (default: now), optionally of one line."""
    return [mapping.duty_read(s) for s in await people.shifts_at(uow, line=line, at=at or now)]


@router.get("/escalation-policies", tags=["escalation-policies"])
async def list_policies(uow: Uow, _: Agent) -> list[dict[str, Any]]:
    """The default policy and every contract's own, with their versions."""
    return [mapping.policy_read(p) for p in await people.list_policies(uow)]


@router.get("/escalations")
async def list_escalations(
    uow: Uow,
    who: Caller,
    ticket_id: UUID | None = None,
    customer_id: UUID | None = None,
    line: Annotated[int | None, Query(ge=1, le=3)] = None,
    state: Literal["open", "acknowledged"] | None = None,
    out_of_hours: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[EscalationRead]:
    """Escalations, newest first; a customer-bound key sees only its customer's."""
    scope = who.customer_scope
    if scope is not None:
        if customer_id is not None and customer_id != scope:
            return []
        customer_id = scope
    where = EscalationFilter(
        ticket_id=ticket_id,
        customer_id=customer_id,
        line=line,
        state=state,
        out_of_hours=out_of_hours,
        limit=limit,
    )
    return [mapping.escalation_read(e) for e in await escalations.list_escalations(uow, where)]


@router.get("/escalations/{escalation_id}")
async def get_escalation(escalation_id: UUID, uow: Uow, who: Caller) -> EscalationRead:
    found = await escalations.get_escalation(uow, escalation_id)
    who.scope(found.customer_id, what="escalation")
    return mapping.escalation_read(found)


@router.post("/escalations/{escalation_id}/acknowledge")
async def acknowledge(escalation_id: UUID, uow: Uow, now: Now, who: Agent) -> EscalationRead:
    """Take responsibility for an escalation (its line's OLA is met)."""
    by = who.key_id or str(who.role)
    return mapping.escalation_read(
        await escalations.acknowledge(uow, escalation_id, by=by, now=now)
    )


@router.get("/tickets/{ticket_id}/escalations")
async def ticket_escalations(ticket_id: UUID, uow: Uow, who: Caller) -> list[EscalationRead]:
    """A ticket's escalations, oldest first (404 for a ticket of another customer)."""
    found = await escalations.ticket_escalations(uow, ticket_id, scope=who.customer_scope)
    return [mapping.escalation_read(e) for e in found]
