"""The policy decisions, pure: which line, who is told, out of hours, stale alarms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from escalation.domain.decisions import (
    Alarm,
    People,
    TicketView,
    TimerView,
    decide,
    is_current,
    is_out_of_hours,
    manual_decision,
    recipients,
)
from escalation.domain.ola import ola_instants
from escalation.handlers import make_handlers
from shared.clock import SystemClock
from shared.escalation_policy import Entry, EscalationPolicy, Rule, default_policy
from shared.events.escalations import Recipient
from shared.messaging.handlers import inbox_name
from shared.worktime.schedule import Schedule

# Monday 30 Nov 2026: 12:00 Moscow is 09:00 UTC (working hours); 03:00 Moscow is 00:00 UTC.
WORKING = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def ticket(**kw: object) -> TicketView:
    values: dict[str, object] = {
        "ticket_id": uuid4(),
        "status": "new",
        "line": 1,
        "tier": "premium",
        "severity": "critical",
        "assignee": None,
    }
    values.update(kw)
    return TicketView(**values)  # type: ignore[arg-type]


def alarm(timer: str = "response", trigger: str = "breach", percent: int | None = None) -> Alarm:
    return Alarm(ticket_id=uuid4(), timer=timer, trigger=trigger, due_at=DUE, percent=percent)


class TestDefaultPolicy:
    def test_response_breach_moves_one_line_up_and_tells_the_lead(self) -> None:
        d = decide(default_policy(), ticket(), alarm(), now=WORKING)
        assert d is not None
        assert (d.from_line, d.to_line, d.line) == (1, 2, 2)
        assert d.audiences == ("line_lead", "assignee")
        assert d.out_of_hours is False

    def test_never_past_line_three(self) -> None:
        d = decide(default_policy(), ticket(line=3), alarm(), now=WORKING)
        assert d is not None
        assert (d.from_line, d.to_line, d.line) == (3, None, 3)

    def test_24x7_critical_premium_calls_duty_out_of_hours_and_assigns_if_unassigned(self) -> None:
        d = decide(default_policy(), ticket(), alarm(), now=NIGHT)
        assert d is not None
        assert d.out_of_hours is True
        assert "on_duty" in d.audiences
        assert d.assign_on_duty is True

    def test_assigned_ticket_is_not_reassigned_to_duty(self) -> None:
        d = decide(default_policy(), ticket(assignee="ivan"), alarm(), now=NIGHT)
        assert d is not None
        assert d.assign_on_duty is False

    @pytest.mark.parametrize(
        ("tier", "severity"), [("standard", "critical"), ("premium", "medium")]
    )
    def test_other_tickets_wait_for_office_hours_no_duty_call(
        self, tier: str, severity: str
    ) -> None:
        d = decide(default_policy(), ticket(tier=tier, severity=severity), alarm(), now=NIGHT)
        assert d is not None
        assert "on_duty" not in d.audiences
        assert d.to_line == 2

    @pytest.mark.parametrize(
        ("percent", "audience"), [(75, "dedicated_engineer"), (90, "dedicated_manager")]
    )
    def test_resolution_warnings_tell_dedicated_people(self, percent: int, audience: str) -> None:
        d = decide(default_policy(), ticket(), alarm("resolution", "warning", percent), now=WORKING)
        assert d is not None
        assert d.audiences == (audience,)
        assert d.to_line is None

    def test_a_warning_percent_without_a_rule_raises_nothing(self) -> None:
        assert (
            decide(default_policy(), ticket(), alarm("resolution", "warning", 50), now=WORKING)
            is None
        )
        assert (
            decide(default_policy(), ticket(), alarm("response", "warning", 75), now=WORKING)
            is None
        )

    def test_resolution_breach_tells_manager_and_lead(self) -> None:
        d = decide(default_policy(), ticket(), alarm("resolution"), now=WORKING)
        assert d is not None
        assert d.audiences[:2] == ("dedicated_manager", "line_lead")
        assert d.to_line is None


class TestContractPolicy:
    def test_always_calls_duty_and_first_matching_entry_wins(self) -> None:
        policy = EscalationPolicy(
            version="contract-x",
            entries=[
                Entry(
                    severities=["critical"],
                    on_duty="always",
                    rules=[
                        Rule(
                            timer="response", trigger="breach", next_line=True, notify=["line_lead"]
                        )
                    ],
                ),
                Entry(rules=[]),
            ],
        )
        d = decide(policy, ticket(), alarm(), now=WORKING)
        assert d is not None
        assert d.audiences == ("line_lead", "on_duty")
        assert decide(policy, ticket(severity="high"), alarm(), now=WORKING) is None

    def test_a_warning_rule_needs_its_percent(self) -> None:
        with pytest.raises(ValueError, match="percent"):
            Rule(timer="resolution", trigger="warning")


class TestCurrentState:
    def test_running_with_the_same_due_instant_is_current(self) -> None:
        assert is_current(alarm(), TimerView("running", DUE), ticket())

    @pytest.mark.parametrize("state", ["met", "paused", "stopped"])
    def test_a_settled_timer_makes_the_alarm_stale(self, state: str) -> None:
        assert not is_current(alarm(), TimerView(state, DUE), ticket())

    def test_a_recomputed_due_instant_makes_the_alarm_stale(self) -> None:
        assert not is_current(alarm(), TimerView("running", DUE + timedelta(hours=1)), ticket())

    def test_a_resolved_ticket_raises_nothing(self) -> None:
        assert not is_current(alarm(), TimerView("running", DUE), ticket(status="resolved"))

    def test_alarm_keys_differ_by_trigger_and_percent(self) -> None:
        a = alarm("resolution", "warning", 75)
        b = Alarm(a.ticket_id, a.timer, "warning", a.due_at, 90)
        assert a.key != b.key
        assert a.key == Alarm(a.ticket_id, a.timer, "warning", a.due_at, 75).key


class TestHoursAndPeople:
    @pytest.mark.parametrize(
        ("at", "out"),
        [
            (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), False),  # Mon 12:00 MSK
            (datetime(2026, 11, 30, 15, 30, tzinfo=UTC), True),  # Mon 18:30 MSK
            (datetime(2026, 11, 29, 9, 0, tzinfo=UTC), True),  # Sunday
            (datetime(2026, 1, 5, 9, 0, tzinfo=UTC), True),  # New-year holidays
        ],
    )
    def test_out_of_hours_is_moscow_business_hours_on_the_ru_calendar(
        self, at: datetime, out: bool
    ) -> None:
        assert is_out_of_hours(at) is out

    def test_recipients_in_audience_order_each_address_once(self) -> None:
        lead = Recipient(role="x", name="Lead", email="lead@v.example")
        duty = Recipient(role="x", name="Duty", email="duty@v.example")
        people = People(line_lead=[lead], on_duty=[duty, lead])
        told = recipients(("line_lead", "on_duty", "dedicated_manager"), people)
        assert [(r.role, r.email) for r in told] == [
            ("line_lead", "lead@v.example"),
            ("on_duty", "duty@v.example"),
        ]

    def test_manual_move_tells_the_new_lines_lead(self) -> None:
        d = manual_decision(ticket(), from_line=1, to_line=3, now=WORKING)
        assert (d.from_line, d.to_line, d.audiences) == (1, 3, ("line_lead",))
        assert "on_duty" in manual_decision(ticket(), from_line=1, to_line=2, now=NIGHT).audiences

    def test_ola_counts_working_hours_of_the_ticket_schedule(self) -> None:
        friday_1730 = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)  # 17:30 MSK
        warning, due = ola_instants(Schedule.business_hours(), friday_1730, 1, 75)
        # 30 min on Friday, 30 on Monday from 09:00 MSK (06:00 UTC).
        assert due == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)
        assert warning == datetime(2026, 11, 30, 6, 15, tzinfo=UTC)
        assert ola_instants(None, NIGHT, 2, 50) == (
            NIGHT + timedelta(hours=1),
            NIGHT + timedelta(hours=2),
        )


class TestRegistry:
    def test_one_handler_per_type_and_none_for_types_without_use(self) -> None:
        registry = make_handlers(SystemClock())

        assert all(len(handlers) == 1 for handlers in registry.values())
        assert "sla.timer.unchanged" not in registry
        assert "ticket.commented" not in registry
        [on_timer] = registry["sla.timer.scheduled"]
        assert inbox_name(on_timer) == "escalation.handlers.on_timer"
