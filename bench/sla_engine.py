"""Benchmark SLA deadline arithmetic against the businesstimedelta package.

Run with ``python bench/sla_engine.py [starts] [--smoke]`` from the repository root (no install
needed). For each target of the rules' table and each schedule it computes the deadline
for the same random, fixed-seed receive instants, and prints deadlines per second for
sla-clock (with a cold and a warm window cache) and for businesstimedelta, plus how many
deadlines disagree. businesstimedelta runs with ``WorkDayRule`` 09:00-18:00 Monday-Friday
and a ``HolidayRule`` over the RU holiday list; it has no notion of transferred working
Saturdays, so spans that cross one (1 Nov 2025, 20 Feb 2027) are expected to differ,
and every disagreement is checked against that explanation. It cannot express a 24-hour
working day either, so it only runs on 8x5.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services" / "sla-clock" / "src"))

import businesstimedelta as btd
import holidays
import pytz
import smoke

from shared.worktime import schedule as schedule_module
from shared.worktime.schedule import Schedule
from shared.worktime.worktime import deadline
from sla_clock.domain.targets import Target

SEED = 2026
DEFAULT_STARTS = 3000
SMOKE_STARTS = 50
TARGETS = ["20min", "3h", "32h", "2d", "10d", "15d"]
MSK = ZoneInfo("Europe/Moscow")
FIRST, LAST = datetime(2025, 1, 1, tzinfo=MSK), datetime(2027, 11, 30, tzinfo=MSK)
TRANSFERRED_SATURDAYS = {
    d
    for year in (2025, 2026, 2027)
    for d in holidays.country_holidays("RU", years=year).weekend_workdays
}


def random_starts(count: int) -> list[datetime]:
    """Draw receive instants (to the second) uniformly over 2025-2027, fixed seed."""
    rng = random.Random(SEED)
    span = int((LAST - FIRST).total_seconds())
    return [FIRST + timedelta(seconds=rng.randrange(span)) for _ in range(count)]


def businesstimedelta_rule() -> btd.Rules:
    """Build the 8x5 rule the package's documentation suggests: work days minus holidays."""
    zone = pytz.timezone("Europe/Moscow")
    listed = frozenset(holidays.country_holidays("RU", years=range(2024, 2029)))
    return btd.Rules(
        [
            btd.WorkDayRule(
                start_time=time(9),
                end_time=time(18),
                working_days=[0, 1, 2, 3, 4],
                tz=zone,
            ),
            btd.HolidayRule(listed, tz=zone),
        ]
    )


def timed(
    compute: Callable[[datetime], datetime], starts: Sequence[datetime]
) -> tuple[float, list[datetime]]:
    """Return (operations per second, results) of one pass over ``starts``."""
    began = perf_counter()
    results = [compute(start) for start in starts]
    return len(starts) / (perf_counter() - began), results


def crosses_transfer(start: datetime, *ends: datetime) -> bool:
    """Tell whether a span touches a transferred working Saturday (Moscow dates)."""
    first, last = start.astimezone(MSK).date(), max(ends).astimezone(MSK).date()
    return any(first <= d <= last for d in TRANSFERRED_SATURDAYS)


def row(
    text: str, name: str, schedule: Schedule, starts: Sequence[datetime], rule: btd.Rules
) -> tuple[str, tuple[datetime, datetime, datetime] | None]:
    """Measure one target on one schedule; return the table row and one disagreement."""
    amount = Target.parse(text).duration(schedule)
    ours = partial(_ours, schedule, amount)
    schedule_module._windows.cache_clear()  # cold: windows rebuilt as days are met
    cold, results = timed(ours, starts)
    warm, _ = timed(ours, starts)
    if schedule.is_continuous:
        na = "n/a"
        return f"{text:>6} {name:>8} {cold:>12,.0f} {warm:>12,.0f} {na:>9} {'':>8} {na:>8}", None
    theirs_rate, theirs = timed(
        partial(_theirs, btd.BusinessTimeDelta(rule, timedelta=amount)), starts
    )
    differ = [
        (start, mine, other)
        for start, mine, other in zip(starts, results, theirs, strict=True)
        if mine != other
    ]
    unexplained = sum(1 for s, mine, other in differ if not crosses_transfer(s, mine, other))
    line = (
        f"{text:>6} {name:>8} {cold:>12,.0f} {warm:>12,.0f} {theirs_rate:>9,.0f} "
        f"{warm / theirs_rate:>7.0f}x {len(differ):>8} {unexplained:>11}"
    )
    return line, (differ[0] if differ else None)


def _ours(schedule: Schedule, amount: timedelta, start: datetime) -> datetime:
    return deadline(schedule, start, target_duration=amount)


def _theirs(delta: btd.BusinessTimeDelta, start: datetime) -> datetime:
    result: datetime = start + delta
    return result


def main() -> None:
    argv, is_smoke = smoke.positional()
    count = int(argv[0]) if argv else SMOKE_STARTS if is_smoke else DEFAULT_STARTS
    starts = random_starts(count)
    rule = businesstimedelta_rule()
    schedules = {"8x5": Schedule.business_hours(), "24x7": Schedule.twenty_four_seven()}
    print(f"{count} random starts, seed {SEED}, {FIRST:%Y-%m-%d} .. {LAST:%Y-%m-%d} MSK")
    header = (
        f"{'target':>6} {'schedule':>8} {'ours cold/s':>12} {'ours warm/s':>12} "
        f"{'btd/s':>9} {'speed-up':>8} {'disagree':>8} {'unexplained':>11}"
    )
    print(header)
    print("-" * len(header))
    began = perf_counter()
    examples: list[tuple[str, tuple[datetime, datetime, datetime]]] = []
    for text in TARGETS:
        for name, schedule in schedules.items():
            line, example = row(text, name, schedule, starts, rule)
            print(line)
            if example is not None:
                examples.append((text, example))
    print(f"\ntotal {perf_counter() - began:.1f} s")
    print(
        "transferred working Saturdays in the data: "
        + ", ".join(sorted(d.isoformat() for d in TRANSFERRED_SATURDAYS))
    )
    for text, (start, mine, other) in examples[:3]:
        print(
            f"  e.g. {text} from {start:%a %Y-%m-%d %H:%M}: ours {mine.astimezone(MSK):%a %m-%d %H:%M}"
            f", businesstimedelta {other.astimezone(MSK):%a %m-%d %H:%M} MSK"
        )
    print("24x7 is plain elapsed-time arithmetic; businesstimedelta has no 24-hour working day.")
    print("cold = window cache cleared before the pass; warm = second pass over the same starts.")


if __name__ == "__main__":
    main()
