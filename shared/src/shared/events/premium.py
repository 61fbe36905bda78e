"""Events of the premium and business services.

Ticket-scoped facts (visits, monitoring alerts, the phone confirmation) are intake's and
go on ``support.tickets.v1`` keyed by ticket id, in order with the ticket's other events.
Plan-scoped facts (maintenance occurrences) are entitlement's and go on
``support.contracts.v1`` keyed by customer id; intake opens the service-request ticket
of an occurrence on ``maintenance.occurrence_opened``, once per ``occurrence_key``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from shared.events.contracts import ContractsEventData
from shared.events.tickets import TicketEventData

__all__ = [
    "MaintenanceOccurrenceMoved",
    "MaintenanceOccurrenceOpened",
    "MaintenanceOccurrenceSkipped",
    "TicketAlertReceived",
    "TicketPhoneConfirmationRecorded",
    "VisitCancelled",
    "VisitDone",
    "VisitRequested",
    "VisitScheduled",
]


class VisitEventData(TicketEventData):
    """Fields every on-site visit event carries."""

    visit_id: UUID


class VisitRequested(VisitEventData):
    """An on-site visit was requested on a ticket (premium, business)."""

    TYPE: ClassVar[str] = "ticket.visit_requested"

    address: str
    wished_date: date
    requested_by: str | None = None


class VisitScheduled(VisitEventData):
    """An on-site visit was scheduled, or rescheduled, with the engineer who goes."""

    TYPE: ClassVar[str] = "ticket.visit_scheduled"

    scheduled_at: datetime
    engineer: str


class VisitDone(VisitEventData):
    """An on-site visit was made: who went and how long it took."""

    TYPE: ClassVar[str] = "ticket.visit_done"

    engineer: str
    time_spent_minutes: int
    done_at: datetime


class VisitCancelled(VisitEventData):
    """An on-site visit was cancelled, with the reason."""

    TYPE: ClassVar[str] = "ticket.visit_cancelled"

    reason: str
    cancelled_by: str | None = None


class TicketAlertReceived(TicketEventData):
    """A monitoring alert opened the ticket, was added to it, or resolved on it."""

    TYPE: ClassVar[str] = "ticket.alert_received"

    fingerprint: str
    action: str  # open_ticket | add_to_ticket | comment_resolved
    alert_status: str  # firing | resolved
    alert_name: str | None = None
    severity: str | None = None  # the mapped severity, when the alert opened the ticket
    group_key: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class TicketPhoneConfirmationRecorded(TicketEventData):
    """The customer confirmed a critical ticket by phone.

    Under a policy with ``critical_resolution_starts: confirmation`` sla-clock starts
    the ticket's resolution clock at ``confirmed_at``.
    """

    TYPE: ClassVar[str] = "ticket.phone_confirmation_recorded"

    confirmed_by: str
    confirmed_at: datetime
    recorded_by: str | None = None


class MaintenanceOccurrenceData(ContractsEventData):
    """Fields every maintenance occurrence event carries; the key is unique per occurrence."""

    plan_id: UUID
    occurrence_key: str
    occurrence_id: UUID
    original_at: datetime


class MaintenanceOccurrenceOpened(MaintenanceOccurrenceData):
    """An occurrence's lead time began: its service-request ticket is to be opened."""

    TYPE: ClassVar[str] = "maintenance.occurrence_opened"

    scheduled_at: datetime
    what: str
    # Added within v1 (optional): whom the ticket is for (the plan's contact, else the
    # customer's first active one), and the plan's zone for the local time in its text.
    contact_id: UUID | None = None
    contact_email: str | None = None
    timezone: str | None = None
    opens_at: datetime | None = None


class MaintenanceOccurrenceMoved(MaintenanceOccurrenceData):
    """An occurrence happens at another instant than its rule says, with the reason."""

    TYPE: ClassVar[str] = "maintenance.occurrence_moved"

    scheduled_at: datetime
    reason: str
    moved_by: str | None = None  # None: moved by the plan's window rule


class MaintenanceOccurrenceSkipped(MaintenanceOccurrenceData):
    """An occurrence does not happen, with the reason."""

    TYPE: ClassVar[str] = "maintenance.occurrence_skipped"

    reason: str
    skipped_by: str | None = None  # None: skipped by the plan's window rule
