"""SQL of escalation's decisions (``escalation``) and the lines' targets (``ola``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from escalation.adapters.sql import SqlRepository, as_json, from_json
from escalation.domain.commands import EscalationFilter
from escalation.domain.model import Escalation, OlaStage, OlaTarget

_ESCALATION_FIELDS = tuple(Escalation.__dataclass_fields__)
_OLA_FIELDS = tuple(OlaTarget.__dataclass_fields__)
# The column each stage stamps and the instant it waits for (``domain.ola.is_due``).
_STAGE = {"warning": ("warned_at", "warning_at"), "breach": ("breached_at", "due_at")}


def _escalation(row: Any) -> Escalation:
    values = {f: getattr(row, f) for f in _ESCALATION_FIELDS}
    values["recipients"] = from_json(values["recipients"])
    return Escalation(**values)


def _ola(row: Any) -> OlaTarget:
    return OlaTarget(**{f: getattr(row, f) for f in _OLA_FIELDS})


class SqlEscalationRepository(SqlRepository):
    """Stored escalations: one per dedupe key."""

    async def add(self, escalation: Escalation, *, key: str) -> bool:
        values = asdict(escalation)
        values.pop("acknowledged_at")
        values.pop("acknowledged_by")
        values["recipients"] = as_json(values["recipients"])
        values["dedupe_key"] = key
        cols = ", ".join(values)
        binds = ", ".join(
            "CAST(:recipients AS jsonb)" if c == "recipients" else f":{c}" for c in values
        )
        row = await self._one(
            f"INSERT INTO {{s}}.escalation ({cols}) VALUES ({binds}) "
            "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            values,
        )
        return row is not None

    async def get(self, escalation_id: UUID, *, for_update: bool = False) -> Escalation | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._one(
            f"SELECT * FROM {{s}}.escalation WHERE id = :id{lock}", {"id": escalation_id}
        )
        return None if row is None else _escalation(row)

    async def listed(self, where: EscalationFilter) -> list[Escalation]:
        rows = await self._rows(
            "SELECT * FROM {s}.escalation WHERE "
            "(CAST(:t AS uuid) IS NULL OR ticket_id = :t) "
            "AND (CAST(:c AS uuid) IS NULL OR customer_id = :c) "
            "AND (CAST(:l AS smallint) IS NULL OR coalesce(to_line, from_line) = :l) "
            "AND (CAST(:st AS text) IS NULL OR (:st = 'open') = (acknowledged_at IS NULL)) "
            "AND (CAST(:ooh AS boolean) IS NULL OR out_of_hours = :ooh) "
            "ORDER BY raised_at DESC, id DESC LIMIT :n",
            {
                "t": where.ticket_id,
                "c": where.customer_id,
                "l": where.line,
                "st": where.state,
                "ooh": where.out_of_hours,
                "n": where.limit,
            },
        )
        return [_escalation(r) for r in rows]

    async def of_ticket(self, ticket_id: UUID) -> list[Escalation]:
        rows = await self._rows(
            "SELECT * FROM {s}.escalation WHERE ticket_id = :t ORDER BY raised_at, id",
            {"t": ticket_id},
        )
        return [_escalation(r) for r in rows]

    async def acknowledge(self, escalation_id: UUID, *, by: str, at: datetime) -> Escalation:
        row = await self._one(
            "UPDATE {s}.escalation SET acknowledged_at = :now, acknowledged_by = :by "
            "WHERE id = :id RETURNING *",
            {"id": escalation_id, "now": at, "by": by},
        )
        assert row is not None, "acknowledge a locked, existing escalation"
        return _escalation(row)


class SqlOlaRepository(SqlRepository):
    """The lines' own response targets: one per (ticket, line)."""

    async def add(self, target: OlaTarget) -> bool:
        row = await self._one(
            "INSERT INTO {s}.ola (id, ticket_id, line, escalation_id, started_at, warning_at, "
            "warning_percent, due_at) VALUES (:id, :ticket_id, :line, :escalation_id, "
            ":started_at, :warning_at, :warning_percent, :due_at) "
            "ON CONFLICT (ticket_id, line) DO NOTHING RETURNING id",
            {
                f: getattr(target, f)
                for f in _OLA_FIELDS
                if f not in ("warned_at", "breached_at", "met_at")
            },
        )
        return row is not None

    async def meet(self, ticket_id: UUID, *, at: datetime, line: int | None) -> int:
        rows = await self._rows(
            "UPDATE {s}.ola SET met_at = :at WHERE ticket_id = :t AND met_at IS NULL "
            "AND started_at <= :at AND (CAST(:l AS smallint) IS NULL OR line = :l) RETURNING id",
            {"t": ticket_id, "at": at, "l": line},
        )
        return len(rows)

    async def claim_due(self, stage: OlaStage, now: datetime, *, limit: int) -> list[OlaTarget]:
        stamp, instant = _STAGE[stage]
        rows = await self._rows(
            f"SELECT * FROM {{s}}.ola WHERE met_at IS NULL AND {stamp} IS NULL "
            f"AND breached_at IS NULL AND {instant} <= :now ORDER BY {instant} "
            "LIMIT :n FOR UPDATE SKIP LOCKED",
            {"now": now, "n": limit},
        )
        return [_ola(r) for r in rows]

    async def stamp(self, target_id: UUID, stage: OlaStage, at: datetime) -> None:
        stamp, _ = _STAGE[stage]
        await self._execute(
            f"UPDATE {{s}}.ola SET {stamp} = :now WHERE id = :id", {"now": at, "id": target_id}
        )

    async def next_instant(self) -> datetime | None:
        row = await self._one(
            "SELECT min(CASE WHEN warned_at IS NULL AND warning_at < due_at "
            "THEN warning_at ELSE due_at END) AS at "
            "FROM {s}.ola WHERE met_at IS NULL AND breached_at IS NULL",
            {},
        )
        return None if row is None else row.at
