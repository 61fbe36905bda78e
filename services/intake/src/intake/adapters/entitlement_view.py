"""Intake's entitlement read model in SQL: the projection's writes and admission's lookup.

Each write keeps the newest version only (``WHERE ... version < excluded.version``), so a
redelivered or late event changes nothing; the inbox makes each event's effect once anyway.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from intake.config import SCHEMA
from intake.domain.entitlement_view import Viewed

_CUSTOMER = text(f"""
INSERT INTO "{SCHEMA}".entitled_customer
    (customer_id, version, answer, valid_until, changed_at, updated_at)
VALUES (:customer_id, :version, CAST(:answer AS jsonb), :valid_until, :changed_at, now())
ON CONFLICT (customer_id) DO UPDATE SET
    version = excluded.version, answer = excluded.answer, valid_until = excluded.valid_until,
    changed_at = excluded.changed_at, updated_at = now()
WHERE "{SCHEMA}".entitled_customer.version < excluded.version
""")
_CONTACT = text(f"""
INSERT INTO "{SCHEMA}".entitled_contact
    (contact_id, customer_id, email_key, chat_id, active, version)
VALUES (:contact_id, :customer_id, lower(:email), :chat_id, :active, :version)
ON CONFLICT (contact_id) DO UPDATE SET
    customer_id = excluded.customer_id, email_key = excluded.email_key,
    chat_id = excluded.chat_id, active = excluded.active, version = excluded.version
WHERE "{SCHEMA}".entitled_contact.version < excluded.version
""")
# Admission's lookup runs on asyncpg's own connection (``lookup``): positional parameters.
_LOOKUP = f"""
SELECT c.customer_id, {{contact}} AS contact_id, c.version, c.answer::text AS answer,
       c.valid_until
FROM "{SCHEMA}".entitled_customer c {{join}}
WHERE {{where}}
LIMIT 3
"""
_JOIN = f'JOIN "{SCHEMA}".entitled_contact ct ON ct.customer_id = c.customer_id'
_BY_EMAIL = _LOOKUP.format(
    contact="ct.contact_id", join=_JOIN, where="ct.email_key = lower($1) AND ct.active"
)
_BY_CHAT = _LOOKUP.format(
    contact="ct.contact_id", join=_JOIN, where="ct.chat_id = $1 AND ct.active"
)
_BY_CUSTOMER = _LOOKUP.format(contact="NULL::uuid", join="", where="c.customer_id = $1")


class SqlEntitlementView:
    """The projection's writes, in the consumer's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put_customer(
        self,
        customer_id: UUID,
        *,
        version: int,
        answer: Mapping[str, Any] | None,
        valid_until: datetime | None,
        changed_at: datetime,
    ) -> None:
        """Keep the customer's answer at ``version`` unless a newer one is kept."""
        await self._session.execute(
            _CUSTOMER,
            {
                "customer_id": customer_id,
                "version": version,
                "answer": None if answer is None else json.dumps(answer),
                "valid_until": valid_until,
                "changed_at": changed_at,
            },
        )

    async def put_contact(
        self,
        contact_id: UUID,
        *,
        customer_id: UUID,
        email: str,
        chat_id: str | None,
        active: bool,
        version: int,
    ) -> None:
        """Keep the contact as of its customer's ``version`` unless a newer one is kept."""
        await self._session.execute(
            _CONTACT,
            {
                "contact_id": contact_id,
                "customer_id": customer_id,
                "email": email,
                "chat_id": chat_id,
                "active": active,
                "version": version,
            },
        )


def _viewed(row: Any) -> Viewed:
    answer = row["answer"]
    return Viewed(
        customer_id=row["customer_id"],
        contact_id=row["contact_id"],
        version=row["version"],
        answer=None if answer is None else json.loads(answer),
        valid_until=row["valid_until"],
    )


async def lookup(
    conn: asyncpg.Connection,
    *,
    email: str | None = None,
    chat_id: str | None = None,
    customer_id: UUID | None = None,
) -> list[Viewed]:
    """The rows for an active contact's email or chat id, or for a customer (one query).

    On asyncpg's own connection (``shared.pool_guard.driver_connection``), outside any
    transaction: every admission asks, and one statement is all it needs.
    """
    if customer_id is not None:
        rows = await conn.fetch(_BY_CUSTOMER, customer_id)
    elif email:
        rows = await conn.fetch(_BY_EMAIL, email)
    else:
        rows = await conn.fetch(_BY_CHAT, chat_id or "")
    return [_viewed(row) for row in rows]
