"""The SLA series' rules (pure): which timer changes count as met, breached or excluded,
and which fired alarms count as breaches, with bounded labels only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from prometheus_client import REGISTRY

from shared.testing.builders import policy_document
from sla_clock.adapters.due_alarms import DueAlarm
from sla_clock.domain.clock import TicketFact
from sla_clock.domain.timers import fold, parse_event, step
from sla_clock.metrics import count_breaches, count_verdicts, verdicts

T0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
M = timedelta(minutes=1)
POLICY = policy_document(
    version="metrics",
    schedules={"premium": "24x7"},
    targets={"premium": {"critical": ("20min", "3h")}},
)


class Story:
    """One premium/critical ticket's events, applied one at a time as the consumer does."""

    def __init__(self) -> None:
        self.id = uuid4()
        self.facts: list[TicketFact] = []
        self.status = "new"
        self._add(
            "ticket.created",
            T0,
            registration_number="T-1",
            channel="api",
            subject="s",
            tier="premium",
            severity="critical",
            received_at=T0.isoformat(),
            customer_id=str(uuid4()),
            policy=POLICY,
            status="new",
        )

    def _add(self, type_: str, at: datetime, **data: Any) -> None:
        event = parse_event(
            type_, {"ticket_id": str(self.id), "occurred_at": at.isoformat(), **data}
        )
        self.facts.append(TicketFact(event_id=uuid4(), type=type_, occurred_at=at, event=event))

    def move(self, to: str, at: datetime, **extra: Any) -> list[tuple[str, str]]:
        """Apply a status change; return the verdicts it settles."""
        before = fold(self.facts)
        self._add(
            "ticket.status_changed", at, from_status=self.status, to_status=to, status=to, **extra
        )
        self.status = to
        clock, changes = step(before, self.facts[-1])
        assert clock is not None
        return verdicts(clock, changes)


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_response_on_time_is_met_and_a_late_one_breached() -> None:
    assert Story().move("in_progress", T0 + 10 * M) == [("response", "met")]
    assert Story().move("in_progress", T0 + 30 * M) == [("response", "breached")]


def test_starting_or_pausing_a_timer_settles_nothing() -> None:
    story = Story()
    story.move("in_progress", T0 + 5 * M)

    assert story.move("waiting_customer", T0 + 10 * M) == []


def test_an_excluded_closing_counts_every_timer_excluded() -> None:
    story = Story()
    story.move("in_progress", T0 + 5 * M)

    settled = story.move("closed_not_reproducible", T0 + 60 * M, reason="no access")

    assert sorted(settled) == [("resolution", "excluded"), ("response", "excluded")]


def test_the_counter_is_labelled_by_tier_severity_timer_and_outcome() -> None:
    labels = {"tier": "premium", "severity": "critical", "timer": "response", "outcome": "met"}
    before = _sample("sla_timer_outcomes_total", **labels)
    story = Story()
    before_clock = fold(story.facts)
    story._add(
        "ticket.status_changed",
        T0 + 1 * M,
        from_status="new",
        to_status="in_progress",
        status="in_progress",
    )
    clock, changes = step(before_clock, story.facts[-1])
    assert clock is not None

    count_verdicts(clock, changes)

    assert _sample("sla_timer_outcomes_total", **labels) == before + 1


def test_only_breach_alarms_count_as_breaches() -> None:
    labels = {"tier": "standard", "severity": "high", "timer": "resolution"}
    before = _sample("sla_breaches_total", **labels)

    count_breaches([_alarm("warning"), _alarm("breach"), _alarm("breach")])

    assert _sample("sla_breaches_total", **labels) == before + 2


def _alarm(kind: str) -> DueAlarm:
    return DueAlarm(
        id=1,
        kind=kind,
        percent=100,
        fire_at=T0,
        timer="resolution",
        tier="standard",
        severity="high",
    )
