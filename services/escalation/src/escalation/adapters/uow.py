"""The escalation unit of work."""

from escalation.adapters.repository import EscalationRepository
from shared.observed import ObservingUnitOfWork


class EscalationUnitOfWork(ObservingUnitOfWork):
    """One transaction over the escalation schema, its outbox, inbox and observed record."""

    repo: EscalationRepository

    def _open(self) -> None:
        self.repo = EscalationRepository(self.session, schema=self.schema)
