"""The sla-clock unit of work."""

from shared.db import UnitOfWork


class SlaUnitOfWork(UnitOfWork):
    """One transaction over the sla_clock schema, its outbox and inbox."""
