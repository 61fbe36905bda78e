"""Use cases behind the escalation API: staff, duty, policies, escalations, acknowledgement."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from escalation.adapters.uow import EscalationUnitOfWork
from escalation.api.schemas import (
    DutyCreate,
    DutyRead,
    EscalationRead,
    StaffCreate,
    StaffRead,
    StaffUpdate,
)
from escalation.ola import meet_ola
from shared.errors import Conflict, NotFound, Unprocessable
from shared.escalation_policy import default_policy
from shared.events.base import new_id
from shared.events.escalations import EscalationAcknowledged

_STAFF_COLS = "id, name, email, chat_id, phone, language, line, role, active"


def _staff(row: Any) -> StaffRead:
    return StaffRead.model_validate(row, from_attributes=True)


def _escalation(row: Any) -> EscalationRead:
    recipients = row.recipients if isinstance(row.recipients, list) else json.loads(row.recipients)
    return EscalationRead.model_validate(
        {**row._mapping, "id": row.id, "recipients": recipients}, from_attributes=False
    )


async def create_staff(uow: EscalationUnitOfWork, body: StaffCreate) -> StaffRead:
    async with uow:
        try:
            row = await uow.repo.one(
                f"INSERT INTO {{s}}.staff ({_STAFF_COLS}) VALUES "
                "(:id, :name, :email, :chat_id, :phone, :language, :line, :role, :active) "
                f"RETURNING {_STAFF_COLS}",
                id=new_id(),
                **body.model_dump(mode="json"),
            )
        except IntegrityError:
            raise Conflict(
                f"A staff member with email {body.email} exists; PATCH it instead.",
                slug="staff-email-taken",
            ) from None
        await uow.commit()
    return _staff(row)


async def list_staff(
    uow: EscalationUnitOfWork, *, line: int | None, role: str | None, active: bool | None
) -> list[StaffRead]:
    async with uow:
        rows = await uow.repo.rows(
            f"SELECT {_STAFF_COLS} FROM {{s}}.staff WHERE "
            "(CAST(:line AS smallint) IS NULL OR line = :line) "
            "AND (CAST(:role AS text) IS NULL OR role = :role) "
            "AND (CAST(:active AS boolean) IS NULL OR active = :active) ORDER BY line, name",
            line=line,
            role=role,
            active=active,
        )
    return [_staff(r) for r in rows]


async def get_staff(uow: EscalationUnitOfWork, staff_id: UUID) -> StaffRead:
    async with uow:
        row = await uow.repo.one(
            f"SELECT {_STAFF_COLS} FROM {{s}}.staff WHERE id = :id", id=staff_id
        )
    if row is None:
        raise NotFound(
            f"No staff member {staff_id}; list them with GET /api/v1/staff.", slug="unknown-staff"
        )
    return _staff(row)


async def update_staff(uow: EscalationUnitOfWork, staff_id: UUID, body: StaffUpdate) -> StaffRead:
    changes = body.model_dump(mode="json", exclude_unset=True)
    for key in ("name", "email", "language", "line", "role", "active"):
        if key in changes and changes[key] is None:
            raise Unprocessable(f"{key} cannot be null.", slug="null-field", field=key)
    if not changes:
        return await get_staff(uow, staff_id)
    sets = ", ".join(f"{k} = :{k}" for k in changes)
    async with uow:
        try:
            row = await uow.repo.one(
                f"UPDATE {{s}}.staff SET {sets}, updated_at = now() WHERE id = :id "
                f"RETURNING {_STAFF_COLS}",
                id=staff_id,
                **changes,
            )
        except IntegrityError:
            raise Conflict(
                "Another staff member has that email.", slug="staff-email-taken"
            ) from None
        if row is None:
            raise NotFound(f"No staff member {staff_id}.", slug="unknown-staff")
        await uow.commit()
    return _staff(row)


async def create_duty(uow: EscalationUnitOfWork, body: DutyCreate) -> DutyRead:
    async with uow:
        staff = await uow.repo.one("SELECT * FROM {s}.staff WHERE id = :id", id=body.staff_id)
        if staff is None:
            raise Unprocessable(
                f"No staff member {body.staff_id}; create one with POST /api/v1/staff.",
                slug="unknown-staff",
                field="staff_id",
            )
        line = body.line or staff.line
        duty_id = new_id()
        await uow.repo.rows(
            "INSERT INTO {s}.duty (id, staff_id, line, starts_at, ends_at) "
            "VALUES (:id, :staff, :line, :starts, :ends) RETURNING id",
            id=duty_id,
            staff=body.staff_id,
            line=line,
            starts=body.starts_at,
            ends=body.ends_at,
        )
        await uow.commit()
    return DutyRead(
        id=duty_id,
        staff_id=body.staff_id,
        staff_name=staff.name,
        line=line,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
    )


async def list_duty(uow: EscalationUnitOfWork, *, line: int | None, at: datetime) -> list[DutyRead]:
    async with uow:
        rows = await uow.repo.rows(
            "SELECT d.id, d.staff_id, s.name AS staff_name, d.line, d.starts_at, d.ends_at "
            "FROM {s}.duty d JOIN {s}.staff s ON s.id = d.staff_id "
            "WHERE (CAST(:line AS smallint) IS NULL OR d.line = :line) "
            "AND d.starts_at <= :at AND d.ends_at > :at ORDER BY d.line, d.starts_at",
            line=line,
            at=at,
        )
    return [DutyRead.model_validate(r, from_attributes=True) for r in rows]


async def list_policies(uow: EscalationUnitOfWork) -> list[dict[str, Any]]:
    async with uow:
        rows = await uow.repo.rows(
            "SELECT version, contract_id, document FROM {s}.policy ORDER BY created_at"
        )
    default = {"version": default_policy().version, "contract_id": None, "default": True}
    return [
        {**default, "policy": default_policy().model_dump(mode="json")},
        *(
            {
                "version": r.version,
                "contract_id": r.contract_id,
                "default": False,
                "policy": r.document,
            }
            for r in rows
        ),
    ]


async def list_escalations(
    uow: EscalationUnitOfWork,
    *,
    ticket_id: UUID | None,
    customer_id: UUID | None,
    line: int | None,
    state: str | None,
    out_of_hours: bool | None,
    limit: int,
) -> list[EscalationRead]:
    async with uow:
        rows = await uow.repo.rows(
            "SELECT * FROM {s}.escalation WHERE "
            "(CAST(:t AS uuid) IS NULL OR ticket_id = :t) "
            "AND (CAST(:c AS uuid) IS NULL OR customer_id = :c) "
            "AND (CAST(:l AS smallint) IS NULL OR coalesce(to_line, from_line) = :l) "
            "AND (CAST(:st AS text) IS NULL OR (:st = 'open') = (acknowledged_at IS NULL)) "
            "AND (CAST(:ooh AS boolean) IS NULL OR out_of_hours = :ooh) "
            "ORDER BY raised_at DESC, id DESC LIMIT :n",
            t=ticket_id,
            c=customer_id,
            l=line,
            st=state,
            ooh=out_of_hours,
            n=limit,
        )
    return [_escalation(r) for r in rows]


async def get_escalation(uow: EscalationUnitOfWork, escalation_id: UUID) -> EscalationRead:
    async with uow:
        row = await uow.repo.one("SELECT * FROM {s}.escalation WHERE id = :id", id=escalation_id)
    if row is None:
        raise NotFound(f"No escalation {escalation_id}.", slug="unknown-escalation")
    return _escalation(row)


async def acknowledge(
    uow: EscalationUnitOfWork, escalation_id: UUID, *, by: str, now: datetime
) -> EscalationRead:
    """First acknowledgement wins; a repeat answers the stored one (idempotent)."""
    async with uow:
        row = await uow.repo.one(
            "SELECT * FROM {s}.escalation WHERE id = :id FOR UPDATE", id=escalation_id
        )
        if row is None:
            raise NotFound(f"No escalation {escalation_id}.", slug="unknown-escalation")
        if row.acknowledged_at is not None:
            return _escalation(row)
        row = await uow.repo.one(
            "UPDATE {s}.escalation SET acknowledged_at = :now, acknowledged_by = :by "
            "WHERE id = :id RETURNING *",
            id=escalation_id,
            now=now,
            by=by,
        )
        assert row is not None
        await meet_ola(uow, row.ticket_id, at=now, line=row.to_line or row.from_line)
        await uow.outbox.publish(
            EscalationAcknowledged(
                ticket_id=row.ticket_id,
                escalation_id=escalation_id,
                acknowledged_by=by,
                acknowledged_at=now,
            ),
            subject=str(row.ticket_id),
        )
        await uow.commit()
    return _escalation(row)


async def ticket_escalations(
    uow: EscalationUnitOfWork, ticket_id: UUID, *, scope: UUID | None
) -> list[EscalationRead]:
    async with uow:
        ticket = await uow.repo.ticket(ticket_id)
        if scope is not None and (ticket is None or ticket.customer_id != scope):
            raise NotFound("No ticket with that id is visible to this key.", slug="unknown-ticket")
        rows = await uow.repo.rows(
            "SELECT * FROM {s}.escalation WHERE ticket_id = :t ORDER BY raised_at, id", t=ticket_id
        )
    return [_escalation(r) for r in rows]
