"""The registration email's rule (``domain.registration``): when it goes, what it shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from notification.domain import registration
from notification.domain.planning import ContactFacts, TicketFacts

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WAIT = timedelta(seconds=60)


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


class TestReady:
    def test_both_deadlines_and_the_contact_make_it_ready(self) -> None:
        contact = ContactFacts(uuid4(), uuid4())
        ticket = TicketFacts(
            uuid4(), contact_id=contact.contact_id, response_due=NOW, resolution_due=NOW
        )
        assert registration.ready(ticket, contact)
        assert registration.due(ticket, contact, now=NOW, wait=WAIT) == NOW

    def test_a_missing_deadline_holds_it_for_the_wait(self) -> None:
        ticket = TicketFacts(uuid4(), response_due=NOW)
        assert not registration.ready(ticket, None)
        assert registration.due(ticket, None, now=NOW, wait=WAIT) == NOW + WAIT

    def test_a_ticket_without_a_contact_waits_only_for_deadlines(self) -> None:
        ticket = TicketFacts(uuid4(), response_due=NOW, resolution_due=NOW)
        assert registration.ready(ticket, None)

    def test_a_named_contact_not_yet_known_holds_it(self) -> None:
        ticket = TicketFacts(uuid4(), contact_id=uuid4(), response_due=NOW, resolution_due=NOW)
        assert not registration.ready(ticket, None)


class TestRenderFacts:
    def test_a_registration_shows_the_deadlines_known_now(self) -> None:
        ticket = TicketFacts(uuid4(), response_due=later(60), resolution_due=None)
        context, _ = registration.render_facts(
            registration.TEMPLATE, {"response_due": None}, "ru", ticket=ticket, contact=None
        )
        assert context["response_due"] == later(60).isoformat()
        assert context["resolution_due"] is None  # shown as "—"

    def test_other_templates_keep_what_was_planned(self) -> None:
        ticket = TicketFacts(uuid4(), response_due=later(60))
        context, _ = registration.render_facts(
            "resolved", {"response_due": "x"}, "ru", ticket=ticket, contact=None
        )
        assert context["response_due"] == "x"

    def test_the_contacts_current_name_and_language_win(self) -> None:
        contact = ContactFacts(uuid4(), uuid4(), name="Anna", language="en")
        context, language = registration.render_facts(
            "resolved", {"name": None}, "ru", ticket=None, contact=contact
        )
        assert (context["name"], language) == ("Anna", "en")
