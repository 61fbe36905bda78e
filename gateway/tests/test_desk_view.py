"""The desk's view logic: the moves a ticket allows now, the calls they make, the queue's
filters and the history's rows (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.web import i18n
from gateway.web.desk_view import (
    Move,
    QueueFilter,
    allowed_moves,
    escalation_lines,
    history,
    move_call,
    parse_move,
    queue_rows,
    who,
)
from gateway.web.desk_words import WORDS
from gateway.web.portal_view import refusal, zone

ME = ("staff-1", "Eng One")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MSK = zone(None)


def ticket(status: str, **over: Any) -> dict[str, Any]:
    return {"id": "t-1", "status": status, "support_line": 1, "assignee": None, **over}


class TestAllowedMoves:
    def test_a_new_ticket_is_taken_escalated_rejected_or_commented(self) -> None:
        assert allowed_moves(ticket("new"), me=ME) == [
            Move.take,
            Move.escalate,
            Move.reject_out_of_scope,
            Move.comment,
        ]

    def test_my_ticket_in_work_offers_every_working_move_but_take(self) -> None:
        moves = allowed_moves(ticket("in_progress", assignee="staff-1"), me=ME)

        assert moves == [
            Move.wait,
            Move.corrective,
            Move.resolve,
            Move.escalate,
            Move.reject_out_of_scope,
            Move.close_not_reproducible,
            Move.close_not_product_issue,
            Move.comment,
        ]

    def test_someone_elses_ticket_in_work_can_be_taken_over(self) -> None:
        assert Move.take in allowed_moves(ticket("in_progress", assignee="other"), me=ME)

    def test_a_waiting_ticket_resumes_and_does_not_wait_again(self) -> None:
        moves = allowed_moves(ticket("waiting_customer", assignee="Eng One"), me=ME)

        assert Move.resume in moves
        assert Move.wait not in moves
        assert Move.take not in moves  # assigned by name: still mine

    def test_a_resolved_ticket_is_not_escalated_and_a_closed_one_allows_nothing(self) -> None:
        assert allowed_moves(ticket("resolved"), me=ME) == [
            Move.reject_out_of_scope,
            Move.comment,
        ]
        assert allowed_moves(ticket("closed"), me=ME) == []

    def test_line_3_is_the_top(self) -> None:
        assert Move.escalate not in allowed_moves(ticket("new", support_line=3), me=ME)
        assert escalation_lines(ticket("new", support_line=1)) == [2, 3]
        assert escalation_lines(ticket("new", support_line=2)) == [3]

    def test_a_lifecycle_move_intake_does_not_list_is_not_offered(self) -> None:
        listed = ticket("in_progress", assignee="staff-1", allowed_actions=["resolve"])

        moves = allowed_moves(listed, me=ME)

        assert Move.resolve in moves
        assert Move.wait not in moves
        assert Move.corrective in moves  # not a lifecycle action: intake's own route


class TestMoveCall:
    def test_take_assigns_to_me_on_a_new_ticket_and_hands_over_otherwise(self) -> None:
        new = move_call(Move.take, ticket("new"), {}, me="staff-1")
        over = move_call(Move.take, ticket("in_progress", assignee="x"), {}, me="staff-1")

        assert (new.path, new.body) == (
            "tickets/t-1/transitions",
            {"action": "take", "assignee": "staff-1"},
        )
        assert (over.path, over.body) == ("tickets/t-1/assignment", {"assignee": "staff-1"})

    def test_wait_carries_the_question_as_its_reason(self) -> None:
        call = move_call(Move.wait, ticket("in_progress"), {"body": " Which build? "}, me="m")

        assert call.body == {"action": "wait_for_customer", "reason": "Which build?"}

    def test_comments_are_internal_unless_chosen_public(self) -> None:
        inside = move_call(Move.comment, ticket("new"), {"body": "note"}, me="m")
        shown = move_call(
            Move.comment, ticket("new"), {"body": "hi", "visibility": "public"}, me="m"
        )

        assert inside.body == {"body": "note", "public": False}
        assert shown.body == {"body": "hi", "public": True}

    def test_escalation_corrective_action_and_closings(self) -> None:
        up = move_call(Move.escalate, ticket("new"), {"line": "2", "body": "db"}, me="m")
        fix = move_call(
            Move.corrective, ticket("in_progress"), {"kind": "workaround", "body": "x"}, me="m"
        )
        out = move_call(Move.reject_out_of_scope, ticket("new"), {"reason": "legal_advice"}, me="m")

        assert (up.path, up.body) == ("tickets/t-1/escalations", {"line": 2, "reason": "db"})
        assert (fix.path, fix.body) == (
            "tickets/t-1/corrective-actions",
            {"kind": "workaround", "summary": "x"},
        )
        assert out.body == {"action": "reject_out_of_scope", "reason": "legal_advice"}

    def test_a_line_that_is_no_number_is_left_to_intake_to_refuse(self) -> None:
        assert move_call(Move.escalate, ticket("new"), {"line": "x"}, me="m").body == {"line": 0}

    def test_only_the_desks_moves_are_moves(self) -> None:
        assert parse_move("resolve") is Move.resolve
        assert parse_move("confirm") is None


class TestQueue:
    ITEMS = (
        {"id": "a", "tier": "premium", "severity": "critical", "support_line": 2, "assignee": None},
        {"id": "b", "tier": "standard", "severity": "high", "support_line": 1, "assignee": "x"},
        {"id": "c", "tier": "standard", "severity": "high", "support_line": 1, "assignee": None},
    )

    def ids(self, chosen: QueueFilter) -> list[str]:
        rows = queue_rows(self.ITEMS, chosen, me=ME, now=NOW, tz=MSK, lang="en")
        return [r["id"] for r in rows]

    def test_the_order_is_intakes_and_filters_combine(self) -> None:
        assert self.ids(QueueFilter()) == ["a", "b", "c"]
        assert self.ids(QueueFilter(line=2)) == ["a"]
        assert self.ids(QueueFilter(tier="standard", severity="high")) == ["b", "c"]
        assert self.ids(QueueFilter(assignee="none")) == ["a", "c"]

    def test_the_query_string_is_read_and_nonsense_ignored(self) -> None:
        chosen = QueueFilter.from_query({"line": "9", "tier": "gold", "severity": "high"})

        assert chosen == QueueFilter(severity="high")
        assert QueueFilter.from_query({"line": "3"}).line == 3

    def test_me_is_the_staff_id_for_intakes_assignee_filter(self) -> None:
        assert QueueFilter(assignee="me").api_assignee("staff-1") == "staff-1"
        assert QueueFilter(assignee="none").api_assignee("staff-1") is None

    def test_a_row_says_when_it_is_due_and_whether_overdue(self) -> None:
        items = [{"id": "a", "next_due_at": "2026-12-07T08:00:00+00:00", "assignee": "staff-1"}]

        [row] = queue_rows(items, QueueFilter(), me=ME, now=NOW, tz=MSK, lang="ru")

        assert (row["due"], row["overdue"], row["mine"]) == ("07.12.2026 11:00 MSK", True, True)


class TestHistory:
    def test_each_event_reads_when_what_and_who(self) -> None:
        events = [
            {
                "type": "ticket.status_changed",
                "occurred_at": "2026-12-07T09:00:00+00:00",
                "status": "in_progress",
                "action": "take",
                "actor": "agent:Eng One",
            }
        ]

        [row] = history(events, tz=MSK, lang="en")

        assert (row["when"], row["action"], row["who"]) == (
            "7 Dec 2026, 12:00 MSK",
            "take",
            "Eng One",
        )

    def test_an_actor_without_a_name_is_its_kind(self) -> None:
        assert (who("escalation"), who(None)) == ("escalation", "")


class TestWords:
    def test_both_languages_have_the_same_words(self) -> None:
        assert set(WORDS["en"]) == set(WORDS["ru"])

    @pytest.mark.parametrize("lang", ["en", "ru"])
    def test_a_refusal_reads_in_the_desks_words(self, lang: str) -> None:
        problem = {"type": "/problems/escalation-not-upwards", "detail": "already on line 3"}

        shown = refusal(problem, i18n.words(lang), prefix="desk.refusal.")

        assert shown.message == WORDS[lang]["desk.refusal.escalation-not-upwards"]
        assert shown.detail == "already on line 3"
