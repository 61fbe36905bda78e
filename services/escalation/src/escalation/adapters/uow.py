"""The escalation unit of work on PostgreSQL: one transaction over its repositories."""

from __future__ import annotations

from escalation.adapters.escalations import SqlEscalationRepository, SqlOlaRepository
from escalation.adapters.people import SqlStaffRepository
from escalation.adapters.repository import (
    SqlContactRepository,
    SqlContractRepository,
    SqlTicketRepository,
    SqlTimerRepository,
)
from escalation.uow import (
    ContactRepository,
    ContractRepository,
    EscalationRepository,
    OlaRepository,
    StaffRepository,
    TicketRepository,
    TimerRepository,
)
from shared.db import UnitOfWork


class EscalationUnitOfWork(UnitOfWork):
    """One transaction over the escalation schema, its outbox and inbox."""

    tickets: TicketRepository
    timers: TimerRepository
    contracts: ContractRepository
    contacts: ContactRepository
    staff: StaffRepository
    escalations: EscalationRepository
    olas: OlaRepository

    def _open(self) -> None:
        session, schema = self.statements, self.schema
        self.tickets = SqlTicketRepository(session, schema=schema)
        self.timers = SqlTimerRepository(session, schema=schema)
        self.contracts = SqlContractRepository(session, schema=schema)
        self.contacts = SqlContactRepository(session, schema=schema)
        self.staff = SqlStaffRepository(session, schema=schema)
        self.escalations = SqlEscalationRepository(session, schema=schema)
        self.olas = SqlOlaRepository(session, schema=schema)
