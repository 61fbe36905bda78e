"""What escalation's use cases need from storage: the unit of work and its repositories.

``adapters.uow.EscalationUnitOfWork`` is the PostgreSQL one; the unit tests use an
in-memory one (``tests/unit/conftest.py``). The use cases see only these protocols, so
the policy, the people lookup and the OLA rules run without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from escalation.domain.commands import EscalationFilter, NewShift, NewStaff, StaffFilter
from escalation.domain.decisions import TicketView, TimerView
from escalation.domain.model import (
    Contact,
    Contract,
    Escalation,
    OlaStage,
    OlaTarget,
    Shift,
    StaffMember,
    StoredPolicy,
    TicketFacts,
    TimerChange,
)
from shared.events.base import Envelope, EventData


class TicketRepository(Protocol):
    """The tickets' read model."""

    async def lock(self, ticket_id: UUID) -> None:
        """Serialise decisions on one ticket until the transaction ends."""

    async def get(self, ticket_id: UUID) -> TicketView | None: ...
    async def record(self, ticket_id: UUID, facts: TicketFacts) -> None:
        """Create the ticket (status ``new`` unless told) or update the fields ``facts`` has."""


class TimerRepository(Protocol):
    """Each ticket's SLA timers as sla-clock last reported them."""

    async def get(self, ticket_id: UUID, timer: str) -> TimerView | None: ...
    async def record(
        self,
        ticket_id: UUID,
        timer: str,
        *,
        change: TimerChange,
        timer_id: UUID | None,
        ticket: TicketFacts,
    ) -> None:
        """Store the timer's change and, with it, what the event says of the ticket."""


class ContractRepository(Protocol):
    """Customers' contracts and the versions of their own escalation policies."""

    async def record(self, contract: Contract) -> None: ...
    async def in_force(self, customer_id: UUID, tier: str | None, at: datetime) -> Contract | None:
        """The contract in force at ``at``, one of the ticket's tier first."""

    async def save_policy(self, contract_id: UUID, version: str, document: dict[str, Any]) -> None:
        """Keep a policy version (the latest document under each label)."""

    async def policies(self) -> list[StoredPolicy]:
        """Every stored contract policy, oldest first."""


class ContactRepository(Protocol):
    """Customers' contacts."""

    async def record(self, contact: Contact) -> None: ...
    async def active_of(self, customer_id: UUID) -> list[Contact]:
        """The customer's active contacts by name."""


class StaffRepository(Protocol):
    """The vendor's people and its duty roster."""

    async def add(self, staff_id: UUID, member: NewStaff) -> StaffMember:
        """Store a new member; raises ``EmailTaken`` if the email is someone else's."""

    async def get(self, staff_id: UUID) -> StaffMember | None: ...
    async def listed(self, where: StaffFilter) -> list[StaffMember]: ...
    async def update(self, staff_id: UUID, changes: dict[str, Any]) -> StaffMember | None:
        """Change the given columns; None if no such member; ``EmailTaken`` on a taken email."""

    async def active_by_ids(self, ids: Sequence[UUID]) -> list[StaffMember]: ...
    async def matching(self, who: str) -> list[StaffMember]:
        """An active member as intake names an assignee: a staff id, an email or a name."""

    async def line_people(self, line: int, at: datetime) -> list[tuple[str, StaffMember]]:
        """The line's active leads (``line_lead``), then who is on duty for it at ``at``."""

    async def add_shift(self, shift_id: UUID, shift: NewShift, *, line: int) -> None: ...
    async def shifts(self, line: int | None, at: datetime) -> list[Shift]:
        """The shifts covering ``at`` (of one line, or all)."""


class EscalationRepository(Protocol):
    """Every decision escalation took."""

    async def add(self, escalation: Escalation, *, key: str) -> bool:
        """Store it; False if ``key`` was already used (a replay: nothing stored)."""

    async def get(self, escalation_id: UUID, *, for_update: bool = False) -> Escalation | None: ...
    async def listed(self, where: EscalationFilter) -> list[Escalation]: ...
    async def of_ticket(self, ticket_id: UUID) -> list[Escalation]: ...
    async def acknowledge(self, escalation_id: UUID, *, by: str, at: datetime) -> Escalation: ...


class OlaRepository(Protocol):
    """The lines' own response targets."""

    async def add(self, target: OlaTarget) -> bool:
        """Store a target; False if the line already has one for the ticket."""

    async def meet(self, ticket_id: UUID, *, at: datetime, line: int | None) -> int:
        """Mark the open targets ``is_met_by`` a response at ``at``; how many were."""

    async def claim_due(self, stage: OlaStage, now: datetime, *, limit: int) -> list[OlaTarget]:
        """Lock the targets whose ``stage`` is due (``is_due``), skipping locked ones."""

    async def stamp(self, target_id: UUID, stage: OlaStage, at: datetime) -> None:
        """Record that ``stage`` fired."""

    async def next_instant(self) -> datetime | None:
        """The earliest instant still to fire (``domain.ola.next_instant``)."""


class EventOutbox(Protocol):
    """Events written in the transaction, published by the relay after it commits."""

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope: ...


class UnitOfWork(Protocol):
    """One transaction over escalation's repositories and outbox; rolls back unless committed."""

    tickets: TicketRepository
    timers: TimerRepository
    contracts: ContractRepository
    contacts: ContactRepository
    staff: StaffRepository
    escalations: EscalationRepository
    olas: OlaRepository

    @property
    def outbox(self) -> EventOutbox:
        """Where the transaction's events wait for the relay."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    def stored_due(self, at: datetime) -> None:
        """Note a target stored for the OLA scheduler: it wakes after the commit."""
