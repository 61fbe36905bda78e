"""Who is told what: the pure planning rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from notification.domain.planning import (
    ContactFacts,
    TicketFacts,
    chat_reply,
    release_to_contacts,
    ticket_template,
    to_contact,
    to_staff,
    webhook_matches,
)
from shared.events.contracts import ReleasePublished
from shared.events.escalations import EscalationRaised, OlaBreached, Recipient
from shared.events.sla import TimerMet
from shared.events.tickets import (
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCreated,
    TicketStatusChanged,
)

CUSTOMER = uuid4()
TICKET = uuid4()


def _comment(public: bool = True, author_kind: str = "agent", body: str = "") -> TicketCommented:
    return TicketCommented(
        ticket_id=TICKET, comment_id=uuid4(), public=public, author_kind=author_kind, body=body
    )


def _status(to_status: str) -> TicketStatusChanged:
    return TicketStatusChanged(ticket_id=TICKET, from_status="in_progress", to_status=to_status)


def _cr(cr_status: str) -> TicketChangeRequestAdvanced:
    return TicketChangeRequestAdvanced(
        ticket_id=TICKET, step="s", cr_status=cr_status, previous_cr_status="requested"
    )


def _ticket(**kw: object) -> TicketFacts:
    base: dict[str, object] = {
        "ticket_id": uuid4(),
        "customer_id": CUSTOMER,
        "registration_number": "TP-2026-000001",
        "channel": "email",
        "contact_email": "Anna@X.io",
        "source_message_id": "<orig@x.io>",
    }
    return TicketFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_contact_email_threads_to_the_original_message_in_their_language() -> None:
    contact = ContactFacts(uuid4(), CUSTOMER, name="Anna", email="anna@x.io", language="en")
    [p] = to_contact(_ticket(), contact, "resolved", {})
    assert (p.channel, p.recipient, p.language, p.in_reply_to) == (
        "email",
        "anna@x.io",
        "en",
        "<orig@x.io>",
    )


def test_api_born_ticket_does_not_thread_and_unknown_contact_gets_russian() -> None:
    [p] = to_contact(_ticket(channel="api"), None, "closed", {})
    assert p.in_reply_to is None
    assert p.language == "ru"


def test_only_public_agent_comments_and_chosen_statuses_reach_the_contact() -> None:
    assert ticket_template(_comment()) == "agent_comment"
    assert ticket_template(_comment(public=False)) is None
    assert ticket_template(_comment(author_kind="customer")) is None
    assert ticket_template(_status("resolved")) == "resolved"
    assert ticket_template(_status("in_progress")) is None
    assert ticket_template(_cr("proposal_sent")) == "cr_estimate"
    assert ticket_template(_cr("delivered")) == "cr_delivered"


def test_chat_born_ticket_gets_agent_replies_in_its_chat() -> None:
    ticket = _ticket(channel="chat", chat_id="tg-42", source_message_id="17")
    [p] = chat_reply(ticket, _comment(body="Fixed"))
    assert (p.channel, p.recipient) == ("chat", "tg-42")
    assert p.context["text"] == "Fixed"
    assert p.context["reply_to_message_id"] == "17"
    assert chat_reply(_ticket(), _comment()) == []


def test_staff_recipients_are_emailed_once_each_in_their_language() -> None:
    recipients = [
        Recipient(role="on_duty", email="Duty@X.io", language="en"),
        Recipient(role="line_lead", email="duty@x.io"),
        Recipient(role="dedicated_manager", email=None, phone="+7"),
        Recipient(role="assignee", email="ivan@x.io"),
    ]
    raised = EscalationRaised(
        ticket_id=TICKET, level=1, trigger="sla.timer.warning", recipients=recipients
    )
    planned = to_staff(raised, None)
    assert [(p.recipient, p.language, p.template) for p in planned] == [
        ("duty@x.io", "en", "escalation"),
        ("ivan@x.io", "ru", "escalation"),
    ]
    breached = OlaBreached(ticket_id=TICKET, line=1, recipients=recipients)
    assert to_staff(breached, None)[0].template == "ola"


def test_release_goes_once_to_each_active_contact() -> None:
    contacts = [
        ContactFacts(uuid4(), CUSTOMER, email="a@x.io", language="en"),
        ContactFacts(uuid4(), CUSTOMER, email="A@x.io"),
        ContactFacts(uuid4(), CUSTOMER, email="b@x.io", active=False),
    ]
    release = ReleasePublished(product="Desk", version="5", release={}, customer_ids=[CUSTOMER])
    planned = release_to_contacts(release, contacts)
    assert [p.recipient for p in planned] == ["a@x.io"]


def _created(**kw: Any) -> TicketCreated:
    fields: dict[str, Any] = {
        "ticket_id": TICKET,
        "customer_id": CUSTOMER,
        "registration_number": "TP-2026-000001",
        "severity": "medium",
        "tier": "basic",
        "channel": "api",
        "subject": "It fails",
        "received_at": datetime.now(UTC),
    }
    return TicketCreated(**{**fields, **kw})


def test_webhook_filters_by_type_and_customer() -> None:
    event = _created()
    assert webhook_matches(
        "ticket.created", event, event_types=["ticket.created"], customer_id=None
    )
    assert webhook_matches("ticket.created", event, event_types=["*"], customer_id=CUSTOMER)
    assert not webhook_matches("ticket.created", event, event_types=["*"], customer_id=uuid4())
    met = TimerMet(ticket_id=TICKET, timer="response", met_at=datetime.now(UTC), due_at=None)
    assert not webhook_matches(
        "sla.timer.met", met, event_types=["ticket.created"], customer_id=None
    )
    release = ReleasePublished(release={}, customer_ids=[CUSTOMER])
    assert webhook_matches("release.published", release, event_types=["*"], customer_id=CUSTOMER)
