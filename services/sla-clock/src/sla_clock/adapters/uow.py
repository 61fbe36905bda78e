"""The sla-clock unit of work."""

from collections.abc import Sequence

from shared.db import UnitOfWork
from sla_clock.adapters.due_alarms import DueAlarms
from sla_clock.adapters.repository import SlaRepository


class SlaUnitOfWork(UnitOfWork):
    """One transaction over the sla_clock schema, its outbox and inbox."""

    sla: SlaRepository
    due_alarms: DueAlarms

    def _open(self) -> None:
        self.sla = SlaRepository(
            self.statements,
            schema=self.schema,
            stored_due=self.stored_due,
            held=self.inbox.locked,
        )
        if not self.direct:  # the scheduler's, on the session (the consumer's is direct)
            self.due_alarms = DueAlarms(self.session, schema=self.schema)

    def claim_locks(self, subjects: Sequence[str]) -> list[str]:
        """The consumer's claim takes each ticket's lock (a ticket event's subject is its
        ticket), so recording the event and reading the clock are then one statement."""
        return [key for key in map(self.sla.lock_key_of, subjects) if key is not None]

    async def _flush(self) -> None:
        """A batch's ticket stores, held for the commit, written as one statement."""
        await self.sla.flush()
