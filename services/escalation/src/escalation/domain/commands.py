"""What callers ask escalation to do or to show: plain data, no HTTP and no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from escalation.domain.model import TicketFacts, TimerChange


@dataclass(frozen=True)
class NewStaff:
    """Add a member of the vendor's support staff."""

    name: str
    email: str
    line: int
    chat_id: str | None = None
    phone: str | None = None
    language: str = "ru"
    role: str = "engineer"
    active: bool = True
    admin: bool = False


@dataclass(frozen=True)
class NewShift:
    """Put a staff member on duty for a line (None: the member's own line) over an interval."""

    staff_id: UUID
    line: int | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class StaffFilter:
    """Which staff members to list (None: any)."""

    line: int | None = None
    role: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class EscalationFilter:
    """Which escalations to list, newest first (None: any)."""

    ticket_id: UUID | None = None
    customer_id: UUID | None = None
    line: int | None = None
    state: str | None = None  # open | acknowledged
    out_of_hours: bool | None = None
    limit: int = 100


@dataclass(frozen=True)
class RecordTicket:
    """A ticket event's facts; ``responded_at``: it is also the line's response then."""

    ticket_id: UUID
    facts: TicketFacts
    responded_at: datetime | None = None


@dataclass(frozen=True)
class MoveTicket:
    """Intake moved a ticket to another line (``source``: agent, or escalation's own decision)."""

    ticket_id: UUID
    line: int
    previous_line: int | None
    customer_id: UUID | None
    source: str | None
    reason: str | None
    event_id: UUID
    at: datetime


@dataclass(frozen=True)
class RecordTimer:
    """A timer's new state; ``ticket``: what the timer event says of its ticket."""

    ticket_id: UUID
    timer: str
    timer_id: UUID | None
    change: TimerChange
    ticket: TicketFacts
