"""The escalation unit of work."""

from datetime import datetime

from escalation.adapters.repository import EscalationRepository
from shared.observed import ObservingUnitOfWork


class EscalationUnitOfWork(ObservingUnitOfWork):
    """One transaction over the escalation schema, its outbox, inbox and observed record."""

    repo: EscalationRepository

    def _open(self) -> None:
        self.repo = EscalationRepository(self.session, schema=self.schema)

    async def commit(self) -> None:
        """Commit, then announce the earliest OLA instant stored (the scheduler must see it)."""
        await super().commit()
        earliest, self.repo.earliest_ola = self.repo.earliest_ola, None
        if earliest is not None:
            self._ola_committed(earliest)

    def _ola_committed(self, earliest: datetime) -> None:
        """Hook: the runtime's subclass wakes its OLA scheduler (see ``escalation.app``)."""
