"""Events about inbound mail that intake did not turn into a ticket, on ``support.mail.v1``.

Keyed by the address concerned (lower-case), so every event about one address is in
order. Intake announces them from its outbox when it screens a message; notification
acts on them: a polite answer to an unknown sender, and a stop on mailing an address
whose mail bounced.
"""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from shared.events.base import EventData
from shared.events.topics import MAIL


class MailEventData(EventData):
    """Fields every inbound-mail event carries."""

    TOPIC: ClassVar[str] = MAIL

    inbound_id: UUID  # intake's record of the message (GET /api/v1/intake/mail/{id})
    message_id: str  # the inbound message's Message-ID, without angle brackets
    address: str  # the address the event is about, lower-case


class MailSenderUnknown(MailEventData):
    """Mail came from an address that is no contact of any customer; nothing was opened.

    ``address`` is the sender. Notification answers once, politely and in both
    languages, rate-limited per address.
    """

    TYPE: ClassVar[str] = "mail.sender_unknown"

    subject: str = ""
    language: Literal["ru", "en"] = "ru"  # a guess from the message, for the answer's order


class MailBounced(MailEventData):
    """A delivery status notification says mail to ``address`` failed permanently.

    ``original_message_id`` is the Message-ID of the desk's own message that bounced,
    when the report quotes it. Notification stops mailing ``address`` until the
    contact's address changes.
    """

    TYPE: ClassVar[str] = "mail.bounced"

    original_message_id: str | None = None
    status: str | None = None  # the DSN's Status, e.g. 5.1.1
    diagnostic: str | None = None  # the DSN's Diagnostic-Code, as sent
