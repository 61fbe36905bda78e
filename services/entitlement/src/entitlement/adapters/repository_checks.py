"""The entitlement check's one query: a contact's (or customer's) row and all its contracts."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.config import SCHEMA
from entitlement.domain.calendar import DEFAULT_CALENDAR_VERSION
from entitlement.domain.entitlement import ContractTerm, Snapshot, TermExtras
from shared.events.vocabulary import Tier

_CHECK_SQL = f"""
SELECT c.id, c.name, c.warranty_until, c.timezone, c.calendar_version, c.products,
       {{contact_cols}},
       k.terms
FROM "{SCHEMA}".customer c
{{contact_join}}
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
        'id', k.id, 'tier', k.tier, 'starts_on', k.starts_on, 'ends_on', k.ends_on,
        'starts_at', k.starts_at, 'ends_at', k.ends_at,
        'dedicated_manager', k.dedicated_manager, 'dedicated_engineer', k.dedicated_engineer,
        'policy_version', k.policy_version, 'shortened', k.shortened_pre_holidays,
        'alert_severity_map', k.alert_severity_map,
        'alert_severity_label', k.alert_severity_label)) AS terms
    FROM "{SCHEMA}".contract k
    WHERE k.customer_id = c.id
) k ON true
WHERE {{where}}
"""
# One indexed round trip per uncached check: the active-contact index finds the contact,
# the primary key its customer, (customer_id, ends_at) its contracts. All contracts come
# back (a customer has few), so the answer can be cached and resolved for any instant.
_CONTACT = {
    "contact_cols": "ct.id AS contact_id",
    "contact_join": f'JOIN "{SCHEMA}".contact ct ON ct.customer_id = c.id',
}
_BY_EMAIL = text(_CHECK_SQL.format(**_CONTACT, where="lower(ct.email) = lower(:who) AND ct.active"))
_BY_CHAT = text(_CHECK_SQL.format(**_CONTACT, where="ct.chat_id = :who AND ct.active"))
_BY_CUSTOMER = text(
    _CHECK_SQL.format(contact_cols="NULL::uuid AS contact_id", contact_join="", where="c.id = :who")
)


def _term(item: dict[str, Any]) -> tuple[ContractTerm, TermExtras]:
    term = ContractTerm(
        id=UUID(item["id"]),
        tier=Tier(item["tier"]),
        starts_on=date.fromisoformat(item["starts_on"]),
        ends_on=date.fromisoformat(item["ends_on"]),
        starts_at=datetime.fromisoformat(item["starts_at"]),
        ends_at=datetime.fromisoformat(item["ends_at"]),
    )
    extras = TermExtras(
        policy_version=item["policy_version"],
        shortened=bool(item.get("shortened", False)),
        dedicated_manager=item.get("dedicated_manager"),
        dedicated_engineer=item.get("dedicated_engineer"),
        alert_severity_map=item.get("alert_severity_map"),
        alert_severity_label=item.get("alert_severity_label"),
    )
    return term, extras


def snapshot(row: Any) -> Snapshot:
    """Map the check query's row to the domain's snapshot."""
    items = json.loads(row.terms) if isinstance(row.terms, str) else (row.terms or [])
    return Snapshot(
        customer_id=row.id,
        name=row.name,
        warranty_until=row.warranty_until,
        timezone=row.timezone,
        calendar_version=row.calendar_version or DEFAULT_CALENDAR_VERSION,
        products=tuple(row.products),
        contact_id=row.contact_id,
        terms=tuple(_term(item) for item in items),
    )


class CheckRepository:
    """Reads what a check needs in one round trip, by contact email, chat id or customer."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _one(self, stmt: Any, who: object) -> Snapshot | None:
        row = (await self._session.execute(stmt, {"who": who})).one_or_none()
        return None if row is None else snapshot(row)

    async def by_email(self, email: str) -> Snapshot | None:
        """Return the snapshot of the customer whose active contact has this email."""
        return await self._one(_BY_EMAIL, email)

    async def by_chat(self, chat_id: str) -> Snapshot | None:
        """Return the snapshot of the customer whose active contact has this chat id."""
        return await self._one(_BY_CHAT, chat_id)

    async def by_customer(self, customer_id: UUID) -> Snapshot | None:
        """Return the customer's snapshot (no contact)."""
        return await self._one(_BY_CUSTOMER, customer_id)
