"""In-memory unit of work for escalation's use-case tests: no database.

Cosmic Python's pattern: repositories over dicts and lists that keep the SQL's
semantics (unique keys, ordering, the OLA due and met conditions, which they take from
``escalation.domain.ola`` as the SQL does), the events the outbox would hold, and a
``committed`` flag.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from uuid import UUID, uuid4

import pytest

from escalation.domain.commands import EscalationFilter, NewShift, NewStaff, StaffFilter
from escalation.domain.decisions import TicketView, TimerView
from escalation.domain.errors import EmailTaken
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
from escalation.domain.ola import is_due, is_met_by, next_instant
from shared.events.base import Envelope, EventData

# Monday 30 Nov 2026: 12:00 Moscow is 09:00 UTC (office hours); 03:00 Moscow is 00:00 UTC.
OFFICE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


class FakeTickets:
    def __init__(self) -> None:
        self.items: dict[UUID, TicketView] = {}
        self.locked: list[UUID] = []

    async def lock(self, ticket_id: UUID) -> None:
        self.locked.append(ticket_id)

    async def get(self, ticket_id: UUID) -> TicketView | None:
        return self.items.get(ticket_id)

    async def record(self, ticket_id: UUID, facts: TicketFacts) -> None:
        known = facts.known()
        found = self.items.get(ticket_id)
        if found is None:
            found = TicketView(ticket_id=ticket_id, status="new")
        self.items[ticket_id] = dataclasses.replace(found, **known)


class FakeTimers:
    def __init__(self, tickets: FakeTickets) -> None:
        self._tickets = tickets
        self.items: dict[tuple[UUID, str], TimerView] = {}
        self.ids: dict[tuple[UUID, str], UUID | None] = {}

    async def get(self, ticket_id: UUID, timer: str) -> TimerView | None:
        return self.items.get((ticket_id, timer))

    async def record(
        self,
        ticket_id: UUID,
        timer: str,
        *,
        change: TimerChange,
        timer_id: UUID | None,
        ticket: TicketFacts,
    ) -> None:
        if ticket.known():
            await self._tickets.record(ticket_id, ticket)
        key = (ticket_id, timer)
        found = self.items.get(key)
        if found is None:
            due = None if change.keep_due else change.due_at
            self.items[key] = TimerView(change.state or "running", due)
        else:
            due = found.due_at if change.keep_due else change.due_at
            self.items[key] = TimerView(change.state or found.state, due)
        self.ids[key] = timer_id or self.ids.get(key)


class FakeContracts:
    def __init__(self) -> None:
        self.items: dict[UUID, Contract] = {}
        self.stored: dict[tuple[UUID, str], StoredPolicy] = {}

    async def record(self, contract: Contract) -> None:
        self.items[contract.contract_id] = contract

    async def in_force(self, customer_id: UUID, tier: str | None, at: datetime) -> Contract | None:
        found = [c for c in self.items.values() if c.customer_id == customer_id and c.in_force(at)]
        # As the SQL orders them: the ticket's tier first, then the latest end (open-ended last).
        found.sort(key=lambda c: c.ends_at or datetime.min.replace(tzinfo=UTC), reverse=True)
        found.sort(
            key=lambda c: 2 if tier is None or c.tier is None else 0 if c.tier == tier else 1
        )
        return found[0] if found else None

    async def save_policy(self, contract_id: UUID, version: str, document: dict[str, Any]) -> None:
        self.stored[(contract_id, version)] = StoredPolicy(version, contract_id, document)

    async def policies(self) -> list[StoredPolicy]:
        return list(self.stored.values())


class FakeContacts:
    def __init__(self) -> None:
        self.items: dict[UUID, Contact] = {}

    async def record(self, contact: Contact) -> None:
        self.items[contact.contact_id] = contact

    async def active_of(self, customer_id: UUID) -> list[Contact]:
        found = [c for c in self.items.values() if c.customer_id == customer_id and c.active]
        return sorted(found, key=lambda c: (c.name is None, c.name or ""))


class FakeStaff:
    def __init__(self) -> None:
        self.members: dict[UUID, StaffMember] = {}
        self.shift_rows: list[Shift] = []

    def _taken(self, email: str, staff_id: UUID) -> bool:
        return any(m.email == email and m.id != staff_id for m in self.members.values())

    async def add(self, staff_id: UUID, member: NewStaff) -> StaffMember:
        if self._taken(member.email, staff_id):
            raise EmailTaken(member.email)
        added = StaffMember(id=staff_id, **dataclasses.asdict(member))
        self.members[staff_id] = added
        return added

    async def get(self, staff_id: UUID) -> StaffMember | None:
        return self.members.get(staff_id)

    async def listed(self, where: StaffFilter) -> list[StaffMember]:
        found = [
            m
            for m in self.members.values()
            if where.line in (None, m.line)
            and where.role in (None, m.role)
            and where.active in (None, m.active)
        ]
        return sorted(found, key=lambda m: (m.line, m.name))

    async def update(self, staff_id: UUID, changes: dict[str, Any]) -> StaffMember | None:
        found = self.members.get(staff_id)
        if found is None:
            return None
        if "email" in changes and self._taken(changes["email"], staff_id):
            raise EmailTaken(changes["email"])
        self.members[staff_id] = dataclasses.replace(found, **changes)
        return self.members[staff_id]

    async def active_by_ids(self, ids: Sequence[UUID]) -> list[StaffMember]:
        return [self.members[i] for i in ids if i in self.members and self.members[i].active]

    async def matching(self, who: str) -> list[StaffMember]:
        found = [
            m
            for m in self.members.values()
            if m.active and (str(m.id) == who or m.email.lower() == who.lower() or m.name == who)
        ]
        return found[:1]

    async def line_people(self, line: int, at: datetime) -> list[tuple[str, StaffMember]]:
        leads = sorted(
            (m for m in self.members.values() if m.active and m.line == line and m.role == "lead"),
            key=lambda m: m.name,
        )
        on_duty = sorted(
            (s for s in await self.shifts(line, at) if self.members[s.staff_id].active),
            key=lambda s: (s.starts_at, s.staff_name),
        )
        return [("line_lead", m) for m in leads] + [
            ("on_duty", self.members[s.staff_id]) for s in on_duty
        ]

    async def add_shift(self, shift_id: UUID, shift: NewShift, *, line: int) -> None:
        name = self.members[shift.staff_id].name
        self.shift_rows.append(
            Shift(shift_id, shift.staff_id, name, line, shift.starts_at, shift.ends_at)
        )

    async def shifts(self, line: int | None, at: datetime) -> list[Shift]:
        found = [
            s for s in self.shift_rows if line in (None, s.line) and s.starts_at <= at < s.ends_at
        ]
        return sorted(found, key=lambda s: (s.line, s.starts_at))


class FakeEscalations:
    def __init__(self) -> None:
        self.items: dict[UUID, Escalation] = {}
        self.keys: set[str] = set()

    async def add(self, escalation: Escalation, *, key: str) -> bool:
        if key in self.keys:
            return False
        self.keys.add(key)
        self.items[escalation.id] = escalation
        return True

    async def get(self, escalation_id: UUID, *, for_update: bool = False) -> Escalation | None:
        return self.items.get(escalation_id)

    async def listed(self, where: EscalationFilter) -> list[Escalation]:
        found = [
            e
            for e in self.items.values()
            if where.ticket_id in (None, e.ticket_id)
            and where.customer_id in (None, e.customer_id)
            and where.line in (None, e.line)
            and (where.state is None or (where.state == "open") == (e.acknowledged_at is None))
            and where.out_of_hours in (None, e.out_of_hours)
        ]
        found.sort(key=lambda e: (e.raised_at, e.id), reverse=True)
        return found[: where.limit]

    async def of_ticket(self, ticket_id: UUID) -> list[Escalation]:
        found = [e for e in self.items.values() if e.ticket_id == ticket_id]
        return sorted(found, key=lambda e: (e.raised_at, e.id))

    async def acknowledge(self, escalation_id: UUID, *, by: str, at: datetime) -> Escalation:
        found = self.items[escalation_id]
        self.items[escalation_id] = dataclasses.replace(
            found, acknowledged_at=at, acknowledged_by=by
        )
        return self.items[escalation_id]


_STAMP = {"warning": "warned_at", "breach": "breached_at"}


class FakeOlas:
    def __init__(self) -> None:
        self.items: dict[UUID, OlaTarget] = {}

    def of(self, ticket_id: UUID) -> list[OlaTarget]:
        return sorted(
            (t for t in self.items.values() if t.ticket_id == ticket_id), key=lambda t: t.line
        )

    async def add(self, target: OlaTarget) -> bool:
        if any(
            (t.ticket_id, t.line) == (target.ticket_id, target.line) for t in self.items.values()
        ):
            return False
        self.items[target.id] = target
        return True

    async def meet(self, ticket_id: UUID, *, at: datetime, line: int | None) -> int:
        met = [t for t in self.of(ticket_id) if is_met_by(t, at=at, line=line)]
        for target in met:
            self.items[target.id] = dataclasses.replace(target, met_at=at)
        return len(met)

    async def claim_due(self, stage: OlaStage, now: datetime, *, limit: int) -> list[OlaTarget]:
        due = [t for t in self.items.values() if is_due(t, stage, now)]
        due.sort(key=lambda t: t.warning_at if stage == "warning" else t.due_at)
        return due[:limit]

    async def stamp(self, target_id: UUID, stage: OlaStage, at: datetime) -> None:
        self.items[target_id] = dataclasses.replace(self.items[target_id], **{_STAMP[stage]: at})

    async def next_instant(self) -> datetime | None:
        return next_instant(self.items.values())


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[EventData] = []

    async def publish(
        self, data: EventData, *, subject: str, key: str | None = None, sequence: int | None = None
    ) -> Envelope:
        self.events.append(data)
        return Envelope.wrap(data, source="escalation", subject=subject)


class FakeUnitOfWork:
    """Repositories in memory; ``outbox.events`` is what the relay would publish."""

    def __init__(self) -> None:
        self.tickets = FakeTickets()
        self.timers = FakeTimers(self.tickets)
        self.contracts = FakeContracts()
        self.contacts = FakeContacts()
        self.staff = FakeStaff()
        self.escalations = FakeEscalations()
        self.olas = FakeOlas()
        self.outbox = FakeOutbox()
        self.due: list[datetime] = []
        self.commits = 0
        self.entered = False

    async def __aenter__(self) -> Self:
        # As the real one: a nested transaction on one unit of work is a bug.
        assert not self.entered, "unit of work entered twice (nested transaction)"
        self.entered = True
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.entered = False

    async def commit(self) -> None:
        self.commits += 1

    @property
    def committed(self) -> bool:
        return self.commits > 0

    def stored_due(self, at: datetime) -> None:
        self.due.append(at)

    def published(self, event_type: type[EventData]) -> list[Any]:
        """The events of one type the outbox holds, in order."""
        return [e for e in self.outbox.events if isinstance(e, event_type)]

    # ----------------------------------------------------------------- builders
    async def ticket(self, **facts: Any) -> TicketView:
        """A ticket escalation has read (premium critical, new, line 1, unless told)."""
        ticket_id = facts.pop("ticket_id", None) or uuid4()
        values: dict[str, Any] = {
            "customer_id": uuid4(),
            "registration_number": "T-1",
            "tier": "premium",
            "severity": "critical",
            "status": "new",
        }
        values.update(facts)
        await self.tickets.record(ticket_id, TicketFacts(**values))
        found = await self.tickets.get(ticket_id)
        assert found is not None
        return found

    async def running(self, ticket: TicketView, timer: str, due_at: datetime) -> None:
        """The ticket's ``timer`` runs toward ``due_at``."""
        await self.timers.record(
            ticket.ticket_id,
            timer,
            change=TimerChange("running", due_at),
            timer_id=None,
            ticket=TicketFacts(),
        )

    async def member(
        self, name: str, *, line: int = 2, role: str = "engineer", **kw: Any
    ) -> StaffMember:
        """A staff member with an address of their name."""
        email = kw.pop("email", f"{name.lower()}@vendor.example")
        return await self.staff.add(
            uuid4(), NewStaff(name=name, email=email, line=line, role=role, **kw)
        )

    async def on_duty(
        self, member: StaffMember, *, line: int | None = None, around: datetime = NIGHT
    ) -> None:
        """``member`` on duty for ``line`` (their own by default) for a day around ``around``."""
        shift = NewShift(
            member.id, line, around - timedelta(hours=12), around + timedelta(hours=12)
        )
        await self.staff.add_shift(uuid4(), shift, line=line or member.line)

    async def contract(self, customer_id: UUID, **fields: Any) -> Contract:
        """A contract of the customer in force from long ago, without end unless told."""
        contract = Contract(contract_id=uuid4(), customer_id=customer_id, **fields)
        await self.contracts.record(contract)
        return contract


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()
