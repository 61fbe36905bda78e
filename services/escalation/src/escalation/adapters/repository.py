"""Reads and writes of the escalation schema: read models, people, escalations, OLAs.

Plain SQL over the unit of work's session: every statement names its schema, so one
service never touches another's tables.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from escalation.domain.decisions import TicketView, TimerView

TICKET_COLUMNS = ("customer_id", "registration_number", "tier", "severity", "status", "line")


@functools.lru_cache(maxsize=256)
def _statement(statement: str, schema: str) -> TextClause:
    """One TextClause per statement: its cache key and compiled form are then reused."""
    return text(statement.replace("{s}", f'"{schema}"'))


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, default=str)


class EscalationRepository:
    """The escalation tables over one session (one transaction)."""

    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self._s = session
        self._schema = schema

    def _sql(self, statement: str) -> TextClause:
        return _statement(statement, self._schema)

    async def rows(self, statement: str, **params: Any) -> list[Row[Any]]:
        return list((await self._s.execute(self._sql(statement), params)).all())

    async def one(self, statement: str, **params: Any) -> Row[Any] | None:
        return (await self._s.execute(self._sql(statement), params)).one_or_none()

    async def lock_ticket(self, ticket_id: UUID) -> None:
        """Serialise decisions on one ticket (consumer, OLA scheduler, acknowledgements)."""
        await self._s.execute(
            self._sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
            {"k": f"{self._schema}.ticket.{ticket_id}"},
        )

    # ------------------------------------------------------------------ tickets
    async def upsert_ticket(self, ticket_id: UUID, **values: Any) -> None:
        """Create or update a ticket's row with the non-None ``values``."""
        sql, params = _ticket_upsert(ticket_id, values)
        await self._s.execute(self._sql(sql), params)

    async def ticket(self, ticket_id: UUID) -> Row[Any] | None:
        return await self.one("SELECT * FROM {s}.ticket WHERE ticket_id = :t", t=ticket_id)

    @staticmethod
    def ticket_view(row: Row[Any]) -> TicketView:
        return TicketView(
            ticket_id=row.ticket_id,
            status=row.status,
            line=row.line,
            tier=row.tier,
            severity=row.severity,
            assignee=row.assignee,
        )

    # ------------------------------------------------------------------- timers
    async def set_timer(
        self,
        ticket_id: UUID,
        timer: str,
        *,
        state: str | None,
        due_at: Any,
        timer_id: Any,
        ticket: dict[str, Any] | None = None,
    ) -> None:
        """Record a timer's state; ``due_at`` of ... (Ellipsis) keeps the stored one.

        ``ticket``'s non-None values update the ticket's row in the same round trip
        (a writable CTE): every timer event carries the ticket's tier and severity.
        """
        keep_due = due_at is ...
        sql = (
            "INSERT INTO {s}.timer (ticket_id, timer, timer_id, state, due_at) "
            "VALUES (:t, :timer, :tid, coalesce(:state, 'running'), :due) "
            "ON CONFLICT (ticket_id, timer) DO UPDATE SET "
            "timer_id = coalesce(EXCLUDED.timer_id, timer.timer_id), "
            "state = coalesce(:state, timer.state), "
            + ("due_at = timer.due_at" if keep_due else "due_at = EXCLUDED.due_at")
            + ", updated_at = now()"
        )
        params = {
            "t": ticket_id,
            "timer": timer,
            "tid": timer_id,
            "state": state,
            "due": None if keep_due else due_at,
        }
        if ticket and any(v is not None for v in ticket.values()):
            upsert, ticket_params = _ticket_upsert(ticket_id, ticket)
            sql, params = f"WITH ticket_row AS ({upsert}) {sql}", {**params, **ticket_params}
        await self._s.execute(self._sql(sql), params)

    async def timer(self, ticket_id: UUID, timer: str) -> TimerView | None:
        row = await self.one(
            "SELECT state, due_at FROM {s}.timer WHERE ticket_id = :t AND timer = :timer",
            t=ticket_id,
            timer=timer,
        )
        return None if row is None else TimerView(state=row.state, due_at=row.due_at)

    # --------------------------------------------------------- contracts, contacts
    async def upsert_contract(self, contract: Mapping[str, Any], customer_id: UUID) -> None:
        await self._s.execute(
            self._sql(
                "INSERT INTO {s}.contract (contract_id, customer_id, tier, starts_at, ends_at, "
                "dedicated_engineer, dedicated_manager, escalation_policy) VALUES "
                "(:id, :c, :tier, :starts, :ends, CAST(:eng AS jsonb), CAST(:mgr AS jsonb), "
                "CAST(:pol AS jsonb)) ON CONFLICT (contract_id) DO UPDATE SET "
                "tier = EXCLUDED.tier, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, "
                "dedicated_engineer = EXCLUDED.dedicated_engineer, "
                "dedicated_manager = EXCLUDED.dedicated_manager, "
                "escalation_policy = EXCLUDED.escalation_policy, updated_at = now()"
            ),
            {
                "id": UUID(str(contract["id"])),
                "c": customer_id,
                "tier": contract.get("tier"),
                "starts": _instant(contract.get("starts_at")),
                "ends": _instant(contract.get("ends_at")),
                "eng": _json(contract.get("dedicated_engineer")),
                "mgr": _json(contract.get("dedicated_manager")),
                "pol": _json(contract.get("escalation_policy")),
            },
        )

    async def contract_for(
        self, customer_id: UUID, tier: str | None, at: datetime
    ) -> Row[Any] | None:
        """The customer's contract in force at ``at``, the ticket's tier first."""
        return await self.one(
            "SELECT * FROM {s}.contract WHERE customer_id = :c "
            "AND (starts_at IS NULL OR starts_at <= :at) AND (ends_at IS NULL OR ends_at > :at) "
            "ORDER BY (tier = :tier) DESC NULLS LAST, ends_at DESC NULLS LAST LIMIT 1",
            c=customer_id,
            tier=tier,
            at=at,
        )

    async def upsert_contact(self, contact: Mapping[str, Any], customer_id: UUID) -> None:
        await self._s.execute(
            self._sql(
                "INSERT INTO {s}.contact (contact_id, customer_id, name, email, chat_id, phone, "
                "language, active) VALUES (:id, :c, :name, :email, :chat, :phone, :lang, :active) "
                "ON CONFLICT (contact_id) DO UPDATE SET name = EXCLUDED.name, "
                "email = EXCLUDED.email, chat_id = EXCLUDED.chat_id, phone = EXCLUDED.phone, "
                "language = EXCLUDED.language, active = EXCLUDED.active"
            ),
            {
                "id": UUID(str(contact["id"])),
                "c": customer_id,
                "name": contact.get("name"),
                "email": contact.get("email"),
                "chat": contact.get("chat_id"),
                "phone": contact.get("phone"),
                "lang": contact.get("language") or "ru",
                "active": bool(contact.get("active", True)),
            },
        )

    async def contacts(self, customer_id: UUID) -> list[Row[Any]]:
        return await self.rows(
            "SELECT * FROM {s}.contact WHERE customer_id = :c AND active ORDER BY name",
            c=customer_id,
        )

    # ------------------------------------------------------------------- people
    async def staff_by_ids(self, ids: list[UUID]) -> list[Row[Any]]:
        if not ids:
            return []
        return await self.rows(
            "SELECT * FROM {s}.staff WHERE id = ANY(CAST(:ids AS uuid[])) AND active", ids=ids
        )

    async def staff_matching(self, who: str) -> list[Row[Any]]:
        """An assignee as intake names it: a staff id, an email or a name."""
        return await self.rows(
            "SELECT * FROM {s}.staff WHERE active AND (id::text = :w OR lower(email) = lower(:w) "
            "OR name = :w) LIMIT 1",
            w=who,
        )

    async def line_people(self, line: int, at: datetime) -> list[Row[Any]]:
        """The line's leads and who is on duty for it at ``at``, in one round trip (``kind``)."""
        return await self.rows(
            "(SELECT 'line_lead' AS kind, s.* FROM {s}.staff s "
            " WHERE s.active AND s.line = :l AND s.role = 'lead' ORDER BY s.name) "
            "UNION ALL (SELECT 'on_duty' AS kind, s.* FROM {s}.duty d "
            " JOIN {s}.staff s ON s.id = d.staff_id WHERE d.line = :l AND d.starts_at <= :at "
            " AND d.ends_at > :at AND s.active ORDER BY d.starts_at, s.name)",
            l=line,
            at=at,
        )

    # -------------------------------------------------------------- escalations
    async def insert_escalation(self, **values: Any) -> bool:
        """Store one escalation; False if its dedupe key was already used (a replay)."""
        values["recipients"] = _json(values["recipients"])
        cols = ", ".join(values)
        binds = ", ".join(
            "CAST(:recipients AS jsonb)" if c == "recipients" else f":{c}" for c in values
        )
        row = await self.one(
            f"INSERT INTO {{s}}.escalation ({cols}) VALUES ({binds}) "
            "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            **values,
        )
        return row is not None

    async def save_policy(self, version: str, contract_id: UUID, document: Any) -> None:
        """Keep every version a contract's policy had (the latest document under each label)."""
        await self._s.execute(
            self._sql(
                "INSERT INTO {s}.policy (contract_id, version, document) "
                "VALUES (:c, :v, CAST(:d AS jsonb)) ON CONFLICT (contract_id, version) DO UPDATE SET document = EXCLUDED.document"
            ),
            {"v": version, "c": contract_id, "d": _json(document)},
        )


def _ticket_upsert(ticket_id: UUID, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The ticket upsert with the non-None ``values``, and its parameters."""
    values = {k: v for k, v in values.items() if v is not None}
    if "schedule" in values:
        values["schedule"] = _json(values["schedule"])
    cols = ["ticket_id", *values]
    names = ", ".join(cols)
    binds = ", ".join(f"CAST(:{c} AS jsonb)" if c == "schedule" else f":{c}" for c in cols)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in values) or "ticket_id = EXCLUDED.ticket_id"
    if "status" not in values:
        names, binds = names + ", status", binds + ", 'new'"
    sql = (
        f"INSERT INTO {{s}}.ticket ({names}) VALUES ({binds}) "
        f"ON CONFLICT (ticket_id) DO UPDATE SET {updates}, updated_at = now()"
    )
    return sql, {"ticket_id": ticket_id, **values}


def _instant(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
