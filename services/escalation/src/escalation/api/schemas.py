"""Request and response bodies of the escalation API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, model_validator

Language = Literal["ru", "en"]
StaffRole = Literal["engineer", "lead", "manager"]
Line = Literal[1, 2, 3]


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    email: EmailStr
    chat_id: str | None = Field(default=None, min_length=1, max_length=200)
    phone: str | None = Field(default=None, min_length=1, max_length=50)
    language: Language = "ru"
    line: Line
    role: StaffRole = "engineer"
    active: bool = True
    admin: bool = Field(
        default=False, description="Signs in to the desk as an admin; set by admins only"
    )


class StaffUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=300)
    email: EmailStr | None = None
    chat_id: str | None = Field(default=None, min_length=1, max_length=200)
    phone: str | None = Field(default=None, min_length=1, max_length=50)
    language: Language | None = None
    line: Line | None = None
    role: StaffRole | None = None
    active: bool | None = None
    admin: bool | None = Field(default=None, description="Set by admins only")


class StaffRead(BaseModel):
    id: UUID
    name: str
    email: str
    chat_id: str | None
    phone: str | None
    language: str
    line: int
    role: str
    active: bool
    admin: bool = False


class DutyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: UUID
    line: Line | None = None  # default: the staff member's line
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> DutyCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if (self.ends_at - self.starts_at).days > 31:
            raise ValueError("a shift lasts at most 31 days")
        return self


class DutyRead(BaseModel):
    id: UUID
    staff_id: UUID
    staff_name: str
    line: int
    starts_at: datetime
    ends_at: datetime


class EscalationRead(BaseModel):
    id: UUID
    ticket_id: UUID
    customer_id: UUID | None
    trigger: str
    timer: str | None
    percent: int | None
    from_line: int
    to_line: int | None
    out_of_hours: bool
    assign_to: UUID | None
    recipients: list[dict[str, Any]]
    reason: str | None
    policy_version: str | None
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
