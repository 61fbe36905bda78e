"""The compliance report: met and breached per tier and severity, as JSON or CSV."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.errors import Unprocessable
from shared.events.vocabulary import Severity, Tier
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import TicketClock, TimerState, iso
from sla_clock.domain.measures import outcome, working_time_used

__all__ = ["compliance", "compliance_csv", "report"]


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation): a value that actually occurred."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def compliance(clocks: Sequence[TicketClock], *, now: datetime) -> list[dict[str, Any]]:
    """Compliance per tier and severity: met, breached, percentage, median and p90.

    Timers of excluded tickets (not reproducible, not a product issue, out of scope)
    count only in ``excluded``: neither in met nor breached, so not in the percentage,
    and not in the working-time percentiles either.
    """
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for clock in clocks:
        key = (clock.tier.value, clock.severity.value)
        group = groups.setdefault(
            key,
            {"tickets": 0, "response": _empty_stats(), "resolution": _empty_stats()},
        )
        group["tickets"] += 1
        for t in clock.timers:
            stats = group[t.kind.value]
            verdict = outcome(clock, t, now)
            stats[verdict] += 1
            counted = verdict != "excluded"
            if counted and t.state is TimerState.met and t.ended_at is not None:
                stats["_times"].append(working_time_used(clock, t, t.ended_at).total_seconds())
    tier_order = {t.value: i for i, t in enumerate(reversed(list(Tier)))}
    severity_order = {s.value: i for i, s in enumerate(Severity)}
    out = []
    for (tier, severity), group in sorted(
        groups.items(), key=lambda kv: (tier_order[kv[0][0]], severity_order[kv[0][1]])
    ):
        row: dict[str, Any] = {"tier": tier, "severity": severity, "tickets": group["tickets"]}
        for kind in ("response", "resolution"):
            stats = group[kind]
            times = stats.pop("_times")
            decided = stats["met"] + stats["breached"]
            stats["compliance_percent"] = (
                None if decided == 0 else round(100 * stats["met"] / decided, 2)
            )
            stats["median_working_seconds"] = _percentile(times, 50)
            stats["p90_working_seconds"] = _percentile(times, 90)
            row[kind] = stats
        out.append(row)
    return out


def _empty_stats() -> dict[str, Any]:
    return {
        "met": 0,
        "breached": 0,
        "running": 0,
        "stopped": 0,
        "excluded": 0,
        "no_target": 0,
        "_times": [],
    }


CSV_STATS = (
    "met",
    "breached",
    "running",
    "stopped",
    "excluded",
    "no_target",
    "compliance_percent",
    "median_working_seconds",
    "p90_working_seconds",
)


def compliance_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Render :func:`compliance` rows as CSV, one line per tier and severity."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["tier", "severity", "tickets"]
        + [f"{kind}_{s}" for kind in ("response", "resolution") for s in CSV_STATS]
    )
    for row in rows:
        writer.writerow(
            [row["tier"], row["severity"], row["tickets"]]
            + [
                "" if row[kind][s] is None else row[kind][s]
                for kind in ("response", "resolution")
                for s in CSV_STATS
            ]
        )
    return buffer.getvalue()


async def report(
    uow: SlaUnitOfWork,
    *,
    now: datetime,
    received_from: datetime | None,
    received_to: datetime | None,
    customer_id: UUID | None,
    tier: str | None,
) -> dict[str, Any]:
    """Compliance of tickets received in ``[from, to)``, per tier and severity."""
    if received_from and received_to and received_to <= received_from:
        raise Unprocessable(
            "'to' must be after 'from': give a period such as from=2026-01-01T00:00:00Z"
            "&to=2026-02-01T00:00:00Z.",
            slug="invalid-period",
            field="to",
        )
    clocks = await uow.sla.clocks(
        received_from=received_from, received_to=received_to, customer_id=customer_id, tier=tier
    )
    return {
        "from": iso(received_from),
        "to": iso(received_to),
        "customer_id": None if customer_id is None else str(customer_id),
        "tier": tier,
        "generated_at": iso(now),
        "groups": compliance(clocks, now=now),
    }
