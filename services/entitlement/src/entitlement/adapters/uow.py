"""The entitlement unit of work."""

from shared.db import UnitOfWork


class EntitlementUnitOfWork(UnitOfWork):
    """One transaction over the entitlement schema, its outbox and inbox."""
