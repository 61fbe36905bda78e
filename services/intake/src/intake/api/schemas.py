"""HTTP schemas of intake: ``XxxCreate`` in, ``XxxRead`` out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from intake.domain.change_request import CrStep
from intake.domain.lifecycle import Action
from intake.domain.model import CorrectiveKind
from intake.domain.premium import ServiceSubtype
from shared.events.vocabulary import Channel, Feature, Severity, TicketType


class AttachmentIn(BaseModel):
    """Metadata of a file kept elsewhere (intake stores no file content)."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=300)
    content_type: str = Field(default="application/octet-stream", max_length=200)
    size_bytes: int = Field(ge=0)
    url: str | None = Field(default=None, max_length=2000)


class ActorIn(BaseModel):
    """Who takes an action; see the README (customer vs agent)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["customer", "agent"]
    contact_email: EmailStr | None = None
    name: str | None = Field(default=None, max_length=200)


class TicketCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "contact_email": "ivan@acme.example",
                    "subject": "Posting fails",
                    "description": "Posting an invoice ends with error E-1042.",
                    "severity": "high",
                }
            ]
        },
    )

    contact_email: EmailStr
    subject: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=100_000)
    severity: Severity = Severity.medium
    type: TicketType = TicketType.incident
    product: str | None = Field(default=None, max_length=200)
    product_version: str | None = Field(default=None, max_length=100)
    channel: Channel = Channel.api
    # The agent who typed in a phone ticket on the contact's behalf.
    entered_by: str | None = Field(default=None, min_length=1, max_length=200)
    # A service request for one of the tier features (on-site visit, remote access, ...).
    requested_feature: Feature | None = None
    # A service request with rules of its own: performance_analysis (premium, business).
    subtype: ServiceSubtype | None = None
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _phone_needs_agent(self) -> TicketCreate:
        if self.channel == Channel.phone and not self.entered_by:
            raise ValueError("a phone ticket needs entered_by: the agent who took the call")
        if self.entered_by and self.channel != Channel.phone:
            raise ValueError("entered_by is only for channel=phone (an agent entering a call)")
        if self.requested_feature and self.type != TicketType.service_request:
            raise ValueError("requested_feature is only for type=service_request")
        return self


class ArticleRef(BaseModel):
    id: UUID
    kind: str
    title: str
    rank: float


class TimerRead(BaseModel):
    timer: str
    state: str
    target: str | None
    due_at: datetime | None
    breached: bool
    breached_at: datetime | None
    met_at: datetime | None


class SlaRead(BaseModel):
    breached: bool
    next_due_at: datetime | None
    timers: list[TimerRead]


class TicketRead(BaseModel):
    id: UUID
    registration_number: str
    customer_id: UUID
    contact_id: UUID | None
    contact_email: str | None
    type: str
    severity: str
    severity_capped: bool
    tier: str
    tier_priority: int
    policy_version: str
    calendar_version: str | None
    channel: str
    entered_by: str | None
    subject: str
    description: str
    product: str | None
    product_version: str | None
    requested_feature: str | None
    attachments: list[dict[str, Any]]
    status: str
    status_reason: str | None
    assignee: str | None
    support_line: int
    hardware_fault: bool
    hardware_fault_reason: str | None
    corrective_actions: list[dict[str, Any]]
    received_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    auto_close_at: datetime | None
    cr_status: str | None
    cr_details: dict[str, Any]
    version: int
    subtype: str | None = None
    remote_access_available: bool = False
    phone_confirmed_by: str | None = None
    phone_confirmed_at: datetime | None = None
    phone_confirmation_recorded_by: str | None = None
    analysis_report: str | None = None
    alert_fingerprint: str | None = None
    maintenance_occurrence_key: str | None = None
    allowed_actions: list[str] = []
    sla: SlaRead | None = None
    suggested_articles: list[ArticleRef] | None = None


class TicketPage(BaseModel):
    items: list[TicketRead]
    next_cursor: str | None


class TransitionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"action": "take"}]},
    )

    action: Action
    assignee: str | None = Field(default=None, min_length=1, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)
    report: str | None = Field(default=None, max_length=2000)
    actor: ActorIn | None = None


class AssignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str = Field(min_length=1, max_length=200)


class CommentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"body": "The posting works again after the patch.", "public": True}]
        },
    )

    body: str = Field(min_length=1, max_length=100_000)
    public: bool = True
    actor: ActorIn | None = None
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)


class CommentRead(BaseModel):
    id: UUID
    ticket_id: UUID
    body: str
    public: bool
    author_kind: str
    author: str | None
    channel: str | None
    attachments: list[dict[str, Any]]
    created_at: datetime


class CorrectiveActionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CorrectiveKind
    summary: str = Field(min_length=1, max_length=20_000)


class SeverityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity: Severity
    reason: str | None = Field(default=None, max_length=2000)
    actor: ActorIn | None = None


class HardwareFaultCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)
    recommendations: str | None = Field(default=None, max_length=20_000)


class EscalationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: int = Field(ge=2, le=3)
    reason: str | None = Field(default=None, max_length=2000)


class ChangeRequestStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: CrStep
    actor: ActorIn | None = None
    person_hours: Decimal | None = Field(default=None, gt=0)
    work_plan: str | None = Field(default=None, max_length=20_000)
    cost: Decimal | None = Field(default=None, ge=0)
    currency: str = Field(default="RUB", min_length=3, max_length=3)
    delivery_date: date | None = None
    release_package: str | None = Field(default=None, max_length=2000)
    instructions: str | None = Field(default=None, max_length=50_000)
    test_plan: str | None = Field(default=None, max_length=50_000)
    defect_protocol: str | None = Field(default=None, max_length=50_000)
    comment: str | None = Field(default=None, max_length=20_000)


class ChangeRequestRead(BaseModel):
    ticket_id: UUID
    registration_number: str
    cr_status: str
    details: dict[str, Any]
    allowed_steps: list[str]


class EmailIn(BaseModel):
    """One inbound email, as an email bot parsed it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: EmailStr = Field(alias="from")
    to: str | None = Field(default=None, max_length=500)
    subject: str = Field(default="", max_length=500)
    body: str = Field(default="", max_length=100_000)
    message_id: str = Field(min_length=1, max_length=500)
    in_reply_to: str | None = Field(default=None, max_length=500)
    severity: Severity = Severity.medium
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)


class ChatIn(BaseModel):
    """One inbound chat message, as a chat bot relays it."""

    model_config = ConfigDict(extra="forbid")

    chat_id: str = Field(min_length=1, max_length=200)
    message_id: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1, max_length=100_000)
    reply_to_message_id: str | None = Field(default=None, max_length=500)
    severity: Severity = Severity.medium


class InboundResult(BaseModel):
    outcome: Literal["ticket_created", "comment_added"]
    duplicate: bool
    ticket: TicketRead
    comment_id: UUID | None = None


class ArticleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["known_error", "typical_solution"]
    title: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1, max_length=100_000)
    product: str | None = Field(default=None, max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=50)


class ArticleRead(BaseModel):
    id: UUID
    kind: str
    title: str
    body: str
    product: str | None
    tags: list[str]
    created_at: datetime
    rank: float | None = None


class QueueItem(BaseModel):
    id: UUID
    registration_number: str
    tier: str
    tier_priority: int
    severity: str
    status: str
    assignee: str | None
    subject: str
    received_at: datetime
    next_due_at: datetime | None
    breached: bool
    support_line: int = 1  # added for the desk's line filter (docs/web.md, "Agent workspace")
