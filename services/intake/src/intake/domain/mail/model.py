"""What a parsed inbound message is: the values intake's mail processing reads.

Frozen and free of I/O so that screening, threading and ticket building can be tested
on plain values; ``parse`` in ``intake.domain.mail.parsing`` makes them from bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Literal

Language = Literal["ru", "en"]


@dataclass(frozen=True, slots=True)
class MailAttachment:
    """One attached (or inline) file, its bytes as sent and its name decoded."""

    filename: str
    declared_type: str  # the Content-Type the sender declared; sniffing is the storer's job
    data: bytes
    inline: bool
    content_id: str | None  # without angle brackets, for cid: references in the HTML


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """A message as the desk reads it: addresses, decoded text, the new part, files.

    ``text`` is the whole body as readable text (HTML-only mail converted), kept so the
    full original stays available; ``reply_text`` is only what the sender wrote this
    time, with quoted history and signature cut. ``notes`` lists every part that could
    not be read as sent (the rest of the message survives it).
    """

    message_id: str
    from_address: str
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None
    text: str
    reply_text: str
    html: str | None
    attachments: tuple[MailAttachment, ...]
    language: Language
    content_type: str = "text/plain"  # the top-level type, e.g. multipart/report
    report_type: str | None = None  # multipart/report's report-type parameter
    delivery_status: tuple[Mapping[str, str], ...] = ()  # message/delivery-status groups
    quoted_message_id: str | None = None  # Message-ID of a quoted rfc822 part (bounces)
    notes: tuple[str, ...] = ()
    raw_headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), decoded; None when absent."""
        wanted = name.lower()
        for key, value in self.raw_headers:
            if key.lower() == wanted:
                return value
        return None

    def header_all(self, name: str) -> tuple[str, ...]:
        """Every value of header ``name`` (any case), in order."""
        wanted = name.lower()
        return tuple(value for key, value in self.raw_headers if key.lower() == wanted)

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers as a read-only mapping (lower-case names; the first value wins)."""
        first: dict[str, str] = {}
        for key, value in self.raw_headers:
            first.setdefault(key.lower(), value)
        return MappingProxyType(first)


ScreeningKind = Literal["accept", "auto_reply", "bounce", "own_address"]


@dataclass(frozen=True, slots=True)
class Screening:
    """Whether a message may open or continue a ticket, and if not, why (for agents)."""

    kind: ScreeningKind
    reason: str

    @property
    def accepted(self) -> bool:
        """True when the message may open a ticket or become a comment."""
        return self.kind == "accept"


@dataclass(frozen=True, slots=True)
class Bounce:
    """What a delivery status notification says failed, and which of our messages it was."""

    failed_recipients: tuple[str, ...]
    original_message_id: str | None
    status: str | None
    diagnostic: str | None
