"""The timer fold: ticket events in, timers out (pure, no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from shared.events.vocabulary import Severity, Tier
from shared.testing.builders import policy_document
from sla_clock.domain.clock import (
    ChangeKind,
    TicketClock,
    TicketFact,
    TimerKind,
    TimerState,
    timer_id_for,
)
from sla_clock.domain.measures import alarm_plan, exclusion, outcome, working_time_used
from sla_clock.domain.targets import Target
from sla_clock.domain.timers import answer, fold, parse_event, step
from sla_clock.timer_events import timer_event

MSK = ZoneInfo("Europe/Moscow")
T0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)  # a Sunday: 24x7 tiers count, 8x5 do not
H = timedelta(hours=1)
M = timedelta(minutes=1)

# Small policies written for these stories; the programme's numbers are entitlement's.
ON_CALL = policy_document(
    version="on-call",
    schedules={"premium": "24x7"},
    targets={
        "premium": {"critical": ("20min", "3h"), "high": ("30min", "4h"), "medium": ("2h", "32h")}
    },
)
OFFICE = policy_document(
    version="office",
    schedules={"basic": "8x5", "standard": "8x5", "extended": "8x5", "premium": "24x7"},
    targets={
        "basic": {"medium": ("8h", None)},
        "standard": {"critical": ("2h", "2d"), "high": ("4h", "8d")},
        "extended": {"critical": ("30min", "4h")},
        "premium": {"high": ("30min", "4h")},
    },
)


def _created_fact(**data: Any) -> TicketFact:
    """A lone premium/high ``ticket.created`` with ``data`` on top."""
    base = {"registration_number": "T-1", "tier": "premium", "severity": "high"}
    return TicketFact(
        event_id=uuid4(),
        type="ticket.created",
        occurred_at=T0,
        event=parse_event(
            "ticket.created",
            {"ticket_id": str(uuid4()), "channel": "api", "subject": "s", **base, **data},
        ),
    )


class Ticket:
    """Builds one ticket's events with increasing instants."""

    def __init__(
        self,
        *,
        tier: str = "premium",
        severity: str = "critical",
        at: datetime = T0,
        policy: dict[str, Any] | None = None,
        capped: bool = False,
    ) -> None:
        self.id = uuid4()
        self.facts: list[TicketFact] = []
        self.status = "new"
        self.current_tier, self.current_severity = tier, severity
        self._add(
            "ticket.created",
            at,
            registration_number="T-1",
            channel="api",
            subject="printer on fire",
            tier=tier,
            severity=severity,
            received_at=at.isoformat(),
            customer_id=str(uuid4()),
            policy=policy or (ON_CALL if tier == "premium" else OFFICE),
            severity_capped=capped,
            status="new",
        )

    def _add(self, type_: str, at: datetime, **data: Any) -> TicketFact:
        fact = TicketFact(
            event_id=uuid4(),
            type=type_,
            occurred_at=at,
            event=parse_event(
                type_, {"ticket_id": str(self.id), "occurred_at": at.isoformat(), **data}
            ),
        )
        self.facts.append(fact)
        return fact

    def move(self, to: str, at: datetime, **extra: Any) -> TicketFact:
        fact = self._add(
            "ticket.status_changed", at, from_status=self.status, to_status=to, status=to, **extra
        )
        self.status = to
        return fact

    def severity(self, severity: str, at: datetime, tier: str | None = None) -> TicketFact:
        previous, self.current_severity = self.current_severity, severity
        return self._add(
            "ticket.severity_changed", at, severity=severity, previous_severity=previous, tier=tier
        )

    def corrective(self, kind: str, at: datetime) -> TicketFact:
        return self._add("ticket.corrective_action_recorded", at, kind=kind)

    def tier(
        self,
        tier: str,
        at: datetime,
        policy: dict[str, Any] | None = None,
        severity: str | None = None,
    ) -> TicketFact:
        previous, self.current_tier = self.current_tier, tier
        return self._add(
            "ticket.tier_changed",
            at,
            tier=tier,
            severity=severity,
            previous_tier=previous,
            policy=policy,
            policy_version=(policy or {}).get("version"),
        )

    def hardware(self, at: datetime, reason: str = "disk array failed") -> TicketFact:
        return self._add("ticket.hardware_fault_marked", at, reason=reason)

    def clock(self) -> TicketClock:
        clock = fold(self.facts)
        assert clock is not None
        return clock

    def last_changes(self) -> list[tuple[ChangeKind, TimerKind]]:
        clock = fold(self.facts[:-1])
        _, changes = step(clock, self.facts[-1])
        return [(c.kind, c.timer.kind) for c in changes]


class TestRegistration:
    def test_starts_both_timers_from_the_policy(self) -> None:
        t = Ticket(tier="premium", severity="critical")
        clock = t.clock()
        assert clock.response.state is TimerState.running
        assert clock.response.due_at == T0 + 20 * M
        assert clock.resolution.due_at == T0 + 3 * H
        assert clock.response.target == Target(20, "min")
        assert t.last_changes() == [
            (ChangeKind.scheduled, TimerKind.response),
            (ChangeKind.scheduled, TimerKind.resolution),
        ]

    def test_timer_ids_are_stable_per_ticket_and_kind(self) -> None:
        t = Ticket()
        first, second = t.clock(), t.clock()
        assert first.response.timer_id == second.response.timer_id == timer_id_for(t.id, "response")
        assert first.response.timer_id != first.resolution.timer_id
        assert timer_id_for(uuid4(), "response") != first.response.timer_id

    def test_a_capped_ticket_runs_at_the_severity_intake_admitted(self) -> None:
        # Intake capped a basic critical to medium at admission; the clock only reads it.
        received = datetime(2026, 3, 2, 9, 0, tzinfo=MSK)  # Monday 09:00
        clock = Ticket(tier="basic", severity="medium", at=received, capped=True).clock()
        assert clock.severity is Severity.medium
        assert clock.severity_capped
        assert clock.response.due_at == datetime(2026, 3, 2, 17, 0, tzinfo=MSK)
        assert clock.resolution.target is None
        assert clock.resolution.due_at is None

    def test_a_second_ticket_created_changes_nothing(self) -> None:
        t = Ticket()
        before = t.clock()
        t._add(
            "ticket.created",
            T0 + H,
            registration_number="T-2",
            channel="api",
            subject="again",
            tier="basic",
            severity="medium",
            received_at=(T0 + H).isoformat(),
        )
        assert t.clock().to_dict() == {**before.to_dict(), "events": before.events}
        assert t.last_changes() == []

    def test_the_policy_the_ticket_carries_sets_targets_and_warnings(self) -> None:
        policy = policy_document(
            schedules={"premium": "24x7"},
            targets={"premium": {"critical": ("1h", "10h")}},
            warning_percents=[80],
        )
        clock = Ticket(policy=policy).clock()
        assert clock.policy.warning_percents == (80,)
        assert clock.response.due_at == T0 + H
        assert clock.resolution.due_at == T0 + 10 * H

    def test_a_ticket_created_without_a_policy_cannot_start_a_clock(self) -> None:
        fact = _created_fact(received_at=T0.isoformat())
        with pytest.raises(ValueError, match="carries no policy"):
            step(None, fact)

    def test_events_before_registration_are_ignored(self) -> None:
        fact = TicketFact(
            event_id=uuid4(),
            type="ticket.status_changed",
            occurred_at=T0,
            event=parse_event(
                "ticket.status_changed",
                {"ticket_id": str(uuid4()), "from_status": "new", "to_status": "in_progress"},
            ),
        )
        assert step(None, fact) == (None, [])


class TestResponse:
    def test_taken_into_work_meets_response_only(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        clock = t.clock()
        assert clock.response.state is TimerState.met
        assert clock.response.ended_at == T0 + 10 * M
        assert clock.resolution.state is TimerState.running
        assert t.last_changes() == [(ChangeKind.met, TimerKind.response)]
        assert outcome(clock, clock.response, T0 + 5 * H) == "met"

    def test_taken_late_is_a_breach(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 30 * M)
        clock = t.clock()
        assert outcome(clock, clock.response, T0 + 30 * M) == "breached"

    def test_response_is_never_paused(self) -> None:
        t = Ticket()
        t.move("waiting_customer", T0 + 5 * M)  # taken into work and at once waiting
        clock = t.clock()
        assert clock.response.state is TimerState.met
        assert clock.resolution.state is TimerState.paused


class TestPauseAndResume:
    def test_waiting_for_the_customer_pauses_resolution(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        clock = t.clock()
        assert clock.resolution.state is TimerState.paused
        assert clock.resolution.due_at is None
        assert t.last_changes() == [(ChangeKind.paused, TimerKind.resolution)]
        assert alarm_plan(clock, clock.resolution, [50, 75, 90]) == []

    def test_the_customers_answer_resumes_with_the_paused_time_added(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        t.move("in_progress", T0 + 3 * H)
        clock = t.clock()
        assert clock.resolution.state is TimerState.running
        assert clock.resolution.due_at == T0 + 5 * H  # 3 h target + 2 h paused
        assert t.last_changes() == [(ChangeKind.resumed, TimerKind.resolution)]
        assert working_time_used(clock, clock.resolution, T0 + 4 * H) == 2 * H

    def test_resolving_while_waiting_closes_the_pause_and_meets(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        t.move("resolved", T0 + 4 * H)
        clock = t.clock()
        assert clock.resolution.state is TimerState.met
        assert clock.resolution.pauses[-1].end == T0 + 4 * H
        assert clock.resolution.due_at == T0 + 6 * H
        assert outcome(clock, clock.resolution, T0 + 10 * H) == "met"

    def test_paused_after_the_deadline_counts_as_breached(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + 4 * H)
        clock = t.clock()
        assert outcome(clock, clock.resolution, T0 + 5 * H) == "breached"

    def test_warnings_follow_the_pauses(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        t.move("in_progress", T0 + 2 * H)
        clock = t.clock()
        plan = alarm_plan(clock, clock.resolution, [50, 75, 90])
        assert [(a.kind, a.percent, a.fire_at) for a in plan] == [
            ("warning", 50, T0 + 2 * H + 30 * M),  # 1.5 h counted after a 1 h pause
            ("warning", 75, T0 + 3 * H + 15 * M),
            ("warning", 90, T0 + 3 * H + 42 * M),
            ("breach", 100, T0 + 4 * H),
        ]


class TestRecompute:
    def test_severity_change_recomputes_from_the_original_start(self) -> None:
        t = Ticket(severity="high")  # premium high: 30 min / 4 h
        t.severity("critical", T0 + 5 * M)  # premium critical: 20 min / 3 h
        clock = t.clock()
        assert clock.severity is Severity.critical
        assert clock.response.due_at == T0 + 20 * M
        assert clock.resolution.due_at == T0 + 3 * H
        assert t.last_changes() == [
            (ChangeKind.recomputed, TimerKind.response),
            (ChangeKind.recomputed, TimerKind.resolution),
        ]

    def test_recompute_keeps_the_paused_time_already_counted(self) -> None:
        t = Ticket(severity="high")
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        t.move("in_progress", T0 + 2 * H)  # one hour paused
        t.severity("critical", T0 + 2 * H + 5 * M)
        clock = t.clock()
        assert clock.resolution.due_at == T0 + 4 * H  # 3 h + 1 h paused, not T0 + 3 h
        assert clock.response.state is TimerState.met  # finished timers keep their target
        assert clock.response.target == Target(30, "min")

    def test_recompute_while_paused_stays_paused_with_the_new_target(self) -> None:
        t = Ticket(severity="high")
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        t.severity("medium", T0 + 90 * M)
        t.move("in_progress", T0 + 2 * H)
        clock = t.clock()
        assert clock.resolution.target == Target(32, "h")
        assert clock.resolution.due_at == T0 + 33 * H

    def test_tier_change_can_give_a_target_counted_from_the_start(self) -> None:
        received = datetime(2026, 3, 2, 9, 0, tzinfo=MSK)  # Monday
        t = Ticket(tier="basic", severity="medium", at=received)
        t.move("in_progress", received + H)
        t.move("waiting_customer", received + 2 * H)
        t.move("in_progress", received + 3 * H)  # one working hour paused
        t.severity("critical", received + 4 * H, tier="standard")
        clock = t.clock()
        assert clock.tier is Tier.standard
        assert clock.severity is Severity.critical
        # standard critical resolution: 2 working days = 18 h on 8x5, plus 1 h paused.
        assert clock.resolution.due_at == datetime(2026, 3, 4, 10, 0, tzinfo=MSK)


class TestTierChanged:
    """Rules 4: a tier going up moves open timers to its targets from the original start."""

    def test_open_timers_move_to_the_new_tier_and_its_schedule_minus_pauses(self) -> None:
        received = datetime(2026, 3, 2, 9, 0, tzinfo=MSK)  # Monday
        t = Ticket(tier="standard", severity="high", at=received)  # 4 h / 8 d on 8x5
        t.move("in_progress", received + H)
        t.move("waiting_customer", received + 2 * H)
        t.move("in_progress", received + 3 * H)  # one hour paused
        t.tier("premium", received + 4 * H)
        clock = t.clock()
        assert (clock.tier, clock.schedule.kind.value) == (Tier.premium, "24x7")
        # premium high resolution: 4 h on 24x7 from the original start, plus the pause.
        assert clock.resolution.target == Target(4, "h")
        assert clock.resolution.due_at == received + 5 * H
        assert clock.response.state is TimerState.met  # finished: keeps its terms
        assert clock.response.target == Target(4, "h")
        assert t.last_changes() == [(ChangeKind.recomputed, TimerKind.resolution)]

    def test_the_new_policy_comes_with_the_event_and_a_basic_cap_is_lifted(self) -> None:
        # Intake registers a basic ticket with the capped severity; the tier change carries
        # the one the customer asked for.
        t = Ticket(tier="basic", severity="medium")  # no resolution target on basic
        policy = policy_document(
            version="contract-x",
            schedules={"premium": "24x7"},
            targets={"premium": {"critical": ("1h", "2h")}},
        )
        t.tier("premium", T0 + 10 * M, policy=policy, severity="critical")
        clock = t.clock()
        assert (clock.severity, clock.severity_capped) == (Severity.critical, False)
        assert (clock.policy.version, clock.policy_version) == ("contract-x", "contract-x")
        assert clock.response.due_at == T0 + H
        assert clock.resolution.due_at == T0 + 2 * H


class TestStops:
    def test_hardware_fault_stops_critical_clocks_with_the_reason(self) -> None:
        t = Ticket(severity="critical")
        t.hardware(T0 + 5 * M, reason="RAID controller")
        clock = t.clock()
        for timer in clock.timers:
            assert timer.state is TimerState.stopped
            assert timer.reason == "hardware_fault: RAID controller"
        assert outcome(clock, clock.response, T0 + 10 * H) == "stopped"

    def test_hardware_fault_leaves_medium_clocks_running(self) -> None:
        t = Ticket(severity="medium")
        t.hardware(T0 + 5 * M)
        clock = t.clock()
        assert clock.hardware_fault == "disk array failed"
        assert all(timer.state is TimerState.running for timer in clock.timers)
        assert t.last_changes() == []

    def test_raising_severity_after_a_hardware_fault_stops_the_clocks(self) -> None:
        t = Ticket(severity="medium")
        t.hardware(T0 + 5 * M)
        t.severity("high", T0 + 10 * M)
        assert all(timer.state is TimerState.stopped for timer in t.clock().timers)

    def test_corrective_action_meets_resolution(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.corrective("workaround", T0 + H)
        clock = t.clock()
        assert clock.resolution.state is TimerState.met
        assert clock.resolution.reason == "corrective_action: workaround"
        assert working_time_used(clock, clock.resolution, T0 + 9 * H) == H

    def test_closing_stops_what_still_runs(self) -> None:
        t = Ticket()
        t.move("rejected_out_of_scope", T0 + 5 * M, reason="training")
        clock = t.clock()
        assert [timer.state for timer in clock.timers] == [TimerState.stopped] * 2
        assert clock.response.reason == "rejected_out_of_scope: training"
        assert t.last_changes() == [
            (ChangeKind.stopped, TimerKind.response),
            (ChangeKind.stopped, TimerKind.resolution),
        ]

    def test_closing_a_resolved_ticket_changes_nothing(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("resolved", T0 + H)
        t.move("closed", T0 + 2 * H)
        assert [timer.state for timer in t.clock().timers] == [TimerState.met] * 2
        assert t.last_changes() == []


class TestExcludedClosures:
    """Rules 4 and 7: not-reproducible, not-product and out-of-scope tickets are not counted."""

    @pytest.mark.parametrize(
        ("status", "detail"),
        [
            ("closed_not_reproducible", "no remote access given"),
            ("closed_not_product_issue", None),
            ("rejected_out_of_scope", "training"),
        ],
    )
    def test_a_late_stop_is_excluded_not_breached(self, status: str, detail: str | None) -> None:
        # extended/critical on 8x5: the example, closed 6 working hours after
        # registration, past the 30 min response and 4 h resolution targets.
        received = datetime(2026, 3, 2, 9, 0, tzinfo=MSK)  # Monday 09:00
        t = Ticket(tier="extended", severity="critical", at=received)
        t.move("in_progress", received + 2 * H)  # response met late
        t.move(status, received + 6 * H, reason=detail)
        clock = t.clock()
        assert [timer.state for timer in clock.timers] == [TimerState.met, TimerState.stopped]
        later = received + 30 * H
        assert outcome(clock, clock.resolution, later) == "excluded"
        assert outcome(clock, clock.response, later) == "excluded"  # met late, still not counted
        assert exclusion(clock) == (f"{status}: {detail}" if detail else status)

    def test_a_plain_close_after_the_deadline_stays_breached(self) -> None:
        t = Ticket(tier="premium", severity="critical")
        t.move("closed", T0 + 5 * H)
        clock = t.clock()
        assert outcome(clock, clock.resolution, T0 + 6 * H) == "breached"
        assert exclusion(clock) is None


class TestEveryEventIsAnswered:
    """Architecture: each ticket event is answered on support.sla.v1, so its deadlines are known."""

    def _answer(self, t: Ticket) -> list[tuple[ChangeKind, TimerKind, datetime | None]]:
        clock, changes = step(fold(t.facts[:-1]), t.facts[-1])
        assert clock is not None
        return [(c.kind, c.timer.kind, c.timer.due_at) for c in answer(clock, t.facts[-1], changes)]

    @pytest.mark.parametrize(
        "event_type",
        [
            "ticket.assigned",
            "ticket.commented",
            "ticket.escalated",
            "ticket.change_request_advanced",
            "ticket.hardware_fault_cleared",  # a type this build does not know
        ],
    )
    def test_an_event_that_moves_no_timer_gets_unchanged_with_the_deadlines(
        self, event_type: str
    ) -> None:
        t = Ticket(tier="premium", severity="critical")
        t.move("in_progress", T0 + 10 * M)
        t._add(event_type, T0 + H, body="still broken", author_kind="customer")
        assert self._answer(t) == [
            (ChangeKind.unchanged, TimerKind.response, T0 + 20 * M),  # met: its deadline kept
            (ChangeKind.unchanged, TimerKind.resolution, T0 + 3 * H),
        ]
        clock, changes = step(fold(t.facts[:-1]), t.facts[-1])
        assert clock is not None
        [_, resolution] = answer(clock, t.facts[-1], changes)
        assert (resolution.reason, resolution.at) == (event_type, T0 + H)

    def test_an_event_that_moves_a_timer_is_answered_by_what_it_did(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("waiting_customer", T0 + H)
        assert self._answer(t) == [(ChangeKind.paused, TimerKind.resolution, None)]

    def test_closing_a_resolved_ticket_is_answered_unchanged(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("resolved", T0 + H)
        t.move("closed", T0 + 2 * H)
        assert [kind for kind, _, _ in self._answer(t)] == [ChangeKind.unchanged] * 2


class TestReopen:
    def test_reopening_resumes_resolution_without_counting_the_resolved_time(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.move("resolved", T0 + 2 * H)
        t.move("in_progress", T0 + 5 * H)  # the customer objects
        clock = t.clock()
        assert clock.resolution.state is TimerState.running
        assert clock.resolution.due_at == T0 + 6 * H  # 3 h, the 3 h resolved do not count
        assert clock.response.state is TimerState.met
        assert t.last_changes() == [(ChangeKind.resumed, TimerKind.resolution)]

    def test_reopening_uses_a_severity_changed_while_the_timer_stood_met(self) -> None:
        t = Ticket(severity="high")  # premium high: resolution 4 h
        t.move("in_progress", T0 + 10 * M)
        t.corrective("action_plan", T0 + H)  # resolution met after 1 h
        t.severity("critical", T0 + 2 * H)  # premium critical: resolution 3 h
        t.move("resolved", T0 + 3 * H)
        t.move("in_progress", T0 + 4 * H)  # reopened
        clock = t.clock()
        assert clock.resolution.state is TimerState.running
        assert str(clock.resolution.target) == "3h"
        # 3 h from the receipt, plus the 3 h it stood met (1 h .. 4 h).
        assert clock.resolution.due_at == T0 + 6 * H

    def test_hardware_stopped_clocks_do_not_reopen(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + 10 * M)
        t.hardware(T0 + H)
        t.move("resolved", T0 + 2 * H)
        t.move("in_progress", T0 + 3 * H)
        assert t.clock().resolution.state is TimerState.stopped


class TestReplay:
    def _story(self) -> Ticket:
        t = Ticket(tier="standard", severity="high", at=datetime(2026, 3, 6, 17, 0, tzinfo=MSK))
        base = datetime(2026, 3, 6, 17, 0, tzinfo=MSK)
        t.move("in_progress", base + 30 * M)
        t.move("waiting_customer", base + 45 * M)
        t.move("in_progress", base + 3 * 24 * H)  # Monday 17:00
        t.severity("critical", base + 3 * 24 * H + 10 * M)
        t.move("resolved", base + 4 * 24 * H)
        t.move("in_progress", base + 4 * 24 * H + 2 * H)
        return t

    def test_incremental_steps_through_snapshots_equal_the_fold(self) -> None:
        t = self._story()
        live: TicketClock | None = None
        for fact in t.facts:
            restored = None if live is None else TicketClock.from_dict(live.to_dict())
            live, _ = step(restored, fact)
        assert live is not None
        assert live.to_dict() == t.clock().to_dict()

    def test_time_never_runs_backwards(self) -> None:
        t = Ticket()
        t.move("in_progress", T0 + H)
        t.move("waiting_customer", T0 + 30 * M)  # stamped earlier than the previous event
        pause = t.clock().resolution.pauses[-1]
        assert pause.start == T0 + H

    def test_naive_instants_are_refused(self) -> None:
        fact = _created_fact(received_at="2026-03-01T03:00:00", policy=ON_CALL)
        with pytest.raises(ValueError, match="timezone-aware"):
            step(None, fact)


class TestCustomPolicy:
    def test_second_targets_from_a_contract_policy(self) -> None:
        policy = policy_document(
            version="drill-1",
            schedules={"premium": "24x7"},
            targets={"premium": {"critical": ("4s", "10s")}},
        )
        clock = Ticket(policy=policy).clock()
        assert clock.policy.version == "drill-1"
        assert clock.response.due_at == T0 + timedelta(seconds=4)
        plan = alarm_plan(clock, clock.response, [50, 75, 90])
        assert [a.fire_at - T0 for a in plan] == [
            timedelta(seconds=2),
            timedelta(seconds=3),
            timedelta(seconds=3.6),
            timedelta(seconds=4),
        ]


EXCLUDED_CLOSINGS = ["closed_not_reproducible", "closed_not_product_issue", "rejected_out_of_scope"]


def _response_met(t: Ticket) -> None:
    t.move("in_progress", T0 + 10 * M)  # premium/critical response target 20 min: on time


def _response_met_late(t: Ticket) -> None:
    t.move("in_progress", T0 + H)


def _response_breached_open(t: Ticket) -> None:
    pass  # never taken: the response timer is open and past its 20 min at the closing


def _resolution_paused(t: Ticket) -> None:
    t.move("in_progress", T0 + 10 * M)
    t.move("waiting_customer", T0 + 20 * M)


def _resolution_met(t: Ticket) -> None:
    t.move("in_progress", T0 + 10 * M)
    t.move("resolved", T0 + H)


def _resolution_breached_met(t: Ticket) -> None:
    t.move("in_progress", T0 + 10 * M)
    t.move("resolved", T0 + 4 * H)  # 3 h target


def _hardware_stopped(t: Ticket) -> None:
    t.move("in_progress", T0 + 10 * M)
    t.hardware(T0 + 30 * M)


HISTORIES = {
    "response met, resolution running": _response_met,
    "response met late, resolution running": _response_met_late,
    "both running, response past due": _response_breached_open,
    "response met, resolution paused": _resolution_paused,
    "both met": _resolution_met,
    "response met, resolution met late": _resolution_breached_met,
    "both stopped for a hardware fault": _hardware_stopped,
}


class TestExcludedClosingAnnouncesEveryTimer:
    """Issue 23: an excluded closing is every timer's last word on the topic, once."""

    @pytest.mark.parametrize("status", EXCLUDED_CLOSINGS)
    @pytest.mark.parametrize("history", sorted(HISTORIES))
    def test_every_timer_is_stopped_as_excluded(self, status: str, history: str) -> None:
        t = Ticket(tier="premium", severity="critical")
        HISTORIES[history](t)
        before = t.clock()
        closing = t.move(status, T0 + 5 * H, reason="detail")
        clock, changes = step(before, closing)
        assert clock is not None
        assert [(c.kind, c.timer.kind) for c in changes] == [
            (ChangeKind.stopped, TimerKind.response),
            (ChangeKind.stopped, TimerKind.resolution),
        ]
        payloads = [timer_event(clock, c) for c in changes]
        assert [p.TYPE for p in payloads] == ["sla.timer.stopped"] * 2
        assert [p.model_dump()["outcome"] for p in payloads] == ["excluded", "excluded"]
        assert all(c.reason == f"{status}: detail" for c in changes)
        for old, new in zip(before.timers, clock.timers, strict=True):
            if not old.is_open:  # an ended timer keeps what it was: state, instants, reason
                assert new == old
            else:
                assert new.state is TimerState.stopped
        # The live path and a re-fold agree, so a rebuild announces nothing new.
        assert fold(t.facts) == clock

    @pytest.mark.parametrize("status", EXCLUDED_CLOSINGS)
    def test_a_repeated_closing_announces_nothing_twice(self, status: str) -> None:
        t = Ticket(tier="premium", severity="critical")
        _response_met(t)
        t.move(status, T0 + 2 * H)
        clock = t.clock()
        # Another closing event (a second id: the inbox cannot absorb it) moves nothing.
        again = t._add(
            "ticket.status_changed", T0 + 3 * H, from_status=status, to_status=status, status=status
        )
        after, changes = step(clock, again)
        assert changes == []
        assert after is not None
        assert after.timers == clock.timers

    def test_a_plain_close_after_a_met_response_announces_only_the_open_timer(self) -> None:
        t = Ticket(tier="premium", severity="critical")
        _response_met(t)
        t.move("closed", T0 + 2 * H)
        assert t.last_changes() == [(ChangeKind.stopped, TimerKind.resolution)]
