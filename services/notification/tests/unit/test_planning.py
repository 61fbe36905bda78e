"""Who is told what: the pure planning rules."""

from __future__ import annotations

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

CUSTOMER = uuid4()


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
    assert (
        ticket_template("ticket.commented", {"public": True, "author_kind": "agent"})
        == "agent_comment"
    )
    assert ticket_template("ticket.commented", {"public": False, "author_kind": "agent"}) is None
    assert ticket_template("ticket.commented", {"public": True, "author_kind": "customer"}) is None
    assert ticket_template("ticket.status_changed", {"to_status": "resolved"}) == "resolved"
    assert ticket_template("ticket.status_changed", {"to_status": "in_progress"}) is None
    assert (
        ticket_template("ticket.change_request_advanced", {"cr_status": "proposal_sent"})
        == "cr_estimate"
    )
    assert (
        ticket_template("ticket.change_request_advanced", {"cr_status": "delivered"})
        == "cr_delivered"
    )


def test_chat_born_ticket_gets_agent_replies_in_its_chat() -> None:
    ticket = _ticket(channel="chat", chat_id="tg-42", source_message_id="17")
    [p] = chat_reply(ticket, {"public": True, "author_kind": "agent", "body": "Fixed"})
    assert (p.channel, p.recipient) == ("chat", "tg-42")
    assert p.context["text"] == "Fixed"
    assert p.context["reply_to_message_id"] == "17"
    assert chat_reply(_ticket(), {"public": True, "author_kind": "agent"}) == []


def test_staff_recipients_are_emailed_once_each_in_their_language() -> None:
    data = {
        "ticket_id": str(uuid4()),
        "level": 1,
        "recipients": [
            {"role": "on_duty", "email": "Duty@X.io", "language": "en"},
            {"role": "line_lead", "email": "duty@x.io"},
            {"role": "dedicated_manager", "email": None, "phone": "+7"},
            {"role": "assignee", "email": "ivan@x.io"},
        ],
    }
    planned = to_staff("escalation.raised", data, None)
    assert [(p.recipient, p.language, p.template) for p in planned] == [
        ("duty@x.io", "en", "escalation"),
        ("ivan@x.io", "ru", "escalation"),
    ]
    assert to_staff("ola.breached", data, None)[0].template == "ola"


def test_release_goes_once_to_each_active_contact() -> None:
    contacts = [
        ContactFacts(uuid4(), CUSTOMER, email="a@x.io", language="en"),
        ContactFacts(uuid4(), CUSTOMER, email="A@x.io"),
        ContactFacts(uuid4(), CUSTOMER, email="b@x.io", active=False),
    ]
    planned = release_to_contacts({"product": "Desk", "version": "5", "release": {}}, contacts)
    assert [p.recipient for p in planned] == ["a@x.io"]


def test_webhook_filters_by_type_and_customer() -> None:
    data = {"customer_id": str(CUSTOMER)}
    assert webhook_matches("ticket.created", data, event_types=["ticket.created"], customer_id=None)
    assert webhook_matches("ticket.created", data, event_types=["*"], customer_id=CUSTOMER)
    assert not webhook_matches("ticket.created", data, event_types=["*"], customer_id=uuid4())
    assert not webhook_matches(
        "sla.timer.met", data, event_types=["ticket.created"], customer_id=None
    )
    release = {"customer_ids": [str(CUSTOMER)]}
    assert webhook_matches("release.published", release, event_types=["*"], customer_id=CUSTOMER)
