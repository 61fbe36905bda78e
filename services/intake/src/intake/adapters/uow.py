"""The intake unit of work."""

from shared.db import UnitOfWork


class IntakeUnitOfWork(UnitOfWork):
    """One transaction over the intake schema, its outbox and inbox."""
