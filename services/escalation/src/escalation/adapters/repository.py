"""SQL of escalation's read models: tickets, timers, contracts and contacts fed by events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from escalation.adapters.sql import SqlRepository, as_json, from_json
from escalation.domain.decisions import TicketView, TimerView
from escalation.domain.model import Contact, Contract, StoredPolicy, TicketFacts, TimerChange


def _ticket(row: Any) -> TicketView:
    return TicketView(
        ticket_id=row.ticket_id,
        status=row.status,
        line=row.line,
        tier=row.tier,
        severity=row.severity,
        assignee=row.assignee,
        customer_id=row.customer_id,
        registration_number=row.registration_number,
        schedule=from_json(row.schedule),
    )


def _ticket_upsert(ticket_id: UUID, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The ticket upsert with the non-None ``values``, and its parameters."""
    values = dict(values)
    if "schedule" in values:
        values["schedule"] = as_json(values["schedule"])
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


class SqlTicketRepository(SqlRepository):
    """The ``ticket`` read model."""

    async def lock(self, ticket_id: UUID) -> None:
        """Serialise decisions on one ticket (consumer, OLA scheduler, acknowledgements)."""
        await self._execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))",
            {"k": f"{self._schema}.ticket.{ticket_id}"},
        )

    async def get(self, ticket_id: UUID) -> TicketView | None:
        row = await self._one("SELECT * FROM {s}.ticket WHERE ticket_id = :t", {"t": ticket_id})
        return None if row is None else _ticket(row)

    async def record(self, ticket_id: UUID, facts: TicketFacts) -> None:
        sql, params = _ticket_upsert(ticket_id, facts.known())
        await self._execute(sql, params)


class SqlTimerRepository(SqlRepository):
    """The ``timer`` read model: each timer's state and due instant."""

    async def get(self, ticket_id: UUID, timer: str) -> TimerView | None:
        row = await self._one(
            "SELECT state, due_at FROM {s}.timer WHERE ticket_id = :t AND timer = :timer",
            {"t": ticket_id, "timer": timer},
        )
        return None if row is None else TimerView(state=row.state, due_at=row.due_at)

    async def record(
        self,
        ticket_id: UUID,
        timer: str,
        *,
        change: TimerChange,
        timer_id: UUID | None,
        ticket: TicketFacts,
    ) -> None:
        """Upsert the timer; the ticket's known facts go in the same round trip (a writable CTE).

        Every timer event carries the ticket's tier and severity, and a severity or tier
        change reaches the timers first.
        """
        sql = (
            "INSERT INTO {s}.timer (ticket_id, timer, timer_id, state, due_at) "
            "VALUES (:t, :timer, :tid, coalesce(:state, 'running'), :due) "
            "ON CONFLICT (ticket_id, timer) DO UPDATE SET "
            "timer_id = coalesce(EXCLUDED.timer_id, timer.timer_id), "
            "state = coalesce(:state, timer.state), "
            + ("due_at = timer.due_at" if change.keep_due else "due_at = EXCLUDED.due_at")
            + ", updated_at = now()"
        )
        params: dict[str, Any] = {
            "t": ticket_id,
            "timer": timer,
            "tid": timer_id,
            "state": change.state,
            "due": None if change.keep_due else change.due_at,
        }
        known = ticket.known()
        if known:
            upsert, ticket_params = _ticket_upsert(ticket_id, known)
            sql, params = f"WITH ticket_row AS ({upsert}) {sql}", {**params, **ticket_params}
        await self._execute(sql, params)


def _contract(row: Any) -> Contract:
    return Contract(
        contract_id=row.contract_id,
        customer_id=row.customer_id,
        tier=row.tier,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        dedicated_engineer=from_json(row.dedicated_engineer),
        dedicated_manager=from_json(row.dedicated_manager),
        escalation_policy=from_json(row.escalation_policy),
    )


class SqlContractRepository(SqlRepository):
    """Contracts (``contract``) and their policy versions (``policy``)."""

    async def record(self, contract: Contract) -> None:
        await self._execute(
            "INSERT INTO {s}.contract (contract_id, customer_id, tier, starts_at, ends_at, "
            "dedicated_engineer, dedicated_manager, escalation_policy) VALUES "
            "(:id, :c, :tier, :starts, :ends, CAST(:eng AS jsonb), CAST(:mgr AS jsonb), "
            "CAST(:pol AS jsonb)) ON CONFLICT (contract_id) DO UPDATE SET "
            "tier = EXCLUDED.tier, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, "
            "dedicated_engineer = EXCLUDED.dedicated_engineer, "
            "dedicated_manager = EXCLUDED.dedicated_manager, "
            "escalation_policy = EXCLUDED.escalation_policy, updated_at = now()",
            {
                "id": contract.contract_id,
                "c": contract.customer_id,
                "tier": contract.tier,
                "starts": contract.starts_at,
                "ends": contract.ends_at,
                "eng": as_json(contract.dedicated_engineer),
                "mgr": as_json(contract.dedicated_manager),
                "pol": as_json(contract.escalation_policy),
            },
        )

    async def in_force(self, customer_id: UUID, tier: str | None, at: datetime) -> Contract | None:
        row = await self._one(
            "SELECT * FROM {s}.contract WHERE customer_id = :c "
            "AND (starts_at IS NULL OR starts_at <= :at) AND (ends_at IS NULL OR ends_at > :at) "
            "ORDER BY (tier = :tier) DESC NULLS LAST, ends_at DESC NULLS LAST LIMIT 1",
            {"c": customer_id, "tier": tier, "at": at},
        )
        return None if row is None else _contract(row)

    async def save_policy(self, contract_id: UUID, version: str, document: dict[str, Any]) -> None:
        await self._execute(
            "INSERT INTO {s}.policy (contract_id, version, document) "
            "VALUES (:c, :v, CAST(:d AS jsonb)) "
            "ON CONFLICT (contract_id, version) DO UPDATE SET document = EXCLUDED.document",
            {"v": version, "c": contract_id, "d": as_json(document)},
        )

    async def policies(self) -> list[StoredPolicy]:
        rows = await self._rows(
            "SELECT version, contract_id, document FROM {s}.policy ORDER BY created_at", {}
        )
        return [StoredPolicy(r.version, r.contract_id, from_json(r.document)) for r in rows]


class SqlContactRepository(SqlRepository):
    """Customers' contacts (``contact``)."""

    async def record(self, contact: Contact) -> None:
        await self._execute(
            "INSERT INTO {s}.contact (contact_id, customer_id, name, email, chat_id, phone, "
            "language, active) VALUES (:id, :c, :name, :email, :chat, :phone, :lang, :active) "
            "ON CONFLICT (contact_id) DO UPDATE SET name = EXCLUDED.name, "
            "email = EXCLUDED.email, chat_id = EXCLUDED.chat_id, phone = EXCLUDED.phone, "
            "language = EXCLUDED.language, active = EXCLUDED.active",
            {
                "id": contact.contact_id,
                "c": contact.customer_id,
                "name": contact.name,
                "email": contact.email,
                "chat": contact.chat_id,
                "phone": contact.phone,
                "lang": contact.language,
                "active": contact.active,
            },
        )

    async def active_of(self, customer_id: UUID) -> list[Contact]:
        rows = await self._rows(
            "SELECT * FROM {s}.contact WHERE customer_id = :c AND active ORDER BY name",
            {"c": customer_id},
        )
        return [
            Contact(
                contact_id=r.contact_id,
                customer_id=r.customer_id,
                name=r.name,
                email=r.email,
                chat_id=r.chat_id,
                phone=r.phone,
                language=r.language,
                active=r.active,
            )
            for r in rows
        ]
