"""A ticket's history in sla-clock's view names who made each event and what it was."""

from __future__ import annotations

from uuid import uuid4

from shared.events.tickets import (
    TicketAssigned,
    TicketCommented,
    TicketEscalated,
    TicketStatusChanged,
)
from shared.events.vocabulary import SupportLine, TicketStatus
from sla_clock.views import _event_summary

TICKET = uuid4()


class TestEventSummary:
    def test_a_move_names_its_actor_action_and_assignee(self) -> None:
        event = TicketStatusChanged(
            ticket_id=TICKET,
            from_status=TicketStatus.new,
            to_status=TicketStatus.in_progress,
            action="take",
            actor="agent:Eng One",
            assignee="Eng One",
        )

        summary = _event_summary(event)

        assert (summary["actor"], summary["action"], summary["assignee"]) == (
            "agent:Eng One",
            "take",
            "Eng One",
        )
        assert summary["status"] == TicketStatus.in_progress

    def test_a_comment_names_its_author_and_visibility_not_its_text(self) -> None:
        event = TicketCommented(
            ticket_id=TICKET, comment_id=uuid4(), public=False, author="Eng", author_kind="agent"
        )

        summary = _event_summary(event)

        assert (summary["actor"], summary["action"]) == ("agent:Eng", "internal")
        assert "body" not in summary

    def test_an_escalation_and_an_assignment_name_the_line_and_the_engineer(self) -> None:
        up = _event_summary(TicketEscalated(ticket_id=TICKET, line=SupportLine(2), source="agent"))
        given = _event_summary(
            TicketAssigned(ticket_id=TICKET, assignee="eng-2", source="escalation")
        )

        assert (up["line"], up["actor"]) == (2, "agent")
        assert (given["assignee"], given["actor"]) == ("eng-2", "escalation")
