"""The entitlement unit of work."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from sqlalchemy import text

from entitlement.adapters.cache import CHANNEL, EntitlementCache
from shared.db import UnitOfWork


class EntitlementUnitOfWork(UnitOfWork):
    """One transaction over the entitlement schema, its outbox and inbox.

    ``create_app`` binds a subclass to the process's :class:`EntitlementCache`.
    """

    entitlement_cache: ClassVar[EntitlementCache | None] = None

    def _open(self) -> None:
        self._changed: set[UUID] = set()

    async def customer_changed(self, customer_id: UUID) -> None:
        """Say, inside the transaction, that answers about this customer may change."""
        if customer_id not in self._changed:
            self._changed.add(customer_id)
            # Delivered to every replica's listener when, and only if, this commits.
            await self.session.execute(
                text("SELECT pg_notify(:channel, :id)"),
                {"channel": CHANNEL, "id": str(customer_id)},
            )

    async def commit(self) -> None:
        """Commit, then drop this process's cached answers about the changed customers."""
        await super().commit()
        if self._changed and self.entitlement_cache is not None:
            self.entitlement_cache.invalidate(self._changed)
        self._changed = set()
