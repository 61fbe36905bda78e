"""Simulations per second for a 20-event history (the pure path POST /api/v1/sla/simulate runs).

Run: .venv/bin/python bench/sla_simulate.py [--smoke] (5 s of simulations; smoke: 0.5 s)
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import smoke

from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, Tier
from shared.testing.builders import policy_document
from sla_clock.simulate import simulate

POLICY = PolicyDocument.model_validate(
    policy_document(
        version="bench",
        schedules={"standard": "8x5"},
        targets={"standard": {"high": ("4h", "8d"), "critical": ("2h", "2d")}},
    )
)
START = datetime(2025, 10, 27, 7, 0, tzinfo=UTC)


def history() -> list[dict[str, object]]:
    """20 events: taken, 8 waits and resumes, a severity raise, resolved, reopened, closed."""
    at, steps = START, []

    def add(kind: str, **extra: object) -> None:
        nonlocal at
        at += timedelta(hours=5)
        steps.append({"kind": kind, "at": at, **extra})

    add("taken_into_work")
    for n in range(8):
        add("waiting", reason=f"logs {n}")
        add("resumed")
    add("severity_changed", severity="critical")
    add("resolved")
    add("reopened")
    add("resolved")
    return steps[:20]


def main() -> None:
    _, is_smoke = smoke.positional()
    seconds = 0.5 if is_smoke else 5.0
    steps = history()
    now = START + timedelta(days=60)
    runs, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        simulate(
            tier=Tier.standard,
            severity=Severity.high,
            received_at=START,
            policy=POLICY,
            history=steps,
            now=now,
        )
        runs += 1
    elapsed = time.perf_counter() - began
    print(
        f"{len(steps)}-event history: {runs / elapsed:.0f} simulations/s ({runs} in {elapsed:.1f} s)"
    )


if __name__ == "__main__":
    main()
