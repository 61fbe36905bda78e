"""The figures of one ``stack_cost.py`` run, the goals (issue 27's ratios), and how they are printed."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path


def pct(values: list[float], q: float) -> float:
    """The ``q``-quantile (0..1) by nearest rank; NaN when there is nothing to rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Goal:
    """A figure's name, unit, and its bound (``le``: at most; else at least)."""

    label: str
    unit: str
    bound: float | None = None
    le: bool = True

    def verdict(self, value: float) -> str:
        if self.bound is None or value != value:  # NaN: nothing was measured
            return ""
        if value < 0:  # idle subtracted from a starved stack: see the notes
            return "INVALID"
        ok = value <= self.bound if self.le else value >= self.bound
        return "ok" if ok else "MISSED"


GOALS: dict[str, Goal] = {
    "idle_cpu_ms_per_s": Goal("idle CPU of the stack", "ms/s"),
    "cpu_ms_per_ticket": Goal("CPU per ticket (idle subtracted)", "ms"),
    "post_p50_ms": Goal("POST /tickets p50", "ms"),
    "post_p99_ms": Goal("POST /tickets p99", "ms"),
    "timer_p50_ms": Goal("POST -> sla.timer.scheduled p50", "ms"),
    "timer_p99_ms": Goal("POST -> sla.timer.scheduled p99", "ms"),
    "gateway_rps": Goal("wrk -c32 through the gateway", "req/s"),
    "bare_rps": Goal("wrk -c32 bare FastAPI+asyncpg", "req/s"),
    "wrk_ratio": Goal("closed-loop ratio gateway/bare", "", 0.25, le=False),
    # Issue 27: ratios to the bare endpoint of the same run, so the machine cancels out.
    "bare_cpu_ms_per_request": Goal("bare endpoint CPU per request", "ms"),
    "ticket_in_bare": Goal("a ticket in bare requests of CPU", "x", 20),
    "idle_in_bare_per_s": Goal("idle in bare requests per second", "/s", 25),
    "capacity_tps": Goal("capacity: cores / CPU per ticket", "t/s"),
    "quarter_rate": Goal("a quarter of capacity", "t/s"),
    "quarter_post_p99_ms": Goal("at a quarter: POST p99", "ms", 50),
    "quarter_timer_p99_ms": Goal("at a quarter: POST -> timer p99", "ms", 100),
    "quarter_breach_p99_ms": Goal("at a quarter: breach -> escalation p99", "ms", 500),
    "quarter_sent_p99_ms": Goal("at a quarter: event -> email sent p99", "ms", 1000),
}
"""What is printed, in order; a figure a run did not measure prints as nan, without a verdict."""


@dataclass
class Figures:
    """Everything one run measured; ``figures`` holds the values keyed as in ``GOALS``."""

    figures: dict[str, float] = field(default_factory=dict)
    idle_cpu_by_group: dict[str, float] = field(default_factory=dict)  # ms/s
    load_cpu_by_group: dict[str, float] = field(default_factory=dict)  # ms/ticket, idle out
    notes: dict[str, object] = field(default_factory=dict)

    def table(self) -> str:
        lines = [f"{'figure':<36} {'value':>10} {'unit':<6} {'goal':<8} verdict"]
        for key, goal in GOALS.items():
            value = self.figures.get(key, float("nan"))
            bound = "" if goal.bound is None else f"{'<=' if goal.le else '>='} {goal.bound:g}"
            lines.append(
                f"{goal.label:<36} {value:>10.2f} {goal.unit:<6} {bound:<8} {goal.verdict(value)}"
            )
        lines.append("\nCPU by process group   idle ms/s   load ms/ticket (idle subtracted)")
        for group in sorted(self.idle_cpu_by_group.keys() | self.load_cpu_by_group.keys()):
            idle = self.idle_cpu_by_group.get(group, 0.0)
            lines.append(
                f"  {group:<20} {idle:>10.2f}   {self.load_cpu_by_group.get(group, 0.0):>10.2f}"
            )
        lines += [f"{k}: {v}" for k, v in self.notes.items()]
        return "\n".join(lines)

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, default=str) + "\n")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
