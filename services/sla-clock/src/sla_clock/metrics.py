"""sla-clock's series: timer verdicts and breaches as counters, and gauges sampled on scrape.

The counters (``sla_timer_outcomes_total``, ``sla_breaches_total``) move where the
event is decided; their labels are the bounded vocabulary (tier, severity, timer,
outcome), never a ticket. The gauges cost three queries per scrape over ``timer_alarm``
(``adapters.due_alarms.alarm_gauges`` and ``at_risk``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from prometheus_client import Counter, Gauge

from shared.observability.metrics import Sampler
from sla_clock.adapters.due_alarms import DueAlarm, alarm_gauges, at_risk
from sla_clock.domain.clock import ChangeKind, TicketClock, TimerChange
from sla_clock.domain.measures import outcome

KINDS = ("warning", "breach")
TIMERS_DUE_NEXT_MINUTE = Gauge(
    "sla_timers_due_next_minute", "Unfired SLA alarms whose instant falls within the next minute."
)
SCHEDULER_LAG = Gauge(
    "sla_scheduler_lag_seconds", "How late the oldest due, unfired SLA alarm is (0 when none)."
)
SLA_ALARMS_RECENT = Gauge(
    "sla_alarms_fired_last_15m", "SLA alarms fired in the last 15 minutes, by kind.", ["kind"]
)

SLA_OUTCOMES = Counter(
    "sla_timer_outcomes",
    "SLA timers settled, by tier, severity, timer and verdict (met, breached, excluded).",
    ["tier", "severity", "timer", "outcome"],
)
SLA_BREACHES = Counter(
    "sla_breaches",
    "Breach alarms fired (a timer passed its deadline), by tier, severity and timer.",
    ["tier", "severity", "timer"],
)
SLA_AT_RISK = Gauge(
    "sla_timers_at_risk",
    "Open timers whose warning fired and whose breach has not: tickets at risk.",
    ["tier", "severity", "timer"],
)
COUNTED = ("met", "breached", "excluded")


def verdicts(clock: TicketClock, changes: Iterable[TimerChange]) -> list[tuple[str, str]]:
    """(timer, verdict) of each change that settles a timer, for the compliance counter.

    A timer settles when it is met or stopped; its verdict is the report's
    (:func:`~sla_clock.domain.measures.outcome`). ``stopped`` before the deadline (a
    hardware fault) is not counted, as in the report. An excluded closing announces an
    already met timer once more as ``excluded``: the counter then has it under both,
    as the topic does (the report, which reads the final state, has it only excluded).
    """
    found = []
    for change in changes:
        if change.kind not in (ChangeKind.met, ChangeKind.stopped):
            continue
        verdict = outcome(clock, change.timer, change.at)
        if verdict in COUNTED:
            found.append((change.timer.kind.value, verdict))
    return found


def count_verdicts(clock: TicketClock, changes: Iterable[TimerChange]) -> None:
    """Add the settled timers of one ticket event to ``sla_timer_outcomes_total``."""
    for timer, verdict in verdicts(clock, changes):
        SLA_OUTCOMES.labels(
            tier=clock.tier.value, severity=clock.severity.value, timer=timer, outcome=verdict
        ).inc()


def count_breaches(rows: Sequence[DueAlarm]) -> None:
    """Add the breach alarms of a committed scheduler batch to ``sla_breaches_total``."""
    for row in rows:
        if row.kind == "breach":
            SLA_BREACHES.labels(
                tier=row.tier or "unknown", severity=row.severity or "unknown", timer=row.timer
            ).inc()


def timer_sampler(runtime: Any) -> Sampler:
    """Set the timer gauges from the runtime's clock (tests move it; production is now())."""

    async def sample() -> None:
        if runtime.engine is None:
            return
        now = runtime.clock.now()
        async with runtime.engine.connect() as conn:
            soon, lag, fired = await alarm_gauges(conn, schema=runtime.schema, now=now)
            risky = await at_risk(conn, schema=runtime.schema)
        TIMERS_DUE_NEXT_MINUTE.set(soon)
        SCHEDULER_LAG.set(max(lag, 0.0))
        for kind in KINDS:
            SLA_ALARMS_RECENT.labels(kind=kind).set(fired.get(kind, 0))
        SLA_AT_RISK.clear()  # a combination no longer at risk must read 0, not its last value
        for (tier, severity, timer), count in risky.items():
            SLA_AT_RISK.labels(tier=tier, severity=severity, timer=timer).set(count)

    return sample
