"""The entitlement unit of work on PostgreSQL (``entitlement.uow.UnitOfWork``)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from sqlalchemy import text

from entitlement.adapters.cache import CHANNEL, EntitlementCache
from entitlement.adapters.documents import PolicyRepository
from entitlement.adapters.repository_calendars import CalendarRepository
from entitlement.adapters.repository_checks import CheckRepository
from entitlement.adapters.repository_contacts import ContactRepository
from entitlement.adapters.repository_contracts import ContractRepository
from entitlement.adapters.repository_customers import CustomerRepository
from entitlement.adapters.repository_maintenance import MaintenanceRepository
from entitlement.adapters.repository_releases import ReleaseRepository
from entitlement.uow import UnitOfWork
from shared.db import UnitOfWork as SqlUnitOfWork


class EntitlementUnitOfWork(SqlUnitOfWork):
    """One transaction over the entitlement schema, its outbox and inbox.

    ``create_app`` binds a subclass to the process's :class:`EntitlementCache`.
    """

    entitlement_cache: ClassVar[EntitlementCache | None] = None

    def _open(self) -> None:
        self._changed: set[UUID] = set()
        self.customers = CustomerRepository(self.session)
        self.contracts = ContractRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.checks = CheckRepository(self.session)
        self.calendars = CalendarRepository(self.session)
        self.releases = ReleaseRepository(self.session)
        self.policies = PolicyRepository(self.session)
        self.maintenance = MaintenanceRepository(self.session)

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


def as_port(uow: EntitlementUnitOfWork) -> UnitOfWork:
    """Return ``uow`` typed as the use cases' port (mypy proves that it fulfils it)."""
    return uow
