"""SQL of the vendor's people: staff (``staff``) and the duty roster (``duty``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.exc import IntegrityError

from escalation.adapters.sql import SqlRepository
from escalation.domain.commands import NewShift, NewStaff, StaffFilter
from escalation.domain.errors import EmailTaken
from escalation.domain.model import Shift, StaffMember

_COLUMNS = (
    "id",
    "name",
    "email",
    "chat_id",
    "phone",
    "language",
    "line",
    "role",
    "active",
    "admin",
)
_SELECTED = ", ".join(_COLUMNS)
# The columns a change may name (the use case checked them): never a name from a caller.
_CHANGEABLE = frozenset(_COLUMNS) - {"id"}


# A constraint refused the row: SQLAlchemy's error on the session, asyncpg's own on a
# direct unit of work (shared.db).
_REFUSED = (IntegrityError, asyncpg.IntegrityConstraintViolationError)


def _member(row: Any) -> StaffMember:
    return StaffMember(**{c: getattr(row, c) for c in _COLUMNS})


class SqlStaffRepository(SqlRepository):
    """Staff members and their shifts."""

    async def add(self, staff_id: UUID, member: NewStaff) -> StaffMember:
        try:
            row = await self._one(
                f"INSERT INTO {{s}}.staff ({_SELECTED}) VALUES "
                "(:id, :name, :email, :chat_id, :phone, :language, :line, :role, :active, :admin) "
                f"RETURNING {_SELECTED}",
                {"id": staff_id, **asdict(member)},
            )
        except _REFUSED:
            raise EmailTaken(member.email) from None
        assert row is not None
        return _member(row)

    async def get(self, staff_id: UUID) -> StaffMember | None:
        row = await self._one(
            f"SELECT {_SELECTED} FROM {{s}}.staff WHERE id = :id", {"id": staff_id}
        )
        return None if row is None else _member(row)

    async def listed(self, where: StaffFilter) -> list[StaffMember]:
        rows = await self._rows(
            f"SELECT {_SELECTED} FROM {{s}}.staff WHERE "
            "(CAST(:line AS smallint) IS NULL OR line = :line) "
            "AND (CAST(:role AS text) IS NULL OR role = :role) "
            "AND (CAST(:active AS boolean) IS NULL OR active = :active) ORDER BY line, name",
            {"line": where.line, "role": where.role, "active": where.active},
        )
        return [_member(r) for r in rows]

    async def update(self, staff_id: UUID, changes: dict[str, Any]) -> StaffMember | None:
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"not staff columns: {sorted(unknown)}")
        sets = ", ".join(f"{k} = :{k}" for k in changes)
        try:
            row = await self._one(
                f"UPDATE {{s}}.staff SET {sets}, updated_at = now() WHERE id = :id "
                f"RETURNING {_SELECTED}",
                {"id": staff_id, **changes},
            )
        except _REFUSED:
            raise EmailTaken(str(changes.get("email"))) from None
        return None if row is None else _member(row)

    async def active_by_ids(self, ids: Sequence[UUID]) -> list[StaffMember]:
        if not ids:
            return []
        rows = await self._rows(
            f"SELECT {_SELECTED} FROM {{s}}.staff WHERE id = ANY(CAST(:ids AS uuid[])) AND active",
            {"ids": list(ids)},
        )
        return [_member(r) for r in rows]

    async def matching(self, who: str) -> list[StaffMember]:
        rows = await self._rows(
            f"SELECT {_SELECTED} FROM {{s}}.staff WHERE active AND (id::text = :w "
            "OR lower(email) = lower(:w) OR name = :w) LIMIT 1",
            {"w": who},
        )
        return [_member(r) for r in rows]

    async def line_people(self, line: int, at: datetime) -> list[tuple[str, StaffMember]]:
        """The leads and who is on duty, in one round trip (``kind`` tells which)."""
        rows = await self._rows(
            "(SELECT 'line_lead' AS kind, s.* FROM {s}.staff s "
            " WHERE s.active AND s.line = :l AND s.role = 'lead' ORDER BY s.name) "
            "UNION ALL (SELECT 'on_duty' AS kind, s.* FROM {s}.duty d "
            " JOIN {s}.staff s ON s.id = d.staff_id WHERE d.line = :l AND d.starts_at <= :at "
            " AND d.ends_at > :at AND s.active ORDER BY d.starts_at, s.name)",
            {"l": line, "at": at},
        )
        return [(r.kind, _member(r)) for r in rows]

    async def add_shift(self, shift_id: UUID, shift: NewShift, *, line: int) -> None:
        await self._execute(
            "INSERT INTO {s}.duty (id, staff_id, line, starts_at, ends_at) "
            "VALUES (:id, :staff, :line, :starts, :ends)",
            {
                "id": shift_id,
                "staff": shift.staff_id,
                "line": line,
                "starts": shift.starts_at,
                "ends": shift.ends_at,
            },
        )

    async def shifts(self, line: int | None, at: datetime) -> list[Shift]:
        rows = await self._rows(
            "SELECT d.id, d.staff_id, s.name AS staff_name, d.line, d.starts_at, d.ends_at "
            "FROM {s}.duty d JOIN {s}.staff s ON s.id = d.staff_id "
            "WHERE (CAST(:line AS smallint) IS NULL OR d.line = :line) "
            "AND d.starts_at <= :at AND d.ends_at > :at ORDER BY d.line, d.starts_at",
            {"line": line, "at": at},
        )
        return [
            Shift(
                id=r.id,
                staff_id=r.staff_id,
                staff_name=r.staff_name,
                line=r.line,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
            )
            for r in rows
        ]
