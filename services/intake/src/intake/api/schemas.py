"""HTTP schemas of intake: ``XxxCreate`` in, ``XxxRead`` out."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from intake.domain.model import Channel, Severity, TicketType


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_email: EmailStr
    subject: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=100_000)
    severity: Severity = Severity.medium
    type: TicketType = TicketType.incident
    product: str | None = Field(default=None, max_length=200)
    product_version: str | None = Field(default=None, max_length=100)
    channel: Channel = Channel.api


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
    policy_version: str
    channel: str
    subject: str
    description: str
    product: str | None
    product_version: str | None
    status: str
    received_at: datetime
