"""escalation's counters: labelled by trigger, line and OLA stage only (bounded)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from prometheus_client import REGISTRY

from escalation.domain.model import OlaTarget
from escalation.metrics import count_escalation, count_ola


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_an_escalation_counts_by_trigger_and_line() -> None:
    before = _sample("escalations_raised_total", trigger="manual", line="2")

    count_escalation("manual", 2)

    assert _sample("escalations_raised_total", trigger="manual", line="2") == before + 1


def test_ola_alarms_count_by_stage_and_the_targets_line() -> None:
    before = _sample("ola_alarms_fired_total", stage="breach", line="3")

    count_ola("breach", [_target(3), _target(3)])

    assert _sample("ola_alarms_fired_total", stage="breach", line="3") == before + 2


def _target(line: int) -> OlaTarget:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return OlaTarget(
        id=uuid4(),
        ticket_id=uuid4(),
        line=line,
        escalation_id=None,
        started_at=now,
        warning_at=now,
        warning_percent=80,
        due_at=now,
    )
