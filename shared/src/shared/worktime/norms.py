"""Monthly norms of working hours (40-hour week) computed from the production calendar.

The Ministry of Labour publishes these norms each year; computing them from the same
calendar the SLA clocks use is how the tests prove that ``shortened_pre_holidays`` follows
the official calendar (order of the Ministry of Health and Social Development No. 588n of
13.08.2009: working days x 8 hours, minus one hour per pre-holiday day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.worktime.schedule import Schedule, ScheduleKind

__all__ = ["HOURS_PER_DAY", "MonthNorm", "monthly_norm"]

HOURS_PER_DAY = 8  # a 40-hour five-day week


@dataclass(frozen=True, slots=True)
class MonthNorm:
    """Hold one month's working days and shortened pre-holiday days; hours follow."""

    working_days: int
    shortened_days: int

    @property
    def hours(self) -> int:
        """Return the norm in hours: working days x 8 minus one per shortened day."""
        return self.working_days * HOURS_PER_DAY - self.shortened_days


def monthly_norm(year: int, month: int, *, country: str = "RU") -> MonthNorm:
    """Count a month of the country's production calendar with pre-holiday days shortened."""
    calendar = Schedule(
        kind=ScheduleKind.business_hours, country=country, shortened_pre_holidays=True
    )
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    days = [first + timedelta(days=n) for n in range((following - first).days)]
    working = [d for d in days if calendar.is_working_day(d)]
    return MonthNorm(
        working_days=len(working),
        shortened_days=sum(1 for d in working if calendar.is_shortened(d)),
    )
