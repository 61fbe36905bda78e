"""Events owned by intake, on ``support.tickets.v1`` keyed by ticket id."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.base import EventData
from shared.events.policy import PolicyDocument
from shared.events.topics import TICKETS
from shared.events.vocabulary import Severity, SupportLine, TicketStatus, TicketType, Tier


class TicketEventData(EventData):
    """Fields every ticket event carries, so a consumer can act on any one of them."""

    TOPIC: ClassVar[str] = TICKETS

    ticket_id: UUID
    customer_id: UUID | None = None
    status: TicketStatus | None = None
    occurred_at: datetime | None = None


class TicketCreated(TicketEventData):
    """A ticket was registered; sla-clock starts its clocks from ``received_at``."""

    TYPE: ClassVar[str] = "ticket.created"

    registration_number: str
    type: TicketType = TicketType.incident
    severity: Severity
    tier: Tier
    channel: str
    subject: str
    contact_id: UUID | None = None
    contact_email: str | None = None
    received_at: datetime
    severity_capped: bool = False
    policy_version: str | None = None
    # The SLA policy and calendar the ticket was registered with (JSON, see sla-clock).
    policy: PolicyDocument | None = None
    calendar_version: str | None = None
    product: str | None = None
    product_version: str | None = None
    tier_priority: int | None = None
    entered_by: str | None = None
    requested_feature: str | None = None
    description: str | None = None
    # Added within v1 (optional): where a ticket born from a message came from, so a
    # reply can thread to it (the email's Message-ID, the chat and its message id).
    source_message_id: str | None = None
    chat_id: str | None = None


class TicketStatusChanged(TicketEventData):
    """The ticket moved in its lifecycle (taken into work, waiting, resolved, closed ...)."""

    TYPE: ClassVar[str] = "ticket.status_changed"

    from_status: TicketStatus
    to_status: TicketStatus
    reason: str | None = None
    assignee: str | None = None
    action: str | None = None  # take | wait_for_customer | resume | resolve | confirm | ...
    actor: str | None = None
    # Added within v1 (optional): when a resolved ticket closes unless the customer objects.
    auto_close_at: datetime | None = None


class TicketSeverityChanged(TicketEventData):
    """Severity or tier changed on an open ticket; clocks are recomputed from the start."""

    TYPE: ClassVar[str] = "ticket.severity_changed"

    severity: Severity
    previous_severity: Severity
    tier: Tier | None = None
    changed_by: str | None = None


class TicketCorrectiveAction(TicketEventData):
    """A solution, workaround or action plan was recorded: the resolution target is met."""

    TYPE: ClassVar[str] = "ticket.corrective_action_recorded"

    kind: str  # solution | workaround | action_plan
    summary: str | None = None


class TicketHardwareFault(TicketEventData):
    """The fault lies in the customer's hardware: critical/high clocks stop."""

    TYPE: ClassVar[str] = "ticket.hardware_fault_marked"

    reason: str


class TicketCommented(TicketEventData):
    """A comment was added (public or internal)."""

    TYPE: ClassVar[str] = "ticket.commented"

    comment_id: UUID
    public: bool
    author: str | None = None
    author_kind: str | None = None  # customer | agent | system
    body: str | None = None
    channel: str | None = None


class TicketEscalated(TicketEventData):
    """The ticket moved to another support line."""

    TYPE: ClassVar[str] = "ticket.escalated"

    line: SupportLine
    reason: str | None = None
    previous_line: SupportLine | None = None
    source: str | None = None  # agent | escalation (an escalation.raised event)


class TicketAssigned(TicketEventData):
    """The ticket's assignee changed (without a status change)."""

    TYPE: ClassVar[str] = "ticket.assigned"

    assignee: str
    previous_assignee: str | None = None
    source: str | None = None  # agent | escalation (the engineer on duty, by policy)


class TicketChangeRequestAdvanced(TicketEventData):
    """A change request moved one step in its workflow (rules, section 9)."""

    TYPE: ClassVar[str] = "ticket.change_request_advanced"

    step: str
    cr_status: str
    previous_cr_status: str
    actor: str | None = None
    details: dict[str, object] = Field(default_factory=dict)


class TicketTierChanged(TicketEventData):
    """The customer's effective tier went up: the open ticket moves to the new tier's terms.

    Emitted by intake once per (ticket, contract or customer event) when a new or
    upgraded contract (or a warranty) raises the tier; sla-clock recomputes the open
    timers from their original start under ``policy``. A tier going down (expiry,
    downgrade) leaves open tickets on the terms they were admitted under: no event.
    """

    TYPE: ClassVar[str] = "ticket.tier_changed"

    tier: Tier
    previous_tier: Tier
    # The SLA policy of the new tier (the shape ticket.created carries in ``policy``).
    policy: PolicyDocument | None = None
    policy_version: str | None = None
    calendar_version: str | None = None
    severity: Severity | None = None  # served severity under the new tier (basic's cap lifted)
    previous_severity: Severity | None = None
    severity_capped: bool | None = None
    tier_priority: int | None = None
    cause: str | None = None  # the entitlement event type: contract.changed | customer.changed
    cause_id: UUID | None = None  # that event's id
    contract_id: UUID | None = None
