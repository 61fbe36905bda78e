"""The sla-clock unit of work."""

from datetime import datetime

from shared.db import UnitOfWork
from sla_clock.adapters.repository import SlaRepository


class SlaUnitOfWork(UnitOfWork):
    """One transaction over the sla_clock schema, its outbox and inbox."""

    sla: SlaRepository

    def _open(self) -> None:
        self.sla = SlaRepository(self.session, schema=self.schema)

    async def commit(self) -> None:
        """Commit, then announce the earliest alarm stored (after: the scheduler must see it)."""
        await super().commit()
        earliest, self.sla.earliest_alarm = self.sla.earliest_alarm, None
        if earliest is not None:
            self._alarms_committed(earliest)

    def _alarms_committed(self, earliest: datetime) -> None:
        """Tell the process's scheduler; a runtime's subclass overrides (see ``app``)."""
