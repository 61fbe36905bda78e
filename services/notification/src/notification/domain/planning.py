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

from notification.domain.templates import language_of

EMAIL, WEBHOOK, CHAT = "email", "webhook", "chat"

# ticket.status_changed to_status -> the contact's template.
STATUS_TEMPLATES = {
    "waiting_customer": "waiting_customer",
    "resolved": "resolved",
    "closed": "closed",
    "rejected_out_of_scope": "closed",
    "closed_not_reproducible": "closed",
    "closed_not_product_issue": "closed",
}
# ticket.change_request_advanced cr_status -> the contact's template.
CR_TEMPLATES = {"proposal_sent": "cr_estimate", "delivered": "cr_delivered"}


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
class Planned:
    """One message to one recipient over one channel."""

    channel: str
    recipient: str
    template: str
    language: str = "ru"
    context: dict[str, Any] = field(default_factory=dict)
    in_reply_to: str | None = None
    subscription_id: UUID | None = None


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


def ticket_template(event_type: str, data: dict[str, Any]) -> str | None:
    """The contact's template for a ticket event, or None when the contact is not told."""
    if event_type == "ticket.status_changed":
        return STATUS_TEMPLATES.get(str(data.get("to_status")))
    if event_type == "ticket.change_request_advanced":
        return CR_TEMPLATES.get(str(data.get("cr_status")))
    if event_type == "ticket.commented":
        public = bool(data.get("public"))
        return "agent_comment" if public and data.get("author_kind") == "agent" else None
    return None


def event_context(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Template variables from the event itself."""
    if event_type == "ticket.commented":
        return {"author": data.get("author"), "body": data.get("body") or ""}
    if event_type == "ticket.status_changed":
        return {
            "status": data.get("to_status"),
            "reason": data.get("reason"),
            "auto_close_at": data.get("auto_close_at"),
        }
    if event_type == "ticket.change_request_advanced":
        details = data.get("details") or {}
        return {"details": {str(k): v for k, v in details.items()}, "cr_status": data["cr_status"]}
    return {}


def chat_reply(ticket: TicketFacts, data: dict[str, Any]) -> list[Planned]:
    """An agent's public comment on a chat-born ticket goes back to its chat."""
    if ticket.channel != CHAT or not ticket.chat_id:
        return []
    if not (data.get("public") and data.get("author_kind") == "agent"):
        return []
    return [
        Planned(
            channel=CHAT,
            recipient=ticket.chat_id,
            template="agent_comment",
            context={
                "chat_id": ticket.chat_id,
                "text": data.get("body") or "",
                "ticket_id": str(ticket.ticket_id),
                "registration_number": ticket.registration_number,
                "reply_to_message_id": ticket.source_message_id,
            },
        )
    ]


def to_staff(event_type: str, data: dict[str, Any], timezone: str | None) -> list[Planned]:
    """escalation.raised / ola.*: one email per recipient escalation named, in their language."""
    template = "escalation" if event_type == "escalation.raised" else "ola"
    context = {
        "ticket_id": str(data.get("ticket_id")),
        "registration_number": data.get("registration_number"),
        "level": data.get("level"),
        "trigger": data.get("trigger") or event_type,
        "timer": data.get("timer"),
        "severity": data.get("severity"),
        "percent": data.get("percent"),
        "reason": data.get("reason"),
        "line": data.get("line"),
        "due_at": data.get("due_at"),
        "kind": "breached" if event_type == "ola.breached" else "warning",
        "timezone": timezone or "Europe/Moscow",
    }
    planned: list[Planned] = []
    seen: set[str] = set()
    for person in data.get("recipients") or []:
        address = (person.get("email") or "").strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        planned.append(
            Planned(
                channel=EMAIL,
                recipient=address,
                template=template,
                language=language_of(person.get("language")),
                context={**context, "name": person.get("name"), "role": person.get("role")},
            )
        )
    return planned


def release_to_contacts(data: dict[str, Any], contacts: list[ContactFacts]) -> list[Planned]:
    """release.published: once per active contact (with an address) of the named customers."""
    release = data.get("release") or {}
    context = {
        "product": data.get("product") or release.get("product") or "",
        "version": data.get("version") or release.get("version") or "",
        "kind": data.get("kind") or release.get("kind") or "release",
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


def event_customers(data: dict[str, Any]) -> set[str]:
    """The customers an event concerns (for webhook customer filters)."""
    found = {str(c) for c in data.get("customer_ids") or []}
    if data.get("customer_id"):
        found.add(str(data["customer_id"]))
    return found


def webhook_matches(
    event_type: str, data: dict[str, Any], *, event_types: list[str], customer_id: UUID | None
) -> bool:
    """Does a subscription want this event? ``*`` subscribes to every type."""
    if "*" not in event_types and event_type not in event_types:
        return False
    return customer_id is None or str(customer_id) in event_customers(data)
