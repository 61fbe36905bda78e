"""A critical ticket's resolution clock under ``critical_resolution_starts`` (pure fold)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from shared.testing.builders import policy_document
from sla_clock.domain.clock import ChangeKind, TicketClock, TicketFact, TimerKind, TimerState
from sla_clock.domain.measures import alarm_plan, outcome, working_time_used
from sla_clock.domain.targets import Policy
from sla_clock.domain.timers import answer, fold, parse_event, step

T0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)  # premium runs 24x7: plain arithmetic below
M = timedelta(minutes=1)
H = timedelta(hours=1)
ON_REGISTRATION = policy_document(
    version="on-registration",
    schedules={"premium": "24x7"},
    targets={"premium": {"critical": ("20min", "3h"), "high": ("30min", "4h")}},
)
ON_CONFIRMATION = {
    **ON_REGISTRATION,
    "version": "on-confirmation",
    "critical_resolution_starts": "confirmation",
}


class History:
    """One premium ticket's facts, registered at T0."""

    def __init__(self, *, severity: str = "critical", policy: dict[str, Any] | None = None):
        self.ticket_id = str(uuid4())
        self.facts: list[TicketFact] = []
        self.status = "new"
        self.add(
            "ticket.created", T0, tier="premium", severity=severity,
            policy=policy or ON_REGISTRATION, registration_number="T-1", channel="api",
            subject="down", received_at=T0.isoformat(),
        )  # fmt: skip

    def add(self, type_: str, at: datetime, **data: Any) -> list[TicketFact]:
        event = parse_event(type_, {"ticket_id": self.ticket_id, "occurred_at": at, **data})
        fact = TicketFact(event_id=uuid4(), type=type_, occurred_at=at, event=event)
        self.facts.append(fact)
        return self.facts

    def confirm(self, at: datetime, confirmed_at: datetime) -> list[TicketFact]:
        return self.add(
            "ticket.phone_confirmation_recorded", at, confirmed_by="A. Petrov",
            confirmed_at=confirmed_at.isoformat(),
        )  # fmt: skip

    def move(self, to: str, at: datetime) -> list[TicketFact]:
        facts = self.add("ticket.status_changed", at, from_status=self.status, to_status=to)
        self.status = to
        return facts

    def clock(self) -> TicketClock:
        clock = fold(self.facts)
        assert clock is not None
        return clock


class TestRegistrationPolicy:
    def test_the_confirmation_is_recorded_and_the_clock_ignores_it(self) -> None:
        history = History()
        before = history.clock()
        history.confirm(T0 + 40 * M, T0 + 30 * M)

        after, changes = step(before, history.facts[-1])

        assert after is not None
        assert after.confirmed_at == T0 + 30 * M
        assert after.resolution == before.resolution
        assert after.resolution.due_at == T0 + 3 * H
        assert changes == []
        assert {c.kind for c in answer(after, history.facts[-1], changes)} == {ChangeKind.unchanged}


class TestConfirmationPolicy:
    def test_critical_resolution_is_pending_until_the_confirmation(self) -> None:
        clock = History(policy=ON_CONFIRMATION).clock()

        assert clock.response.state is TimerState.running
        assert clock.response.due_at == T0 + 20 * M
        pending = clock.resolution
        assert (pending.state, pending.due_at) == (TimerState.pending, None)
        assert alarm_plan(clock, pending, [50, 75, 90]) == []
        assert working_time_used(clock, pending, T0 + 5 * H) == timedelta(0)
        assert outcome(clock, pending, T0 + 5 * H) == "pending"

    def test_the_confirmation_starts_resolution_at_confirmed_at(self) -> None:
        history = History(policy=ON_CONFIRMATION)
        before = history.clock()
        history.confirm(T0 + 50 * M, T0 + 30 * M)

        after, changes = step(before, history.facts[-1])

        assert after is not None
        timer = after.resolution
        assert (timer.state, timer.started_at) == (TimerState.running, T0 + 30 * M)
        assert timer.due_at == T0 + 30 * M + 3 * H
        [change] = changes
        assert (change.kind, change.timer.kind) == (ChangeKind.scheduled, TimerKind.resolution)
        assert change.reason == "phone_confirmation"
        assert after.response == before.response

    def test_a_second_confirmation_changes_nothing(self) -> None:
        history = History(policy=ON_CONFIRMATION)
        history.confirm(T0 + 10 * M, T0 + 5 * M)
        first = history.clock()
        history.confirm(T0 + 20 * M, T0 + 15 * M)

        again = history.clock()

        assert again.resolution == first.resolution
        assert again.confirmed_at == T0 + 5 * M

    def test_a_non_critical_ticket_starts_at_registration(self) -> None:
        clock = History(severity="high", policy=ON_CONFIRMATION).clock()

        assert clock.resolution.state is TimerState.running
        assert clock.resolution.due_at == T0 + 4 * H

    def test_lowered_below_critical_it_starts_from_registration(self) -> None:
        history = History(policy=ON_CONFIRMATION)
        history.add(
            "ticket.severity_changed", T0 + H, severity="high", previous_severity="critical"
        )

        timer = history.clock().resolution

        assert (timer.state, timer.started_at) == (TimerState.running, T0)
        assert timer.due_at == T0 + 4 * H

    def test_confirmed_while_waiting_it_starts_paused_and_resumes_on_the_answer(self) -> None:
        history = History(policy=ON_CONFIRMATION)
        history.move("in_progress", T0 + 10 * M)
        history.move("waiting_customer", T0 + 20 * M)
        history.confirm(T0 + 40 * M, T0 + 30 * M)
        waiting = history.clock().resolution
        history.move("in_progress", T0 + H)

        running = history.clock().resolution

        assert (waiting.state, waiting.started_at) == (TimerState.paused, T0 + 30 * M)
        assert running.state is TimerState.running
        # Counted from the confirmation, less the wait from 00:40 to 01:00.
        assert running.due_at == T0 + 30 * M + 3 * H + 20 * M

    def test_resolved_before_the_confirmation_it_is_met_having_counted_nothing(self) -> None:
        history = History(policy=ON_CONFIRMATION)
        history.move("in_progress", T0 + 10 * M)
        history.move("resolved", T0 + H)
        clock = history.clock()

        assert clock.resolution.state is TimerState.met
        assert working_time_used(clock, clock.resolution, T0 + 2 * H) == timedelta(0)


class TestReplay:
    def test_step_through_snapshots_agrees_with_fold(self) -> None:
        history = History(policy=ON_CONFIRMATION)
        history.move("in_progress", T0 + 10 * M)
        history.confirm(T0 + 40 * M, T0 + 30 * M)
        history.move("resolved", T0 + 2 * H)
        clock: TicketClock | None = None
        for fact in history.facts:
            restored = None if clock is None else TicketClock.from_dict(clock.to_dict())
            clock, _ = step(restored, fact)

        assert clock == history.clock()

    def test_a_pending_snapshot_round_trips(self) -> None:
        clock = History(policy=ON_CONFIRMATION).clock()

        restored = TicketClock.from_dict(clock.to_dict())

        assert restored == clock
        assert restored.awaits_confirmation

    def test_the_policy_keeps_its_choice(self) -> None:
        policy = Policy.from_dict(ON_CONFIRMATION)

        assert Policy.from_dict(policy.to_dict()) == policy
        assert policy.to_dict()["critical_resolution_starts"] == "confirmation"
        assert "critical_resolution_starts" not in Policy.from_dict(ON_REGISTRATION).to_dict()
