"""sla-clock's gauges, sampled on scrape: timers due soon, scheduler lag, recent alarms.

Two queries per scrape over ``timer_alarm`` (``adapters.due_alarms.alarm_gauges``).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Gauge

from shared.observability.metrics import Sampler
from sla_clock.adapters.due_alarms import alarm_gauges

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


def timer_sampler(runtime: Any) -> Sampler:
    """Set the timer gauges from the runtime's clock (tests move it; production is now())."""

    async def sample() -> None:
        if runtime.engine is None:
            return
        now = runtime.clock.now()
        async with runtime.engine.connect() as conn:
            soon, lag, fired = await alarm_gauges(conn, schema=runtime.schema, now=now)
        TIMERS_DUE_NEXT_MINUTE.set(soon)
        SCHEDULER_LAG.set(max(lag, 0.0))
        for kind in KINDS:
            SLA_ALARMS_RECENT.labels(kind=kind).set(fired.get(kind, 0))

    return sample
