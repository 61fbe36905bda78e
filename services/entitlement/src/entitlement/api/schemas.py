"""HTTP schemas of entitlement: ``XxxCreate`` in, ``XxxRead`` out."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    trained_specialists: int = Field(default=0, ge=0)
    warranty_until: date | None = None


class CustomerRead(BaseModel):
    id: UUID
    name: str
    trained_specialists: int
    warranty_until: date | None


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    email: EmailStr
    phone: str | None = Field(default=None, max_length=50)
    chat_id: str | None = Field(default=None, max_length=200)


class ContactRead(BaseModel):
    id: UUID
    customer_id: UUID
    name: str
    email: str
    phone: str | None
    chat_id: str | None
    active: bool


class EntitlementRead(BaseModel):
    customer_id: UUID
    contact_id: UUID | None = None
    tier: str
    policy_version: str
    max_open_tickets: int | None
    reason: str
