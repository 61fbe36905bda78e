"""HTTP schemas of intake's inbound mail records."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

MailStatusOut = Literal[
    "pending", "ticket_created", "comment_added", "ignored", "unknown_sender", "failed"
]


class MailRead(BaseModel):
    """One received message's record: where it came from and what became of it."""

    id: UUID
    message_id: str
    source: Literal["smtp", "imap", "api"]
    size: int
    envelope_from: str | None
    recipients: list[str]
    received_at: datetime
    status: MailStatusOut
    reason: str | None
    from_address: str | None
    subject: str | None
    ticket_id: UUID | None
    comment_id: UUID | None
    attempts: int
    next_attempt_at: datetime | None
    processed_at: datetime | None
    raw_url: str


class MailPage(BaseModel):
    items: list[MailRead]
    next_cursor: str | None


class MailAttachmentSummary(BaseModel):
    filename: str
    declared_type: str
    size: int
    inline: bool


class MailSummary(BaseModel):
    """What the parser reads in the message (the original stays at ``raw_url``)."""

    from_address: str
    from_name: str
    to: list[str]
    cc: list[str]
    subject: str
    date: datetime | None
    in_reply_to: str | None
    references: list[str]
    language: str
    text: str
    reply_text: str
    has_html: bool
    attachments: list[MailAttachmentSummary]


class MailDetail(MailRead):
    """A record with the parsed summary of its message."""

    parsed: MailSummary


class RawMailResult(BaseModel):
    """A raw message the API took that made no ticket (202): why, and where its record is."""

    outcome: Literal["ignored", "unknown_sender", "pending"]
    reason: str | None
    mail_id: UUID
    duplicate: bool
    record_url: str
