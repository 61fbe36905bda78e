"""The ticket state machine, severity rules and escalation rules, without I/O."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from intake.domain.actors import ActorKind
from intake.domain.lifecycle import (
    MOVES,
    Action,
    allowed_actions,
    check_corrective_action,
    check_escalation,
    check_severity_change,
    transition,
)
from intake.domain.model import OutOfScopeReason
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.vocabulary import FINAL_STATUSES, Severity, TicketStatus

AGENT, CUSTOMER, SYSTEM = ActorKind.agent, ActorKind.customer, ActorKind.system


class TestLegalMoves:
    @pytest.mark.parametrize(
        ("status", "action", "actor", "target"),
        [
            (TicketStatus.new, Action.take, AGENT, TicketStatus.in_progress),
            (
                TicketStatus.in_progress,
                Action.wait_for_customer,
                AGENT,
                TicketStatus.waiting_customer,
            ),
            (TicketStatus.waiting_customer, Action.resume, AGENT, TicketStatus.in_progress),
            (TicketStatus.waiting_customer, Action.resume, CUSTOMER, TicketStatus.in_progress),
            (TicketStatus.in_progress, Action.resolve, AGENT, TicketStatus.resolved),
            (TicketStatus.waiting_customer, Action.resolve, AGENT, TicketStatus.resolved),
            (TicketStatus.resolved, Action.confirm, CUSTOMER, TicketStatus.closed),
            (TicketStatus.resolved, Action.reopen, CUSTOMER, TicketStatus.in_progress),
            (TicketStatus.resolved, Action.auto_close, SYSTEM, TicketStatus.closed),
            (
                TicketStatus.new,
                Action.reject_out_of_scope,
                AGENT,
                TicketStatus.rejected_out_of_scope,
            ),
            (
                TicketStatus.in_progress,
                Action.close_not_reproducible,
                AGENT,
                TicketStatus.closed_not_reproducible,
            ),
            (
                TicketStatus.waiting_customer,
                Action.close_not_product_issue,
                AGENT,
                TicketStatus.closed_not_product_issue,
            ),
        ],
    )
    def test_move_reaches_its_target(
        self, status: TicketStatus, action: Action, actor: ActorKind, target: TicketStatus
    ) -> None:
        move = transition(
            status=status, action=action, actor=actor, assignee="eng", reason="training"
        )
        assert (move.from_status, move.to_status) == (status, target)

    def test_take_records_the_assignee(self) -> None:
        move = transition(status="new", action=Action.take, actor=AGENT, assignee="anna")
        assert move.assignee == "anna"

    def test_other_moves_keep_the_assignee(self) -> None:
        move = transition(
            status="in_progress", action=Action.resolve, actor=AGENT, current_assignee="anna"
        )
        assert move.assignee == "anna"


class TestRefusedMoves:
    def test_illegal_move_lists_the_allowed_ones(self) -> None:
        with pytest.raises(Conflict) as err:
            transition(status="new", action=Action.resolve, actor=AGENT)
        assert err.value.extensions["allowed"] == ["take", "reject_out_of_scope"]
        assert "new" in err.value.detail

    @pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
    def test_final_statuses_allow_nothing(self, status: str) -> None:
        assert allowed_actions(status) == []
        with pytest.raises(Conflict) as err:
            transition(status=status, action=Action.reopen, actor=CUSTOMER)
        assert err.value.extensions["allowed"] == []

    @pytest.mark.parametrize("action", [Action.confirm, Action.reopen])
    def test_only_the_customer_confirms_or_reopens(self, action: Action) -> None:
        with pytest.raises(Forbidden):
            transition(status="resolved", action=action, actor=AGENT)

    @pytest.mark.parametrize("action", [Action.take, Action.resolve, Action.reject_out_of_scope])
    def test_a_customer_cannot_do_agent_work(self, action: Action) -> None:
        status = "new" if action != Action.resolve else "in_progress"
        with pytest.raises(Forbidden):
            transition(
                status=status, action=action, actor=CUSTOMER, assignee="me", reason="training"
            )

    def test_nobody_but_the_job_auto_closes(self) -> None:
        with pytest.raises(Forbidden):
            transition(status="resolved", action=Action.auto_close, actor=AGENT)
        assert "auto_close" not in allowed_actions("resolved")

    def test_take_needs_an_assignee(self) -> None:
        with pytest.raises(Unprocessable):
            transition(status="new", action=Action.take, actor=AGENT)

    def test_reject_needs_a_section_6_reason(self) -> None:
        with pytest.raises(Unprocessable) as err:
            transition(status="new", action=Action.reject_out_of_scope, actor=AGENT, reason="meh")
        assert err.value.extensions["reasons"] == [str(r) for r in OutOfScopeReason]


@given(
    st.lists(
        st.tuples(st.sampled_from(list(Action)), st.sampled_from(list(ActorKind))), max_size=30
    )
)
def test_random_sequences_only_ever_reach_known_states_by_listed_moves(
    moves: list[tuple[Action, ActorKind]],
) -> None:
    status: str = TicketStatus.new
    for action, actor in moves:
        legal = status in MOVES[action].sources and actor in MOVES[action].by
        try:
            result = transition(
                status=status, action=action, actor=actor, assignee="a", reason="training"
            )
        except (Conflict, Forbidden):
            assert not legal
            continue
        assert legal
        assert action in allowed_actions(status, actor) or action == Action.auto_close
        status = result.to_status
        assert status in set(TicketStatus)


class TestSeverity:
    def test_customer_lowers(self) -> None:
        check_severity_change(
            status="in_progress",
            current="critical",
            requested=Severity.high,
            actor=CUSTOMER,
        )

    def test_customer_cannot_raise(self) -> None:
        with pytest.raises(Forbidden):
            check_severity_change(
                status="new",
                current="medium",
                requested=Severity.high,
                actor=CUSTOMER,
            )

    def test_agent_raises(self) -> None:
        check_severity_change(
            status="new", current="medium", requested=Severity.critical, actor=AGENT
        )

    @pytest.mark.parametrize("status", ["new", "in_progress", "waiting_customer"])
    def test_agent_raises_a_new_ticket_as_well_as_one_in_work(self, status: str) -> None:
        # Issue 23's decision (docs/decisions.md): a raise before the ticket is taken is allowed.
        check_severity_change(status=status, current="medium", requested=Severity.high, actor=AGENT)

    @pytest.mark.parametrize("actor", [CUSTOMER, AGENT])
    def test_lowered_at_any_time_while_not_closed_even_resolved(self, actor: ActorKind) -> None:
        for status in ("new", "in_progress", "waiting_customer", "resolved"):
            check_severity_change(
                status=status,
                current="critical",
                requested=Severity.medium,
                actor=actor,
            )

    def test_a_resolved_ticket_is_not_raised(self) -> None:
        with pytest.raises(Conflict):
            check_severity_change(
                status="resolved",
                current="medium",
                requested=Severity.high,
                actor=AGENT,
            )

    @pytest.mark.parametrize(
        "status",
        ["closed", "rejected_out_of_scope", "closed_not_reproducible", "closed_not_product_issue"],
    )
    def test_only_on_tickets_not_closed(self, status: str) -> None:
        with pytest.raises(Conflict):
            check_severity_change(
                status=status,
                current="high",
                requested=Severity.medium,
                actor=AGENT,
            )

    def test_unchanged_is_refused(self) -> None:
        with pytest.raises(Conflict):
            check_severity_change(
                status="new", current="high", requested=Severity.high, actor=AGENT
            )


class TestCorrectiveAndEscalation:
    @pytest.mark.parametrize("status", ["new", "resolved", "closed"])
    def test_corrective_action_needs_a_ticket_in_work(self, status: str) -> None:
        with pytest.raises(Conflict):
            check_corrective_action(status)

    def test_escalation_goes_up_only(self) -> None:
        check_escalation(status="in_progress", line=2, current_line=1)
        with pytest.raises(Conflict) as err:
            check_escalation(status="in_progress", line=2, current_line=2)
        assert err.value.extensions["allowed"] == [3]
        with pytest.raises(Conflict):
            check_escalation(status="closed", line=3, current_line=1)
