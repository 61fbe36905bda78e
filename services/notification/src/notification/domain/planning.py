"""Who is told what about an event: pure decisions, no I/O.

Handlers load the read models (ticket, contact, customer time zone, subscriptions),
call these functions, and store each :class:`Planned` as a delivery row keyed by
:func:`notification.domain.keys.delivery_key`. Nothing here sends anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic_core import to_jsonable_python

from notification.domain.templates import language_of
from shared.events.base import EventData
from shared.events.contracts import ReleasePublished
from shared.events.escalations import EscalationRaised, OlaBreached, OlaWarning
from shared.events.tickets import (
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketStatusChanged,
)
from shared.events.vocabulary import FINAL_STATUSES, TicketStatus

EMAIL, WEBHOOK, CHAT = "email", "webhook", "chat"

# ticket.status_changed to_status -> the contact's template.
# Every final status (closed, and the excluded ones) is told as "closed".
STATUS_TEMPLATES: dict[TicketStatus, str] = {
    TicketStatus.waiting_customer: "waiting_customer",
    TicketStatus.resolved: "resolved",
    **dict.fromkeys(FINAL_STATUSES, "closed"),
}
# ticket.change_request_advanced cr_status -> the contact's template.
CR_TEMPLATES = {"proposal_sent": "cr_estimate", "delivered": "cr_delivered"}
# The events that name staff to tell (escalation decided who).
StaffEvent = EscalationRaised | OlaWarning | OlaBreached


@dataclass(frozen=True)
class TicketFacts:
    """What notification keeps of a ticket (``ticket_view``)."""

    ticket_id: UUID
    customer_id: UUID | None = None
    registration_number: str | None = None
    title: str | None = None
    severity: str | None = None
    severity_capped: bool = False
    channel: str | None = None
    contact_id: UUID | None = None
    contact_email: str | None = None
    source_message_id: str | None = None
    chat_id: str | None = None
    response_due: datetime | None = None
    resolution_due: datetime | None = None


@dataclass(frozen=True)
class ContactFacts:
    """A customer's contact as ``contact.changed`` described it."""

    contact_id: UUID
    customer_id: UUID
    name: str | None = None
    email: str | None = None
    chat_id: str | None = None
    language: str = "ru"
    active: bool = True


@dataclass(frozen=True)
class Addressed:
    """A ticket with what a message to its contact needs: the contact, the time zone."""

    ticket: TicketFacts
    contact: ContactFacts | None  # None: no contact, or not yet known (contact.changed)
    timezone: str | None  # the customer's, None while unknown


@dataclass(frozen=True)
class Planned:
    """One message to one recipient over one channel."""

    channel: str
    recipient: str
    template: str
    language: str = "ru"
    context: dict[str, Any] = field(default_factory=dict)
    in_reply_to: str | None = None
    subscription_id: UUID | None = None
    # Set: stored as skipped with this reason and never attempted (domain.answers).
    skip_reason: str | None = None


def ticket_context(ticket: TicketFacts, timezone: str | None) -> dict[str, Any]:
    """Template variables every ticket message has."""
    return {
        "ticket_id": str(ticket.ticket_id),
        "registration_number": ticket.registration_number,
        "title": ticket.title or "",
        "severity": ticket.severity or "",
        "severity_capped": ticket.severity_capped,
        "timezone": timezone or "Europe/Moscow",
        "response_due": ticket.response_due.isoformat() if ticket.response_due else None,
        "resolution_due": ticket.resolution_due.isoformat() if ticket.resolution_due else None,
    }


def to_contact(
    ticket: TicketFacts,
    contact: ContactFacts | None,
    template: str,
    context: dict[str, Any],
) -> list[Planned]:
    """An email to the ticket's contact (threaded to their first message), if we have an address."""
    address = ticket.contact_email or (contact.email if contact else None)
    if not address:
        return []
    language = language_of(contact.language if contact else None)
    name = contact.name if contact else None
    return [
        Planned(
            channel=EMAIL,
            recipient=address.lower(),
            template=template,
            language=language,
            context={
                **context,
                "name": name,
                "contact_id": str(ticket.contact_id) if ticket.contact_id else None,
            },
            in_reply_to=ticket.source_message_id if ticket.channel == EMAIL else None,
        )
    ]


def ticket_template(event: EventData) -> str | None:
    """The contact's template for a ticket event, or None when the contact is not told."""
    if isinstance(event, TicketStatusChanged):
        return STATUS_TEMPLATES.get(event.to_status)
    if isinstance(event, TicketChangeRequestAdvanced):
        return CR_TEMPLATES.get(event.cr_status)
    if isinstance(event, TicketCommented):
        return "agent_comment" if _public_agent_comment(event) else None
    return None


def _public_agent_comment(event: TicketCommented) -> bool:
    return event.public and event.author_kind == "agent"


def event_context(event: EventData) -> dict[str, Any]:
    """Template variables from the event itself (stored as JSON with the delivery)."""
    if isinstance(event, TicketCommented):
        return {"author": event.author, "body": event.body or ""}
    if isinstance(event, TicketStatusChanged):
        return {
            "status": _json(event.to_status),
            "reason": event.reason,
            "auto_close_at": _json(event.auto_close_at),
        }
    if isinstance(event, TicketChangeRequestAdvanced):
        details = _json(event.details)
        return {"details": {str(k): v for k, v in details.items()}, "cr_status": event.cr_status}
    return {}


def _json(value: Any) -> Any:
    """``value`` as the event's JSON carried it (the delivery's context is JSON)."""
    return to_jsonable_python(value)


def chat_reply(ticket: TicketFacts, event: TicketCommented) -> list[Planned]:
    """An agent's public comment on a chat-born ticket goes back to its chat."""
    if ticket.channel != CHAT or not ticket.chat_id:
        return []
    if not _public_agent_comment(event):
        return []
    return [
        Planned(
            channel=CHAT,
            recipient=ticket.chat_id,
            template="agent_comment",
            context={
                "chat_id": ticket.chat_id,
                "text": event.body or "",
                "ticket_id": str(ticket.ticket_id),
                "registration_number": ticket.registration_number,
                "reply_to_message_id": ticket.source_message_id,
            },
        )
    ]


def to_staff(
    event: StaffEvent, timezone: str | None, *, registration_number: str | None = None
) -> list[Planned]:
    """escalation.raised / ola.*: one email per recipient escalation named, in their language.

    ``registration_number`` is the ticket's as notification knows it, for an event that
    does not carry its own.
    """
    context: dict[str, Any] = {
        "ticket_id": str(event.ticket_id),
        "registration_number": registration_number,
        "level": None,
        "trigger": event.TYPE,
        "timer": None,
        "severity": None,
        "percent": None,
        "remaining_minutes": None,
        "reason": None,
        "line": _json(event.line),
        "due_at": None,
        "kind": "breached" if isinstance(event, OlaBreached) else "warning",
        "timezone": timezone or "Europe/Moscow",
    }
    if isinstance(event, EscalationRaised):
        template = "escalation"
        context.update(
            registration_number=event.registration_number or registration_number,
            level=event.level,
            trigger=event.trigger or event.TYPE,
            timer=event.timer,
            severity=_json(event.severity),
            percent=event.percent,
            remaining_minutes=event.remaining_minutes,
            reason=event.reason,
        )
    else:
        template = "ola"
        context["due_at"] = _json(event.due_at)
        if isinstance(event, OlaWarning):
            context["percent"] = event.percent
    planned: list[Planned] = []
    seen: set[str] = set()
    for person in event.recipients:
        address = (person.email or "").strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        planned.append(
            Planned(
                channel=EMAIL,
                recipient=address,
                template=template,
                language=language_of(person.language),
                context={**context, "name": person.name, "role": person.role},
            )
        )
    return planned


def release_to_contacts(event: ReleasePublished, contacts: list[ContactFacts]) -> list[Planned]:
    """release.published: once per active contact (with an address) of the named customers."""
    release = event.release
    context = {
        "product": event.product or release.get("product") or "",
        "version": event.version or release.get("version") or "",
        "kind": event.kind or release.get("kind") or "release",
        "notes": release.get("notes") or "",
    }
    planned: list[Planned] = []
    seen: set[str] = set()
    for contact in contacts:
        address = (contact.email or "").strip().lower()
        if not contact.active or not address or address in seen:
            continue
        seen.add(address)
        planned.append(
            Planned(
                channel=EMAIL,
                recipient=address,
                template="release_published",
                language=language_of(contact.language),
                context={**context, "name": contact.name},
            )
        )
    return planned


def event_customers(event: EventData | None) -> set[UUID]:
    """The customers an event concerns (for webhook customer filters)."""
    found: set[UUID] = set(getattr(event, "customer_ids", None) or ())
    customer_id = getattr(event, "customer_id", None)
    if customer_id:
        found.add(customer_id)
    return found


def webhook_matches(
    event_type: str,
    event: EventData | None,
    *,
    event_types: list[str],
    customer_id: UUID | None,
) -> bool:
    """Does a subscription want this event? ``*`` subscribes to every type."""
    if "*" not in event_types and event_type not in event_types:
        return False
    return customer_id is None or customer_id in event_customers(event)
