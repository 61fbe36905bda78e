"""Reads and writes of what inbound mail taught notification: failing addresses, answers given.

Kept apart from ``adapters.repository`` (the delivery queue); both work on the unit of
work's session, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notification.adapters.orm import failing_address, sender_answer
from notification.config import SCHEMA
from notification.domain.answers import FailingAddress
from shared.driver import SessionDriver
from shared.statements import upsert

_FAILING_FIELDS = [f.name for f in fields(FailingAddress)]
_MARK = upsert(
    failing_address, conflict=["address"], update=_FAILING_FIELDS, touch=None, returning=False
)

# Asked for every leased email and every planned one: asyncpg's own connection (see
# ``adapters.repository``), one prepared statement whatever the count.
_FAILING_OF = (
    f'SELECT {", ".join(failing_address.c.keys())} FROM "{SCHEMA}".failing_address '
    "WHERE address = ANY($1::text[])"
)


def _failing(row: Mapping[Any, Any]) -> FailingAddress:
    return FailingAddress(**{k: row[k] for k in _FAILING_FIELDS})


class SqlFailingAddresses:
    """Addresses whose mail bounced; the latest bounce wins."""

    def __init__(self, session: AsyncSession, driver: SessionDriver) -> None:
        self.session = session
        self.driver = driver

    async def mark(self, failing: FailingAddress) -> None:
        await self.session.execute(_MARK, {k: getattr(failing, k) for k in _FAILING_FIELDS})

    async def of(self, addresses: Collection[str]) -> dict[str, FailingAddress]:
        if not addresses:
            return {}
        rows = await self.driver.fetch(_FAILING_OF, list(addresses))
        return {row["address"]: _failing(row) for row in rows}

    async def listed(self, *, limit: int) -> list[FailingAddress]:
        rows = await self.session.execute(
            select(failing_address).order_by(failing_address.c.bounced_at.desc()).limit(limit)
        )
        return [_failing(row._mapping) for row in rows]

    async def clear(self, address: str) -> bool:
        result = await self.session.execute(
            delete(failing_address)
            .where(failing_address.c.address == address)
            .returning(failing_address.c.address)
        )
        return result.first() is not None


class SqlSenderAnswers:
    """When each unknown sender was last answered: the per-address rate limit."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, address: str, *, now: datetime, window: timedelta) -> datetime | None:
        """Take the address's answer for this window: None if taken, else when it was given.

        One conditional upsert, so two replicas (or a redelivery racing a rebalance)
        cannot both take it: the row is written only when absent or older than the window.
        """
        values = insert(sender_answer).values(address=address, answered_at=now)
        stmt = values.on_conflict_do_update(
            index_elements=["address"],
            set_={"answered_at": values.excluded.answered_at},
            where=sender_answer.c.answered_at <= now - window,
        ).returning(sender_answer.c.address)
        if (await self.session.execute(stmt)).first() is not None:
            return None
        answered: datetime | None = await self.session.scalar(
            select(sender_answer.c.answered_at).where(sender_answer.c.address == address)
        )
        return answered or now
