"""Request and response bodies of the notification API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class WebhookCreate(BaseModel):
    """A subscription: where to POST, which event types, optionally one customer's only."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000)
    event_types: list[str] = Field(min_length=1, max_length=100)
    customer_id: UUID | None = None


class WebhookRead(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    customer_id: UUID | None
    active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime


class WebhookCreated(WebhookRead):
    """Returned once, by the POST: the only time the secret is shown."""

    secret: str


class AttemptRead(BaseModel):
    attempt: int
    attempted_at: datetime
    ok: bool
    status_code: int | None
    reply: str | None
    latency_ms: float


class NotificationRead(BaseModel):
    id: UUID
    channel: Literal["email", "webhook", "chat"] | str
    recipient: str
    template: str
    language: str
    status: str
    attempts: int
    ticket_id: UUID | None
    customer_id: UUID | None
    subscription_id: UUID | None
    source_event_id: UUID | None
    source_event_type: str | None
    message_id: str | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    attempt_log: list[AttemptRead] = Field(default_factory=list)

    @classmethod
    def of(cls, row: Any, attempts: list[AttemptRead] | None = None) -> NotificationRead:
        data = {k: getattr(row, k) for k in cls.model_fields if k != "attempt_log"}
        if row.status in {"sent", "failed", "skipped"}:
            data["next_attempt_at"] = None
        return cls(**data, attempt_log=attempts or [])


class FailingAddressRead(BaseModel):
    """An address notification does not mail: its mail bounced (``mail.bounced``)."""

    address: str
    status: str | None = Field(description="The bounce's DSN status, e.g. 5.1.1.")
    diagnostic: str | None = Field(description="The receiving server's words, as reported.")
    bounced_at: datetime
    original_message_id: str | None = Field(
        description="Message-ID of the desk's message that bounced, when the report quoted it."
    )
    inbound_id: str | None = Field(description="Intake's record of the bounce report.")
