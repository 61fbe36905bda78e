"""Reads and writes of the webhook subscriptions (the consumer's copy: ``adapters.subscriptions``).

Like every repository, it works on the unit of work's session, inside the caller's
transaction. None of it runs per ticket: SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from notification.adapters.orm import webhook_subscription
from notification.domain.delivery import Subscription

_SUBSCRIPTION_FIELDS = [f.name for f in fields(Subscription)]


def _subscription(row: Mapping[Any, Any]) -> Subscription:
    return Subscription(**{k: row[k] for k in _SUBSCRIPTION_FIELDS})


class SqlSubscriptions:
    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self.session = session
        self.schema = schema

    async def active(self) -> list[Subscription]:
        """Active subscriptions (few; the filter runs in Python, see planning.webhook_matches)."""
        stmt = select(webhook_subscription).where(webhook_subscription.c.active.is_(True))
        return [_subscription(r._mapping) for r in (await self.session.execute(stmt)).all()]

    async def get(self, subscription_id: UUID) -> Subscription | None:
        row = (
            await self.session.execute(
                select(webhook_subscription).where(webhook_subscription.c.id == subscription_id)
            )
        ).one_or_none()
        return None if row is None else _subscription(row._mapping)

    async def listed(self, *, customer_id: UUID | None) -> list[Subscription]:
        stmt = select(webhook_subscription).order_by(webhook_subscription.c.created_at)
        if customer_id is not None:
            stmt = stmt.where(webhook_subscription.c.customer_id == customer_id)
        return [_subscription(r._mapping) for r in (await self.session.execute(stmt)).all()]

    async def add(self, subscription: Subscription) -> None:
        await self.session.execute(webhook_subscription.insert().values(**asdict(subscription)))

    async def delete(self, subscription_id: UUID) -> None:
        await self.session.execute(
            delete(webhook_subscription).where(webhook_subscription.c.id == subscription_id)
        )

    async def count_outcome(
        self, subscription_id: UUID, *, ok: bool, disable_after: int, reason: str
    ) -> None:
        """A success resets the run of failures; a failure lengthens it, and may disable it.

        One statement: concurrent workers' failures count exactly (no read-modify-write).
        """
        if ok:
            await self.session.execute(
                update(webhook_subscription)
                .where(webhook_subscription.c.id == subscription_id)
                .values(consecutive_failures=0)
            )
            return
        await self.session.execute(
            text(
                f'UPDATE "{self.schema}".webhook_subscription SET '
                "consecutive_failures = consecutive_failures + 1, "
                "active = CASE WHEN consecutive_failures + 1 >= :limit THEN false ELSE active END, "
                "disabled_at = CASE WHEN consecutive_failures + 1 >= :limit AND active "
                "THEN now() ELSE disabled_at END, "
                "disabled_reason = CASE WHEN consecutive_failures + 1 >= :limit AND active "
                "THEN :reason ELSE disabled_reason END "
                "WHERE id = :id"
            ),
            {"limit": disable_after, "reason": reason, "id": subscription_id},
        )
