"""Commands the use cases take: what a caller asks intake to do, free of HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from intake.domain.actors import Actor
from intake.domain.change_request import CrStep
from intake.domain.lifecycle import Action
from shared.events.vocabulary import Channel, Severity, TicketType


@dataclass(frozen=True, kw_only=True)
class OpenTicket:
    """Register a ticket for an active contact."""

    contact_email: str
    subject: str
    description: str = ""
    severity: Severity = Severity.medium
    type: TicketType = TicketType.incident
    product: str | None = None
    product_version: str | None = None
    channel: Channel = Channel.api
    entered_by: str | None = None
    requested_feature: str | None = None
    subtype: str | None = None  # a service request with rules of its own (domain.premium)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    # Same key and same fingerprint: the same request again (Idempotency-Key).
    idempotency_key: str | None = None
    fingerprint: str | None = None


@dataclass(frozen=True, kw_only=True)
class MoveTicket:
    """Take one lifecycle move."""

    ticket_id: UUID
    action: Action
    actor: Actor
    assignee: str | None = None
    reason: str | None = None
    report: str | None = None  # a performance analysis resolves with its report


@dataclass(frozen=True, kw_only=True)
class AddComment:
    """Add a public or internal comment."""

    ticket_id: UUID
    body: str
    public: bool
    actor: Actor
    channel: str | None = "api"
    attachments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class InboundMessage:
    """One email or chat message: a new ticket, or a comment on the ticket it answers."""

    channel: Channel
    external_id: str
    conversation: str
    reply_to: str | None
    thread_text: str
    lookup: dict[str, str]
    body: str
    actor_name: str
    attachments: list[dict[str, Any]]
    ticket: OpenTicket
    # An email's References, oldest first: a reply threads on the newest one intake knows.
    references: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AdvanceChangeRequest:
    """Take one step of a change request's workflow."""

    ticket_id: UUID
    step: CrStep
    actor: Actor
    details: dict[str, Any]
