"""Use cases of the vendor's people: staff, the duty roster, and the policies they work to."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from escalation.domain.commands import NewShift, NewStaff, StaffFilter
from escalation.domain.errors import EmailTaken
from escalation.domain.model import Shift, StaffMember, StoredPolicy
from escalation.uow import UnitOfWork
from shared.errors import Conflict, NotFound, Unprocessable
from shared.escalation_policy import default_policy
from shared.events.base import new_id

# A PATCH may clear these to null; the others a staff member always has.
NOT_NULL = ("name", "email", "language", "line", "role", "active", "admin")


def _no_staff(staff_id: UUID, advice: str = ".") -> NotFound:
    return NotFound(f"No staff member {staff_id}{advice}", slug="unknown-staff")


async def create_staff(uow: UnitOfWork, cmd: NewStaff) -> StaffMember:
    """Add a staff member; an email already on the staff is a conflict."""
    async with uow:
        try:
            member = await uow.staff.add(new_id(), cmd)
        except EmailTaken:
            raise Conflict(
                f"A staff member with email {cmd.email} exists; PATCH it instead.",
                slug="staff-email-taken",
            ) from None
        await uow.commit()
    return member


async def list_staff(uow: UnitOfWork, where: StaffFilter) -> list[StaffMember]:
    """Staff members by line and name."""
    async with uow:
        return await uow.staff.listed(where)


async def get_staff(uow: UnitOfWork, staff_id: UUID) -> StaffMember:
    """One staff member; NotFound if there is none."""
    async with uow:
        member = await uow.staff.get(staff_id)
    if member is None:
        raise _no_staff(staff_id, "; list them with GET /api/v1/staff.")
    return member


async def update_staff(uow: UnitOfWork, staff_id: UUID, changes: dict[str, Any]) -> StaffMember:
    """Change the given fields (none: the member as it is); a field that must stay set is 422."""
    for key in NOT_NULL:
        if key in changes and changes[key] is None:
            raise Unprocessable(f"{key} cannot be null.", slug="null-field", field=key)
    if not changes:
        return await get_staff(uow, staff_id)
    async with uow:
        try:
            member = await uow.staff.update(staff_id, changes)
        except EmailTaken:
            raise Conflict(
                "Another staff member has that email.", slug="staff-email-taken"
            ) from None
        if member is None:
            raise _no_staff(staff_id)
        await uow.commit()
    return member


async def create_shift(uow: UnitOfWork, cmd: NewShift) -> Shift:
    """Put a staff member on duty (on the member's own line unless the shift names one)."""
    async with uow:
        member = await uow.staff.get(cmd.staff_id)
        if member is None:
            raise Unprocessable(
                f"No staff member {cmd.staff_id}; create one with POST /api/v1/staff.",
                slug="unknown-staff",
                field="staff_id",
            )
        line = cmd.line or member.line
        shift_id = new_id()
        await uow.staff.add_shift(shift_id, cmd, line=line)
        await uow.commit()
    return Shift(
        id=shift_id,
        staff_id=cmd.staff_id,
        staff_name=member.name,
        line=line,
        starts_at=cmd.starts_at,
        ends_at=cmd.ends_at,
    )


async def shifts_at(uow: UnitOfWork, *, line: int | None, at: datetime) -> list[Shift]:
    """The shifts covering instant ``at``, optionally of one line."""
    async with uow:
        return await uow.staff.shifts(line, at)


async def list_policies(uow: UnitOfWork) -> list[StoredPolicy]:
    """The default policy, then every contract's own with its versions."""
    async with uow:
        stored = await uow.contracts.policies()
    default = default_policy()
    return [
        StoredPolicy(default.version, None, default.model_dump(mode="json"), default=True),
        *stored,
    ]
