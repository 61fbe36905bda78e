"""The escalation unit of work."""

from escalation.adapters.repository import EscalationRepository
from shared.db import UnitOfWork


class EscalationUnitOfWork(UnitOfWork):
    """One transaction over the escalation schema, its outbox and inbox."""

    repo: EscalationRepository

    def _open(self) -> None:
        self.repo = EscalationRepository(self.session, schema=self.schema)
