"""sla-clock's gauges, sampled on scrape: timers due soon, scheduler lag, recent alarms.

One query per scrape over ``timer_alarm``: the unfired rows come from the
partial index the scheduler itself uses; the recent fired ones are bounded by
``fire_at`` (an alarm fires at or after its instant).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Gauge
from sqlalchemy import text

from shared.observability.metrics import Sampler

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
        schema = runtime.schema
        async with runtime.engine.connect() as conn:
            due = (
                await conn.execute(
                    text(
                        "SELECT count(*) FILTER (WHERE fire_at <= CAST(:now AS timestamptz) "
                        "+ interval '1 minute') AS soon, "
                        "COALESCE(EXTRACT(EPOCH FROM CAST(:now AS timestamptz) - min(fire_at)), 0) "
                        f'AS lag FROM "{schema}".timer_alarm WHERE fired_at IS NULL'
                    ),
                    {"now": now},
                )
            ).one()
            fired = dict(
                (
                    await conn.execute(
                        text(
                            f'SELECT kind, count(*) FROM "{schema}".timer_alarm '
                            "WHERE fired_at IS NOT NULL AND fired_at > CAST(:now AS timestamptz) "
                            "- interval '15 minutes' GROUP BY kind"
                        ),
                        {"now": now},
                    )
                ).all()
            )
        TIMERS_DUE_NEXT_MINUTE.set(due.soon)
        SCHEDULER_LAG.set(max(float(due.lag), 0.0))
        for kind in KINDS:
            SLA_ALARMS_RECENT.labels(kind=kind).set(fired.get(kind, 0))

    return sample
