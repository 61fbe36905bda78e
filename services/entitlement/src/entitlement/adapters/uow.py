"""The entitlement unit of work on PostgreSQL (``entitlement.uow.UnitOfWork``)."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from sqlalchemy import text

from entitlement.adapters.cache import EntitlementCache
from entitlement.adapters.documents import PolicyRepository
from entitlement.adapters.repository_calendars import CalendarRepository
from entitlement.adapters.repository_checks import CheckRepository
from entitlement.adapters.repository_contacts import ContactRepository
from entitlement.adapters.repository_contracts import ContractRepository
from entitlement.adapters.repository_customers import CustomerRepository
from entitlement.adapters.repository_maintenance import MaintenanceRepository
from entitlement.adapters.repository_releases import ReleaseRepository
from entitlement.config import SCHEMA
from entitlement.uow import UnitOfWork
from shared.db import UnitOfWork as SqlUnitOfWork
from shared.events.contracts import CHANGE_CHANNEL


class EntitlementUnitOfWork(SqlUnitOfWork):
    """One transaction over the entitlement schema, its outbox and inbox.

    ``create_app`` binds a subclass to the process's :class:`EntitlementCache`.
    """

    entitlement_cache: ClassVar[EntitlementCache | None] = None

    def _open(self) -> None:
        self._changed: dict[UUID, int] = {}
        self.customers = CustomerRepository(self.session)
        self.contracts = ContractRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.checks = CheckRepository(self.session)
        self.calendars = CalendarRepository(self.session)
        self.releases = ReleaseRepository(self.session)
        self.policies = PolicyRepository(self.session)
        self.maintenance = MaintenanceRepository(self.session)

    async def customer_changed(self, customer_id: UUID) -> int:
        """Say, inside the transaction, that answers about this customer may change.

        Returns the customer's new change version (once per transaction: a second call
        returns the same number), which the transaction's events carry as
        ``entitlement_version``.
        """
        version = self._changed.get(customer_id)
        if version is None:
            # Under the customer's lock (taken by every change first), so versions follow
            # the commits; delivered to every listener when, and only if, this commits.
            version = int(
                await self.session.scalar(
                    text(
                        f'UPDATE "{SCHEMA}".customer SET change_version = change_version + 1 '
                        "WHERE id = :id RETURNING change_version"
                    ),
                    {"id": customer_id},
                )
                or 0
            )
            self._changed[customer_id] = version
            await self.session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANGE_CHANNEL, "payload": f"{customer_id} {version}"},
            )
        return version

    async def commit(self) -> None:
        """Commit, then drop this process's cached answers about the changed customers."""
        await super().commit()
        if self._changed and self.entitlement_cache is not None:
            self.entitlement_cache.invalidate(self._changed)
        self._changed = {}


def as_port(uow: EntitlementUnitOfWork) -> UnitOfWork:
    """Return ``uow`` typed as the use cases' port (mypy proves that it fulfils it)."""
    return uow
