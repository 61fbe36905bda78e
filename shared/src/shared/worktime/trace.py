"""Why a deadline is where it is: the working windows the deadline arithmetic counted.

:func:`counted_windows` walks the same windows :func:`shared.worktime.worktime.deadline`
walks (``Schedule.working_windows`` day by day, pauses merged and taken out) and lists
each counted piece, so an explanation's intervals sum to the target by construction.
:func:`skipped_days` names each calendar day without working time and why, from the same
calendar data the schedule reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays  # the same package the schedule's calendar is built from

from shared.worktime.schedule import Schedule, ScheduleKind, _calendar_year
from shared.worktime.worktime import MAX_IDLE_DAYS, merge_intervals, to_utc

__all__ = ["CountedWindow", "SkippedDay", "counted_windows", "skipped_days"]

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CountedWindow:
    """One stretch of working time a clock counted, on one local working day."""

    day: date
    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class SkippedDay:
    """A local calendar day that had no working time, and why."""

    day: date
    reason: str  # weekend | public_holiday | transferred_day_off | customer_day_off | not_a_workday
    name: str | None = None


def counted_windows(
    schedule: Schedule,
    start: datetime,
    *,
    target_duration: timedelta | None,
    pauses: Sequence[tuple[datetime, datetime]] = (),
    until: datetime | None = None,
) -> list[CountedWindow]:
    """List the working time counted from ``start``, pauses taken out, in order.

    It stops when the counted time reaches ``target_duration`` (then the last piece ends
    at the instant ``deadline`` returns) or at ``until``, whichever comes first; one of
    the two must be given.

    Raises:
        ValueError: naive datetimes, a negative target, neither bound given, or no
            working time for ``MAX_IDLE_DAYS`` days.
    """
    cursor = to_utc(start, "start")
    if target_duration is None and until is None:
        raise ValueError("give a target_duration or an until instant")
    if target_duration is not None and target_duration < _ZERO:
        raise ValueError(f"target_duration must not be negative, got {target_duration}")
    stop = None if until is None else to_utc(until, "until")
    remaining = target_duration
    gaps = merge_intervals(pauses, not_before=cursor)
    result: list[CountedWindow] = []
    day = cursor.astimezone(schedule.zone).date() - _ONE_DAY
    idle = 0
    while True:
        worked = False
        for opens, closes in schedule.working_windows(day):
            if closes <= cursor:
                continue
            if stop is not None and opens >= stop:
                return result
            for begin, end in _minus(max(opens, cursor), closes, gaps):
                if stop is not None:
                    end = min(end, stop)
                if end <= begin:
                    continue
                if remaining is not None and end - begin >= remaining:
                    if remaining > _ZERO:
                        result.append(CountedWindow(day, begin, begin + remaining))
                    return result
                result.append(CountedWindow(day, begin, end))
                if remaining is not None:
                    remaining -= end - begin
                worked = True
            cursor = closes
            if stop is not None and closes >= stop:
                return result
        idle = 0 if worked else idle + 1
        if idle > MAX_IDLE_DAYS:
            raise ValueError(f"schedule has no working time for {MAX_IDLE_DAYS} days")
        day += _ONE_DAY


def _minus(
    begin: datetime, end: datetime, gaps: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """Return ``[begin, end)`` without the (merged, sorted) pause intervals."""
    pieces: list[tuple[datetime, datetime]] = []
    cursor = begin
    for g_start, g_end in gaps:
        if g_end <= cursor or g_start >= end:
            continue
        if g_start > cursor:
            pieces.append((cursor, g_start))
        cursor = max(cursor, g_end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def skipped_days(schedule: Schedule, first: date, last: date) -> list[SkippedDay]:
    """Name each local day in ``[first, last]`` without working time, with its reason.

    ``customer_day_off`` is the schedule's own extra day off; ``public_holiday`` a day the
    country's calendar lists as a holiday; ``transferred_day_off`` a weekday off because
    the calendar moved a day off onto it (from a Saturday or a holiday on a weekend);
    ``weekend`` a day outside the schedule's working week.
    """
    if schedule.kind is ScheduleKind.twenty_four_seven:
        return []
    result: list[SkippedDay] = []
    day = first
    while day <= last:
        if not schedule.working_windows(day) and not schedule.is_working_day(day):
            result.append(_why(schedule, day))
        day += _ONE_DAY
    return result


def _why(schedule: Schedule, day: date) -> SkippedDay:
    if day in schedule.extra_days_off:
        return SkippedDay(day, "customer_day_off")
    if schedule.country:
        names = _holiday_names(schedule.country, day.year)
        name = names.get(day)
        if name is not None:
            transferred = day.weekday() < 5 and _is_transfer(name)
            if transferred:
                return SkippedDay(day, "transferred_day_off", name)
            return SkippedDay(day, "public_holiday", name)
        if day in _calendar_year(schedule.country, day.year).holidays:
            return SkippedDay(day, "public_holiday")
    if day.weekday() >= 5 or day.weekday() not in schedule.weekdays:
        return SkippedDay(day, "weekend")
    return SkippedDay(day, "not_a_workday")


def _is_transfer(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ("substitut", "observed", "day off"))


@lru_cache(maxsize=64)
def _holiday_names(country: str, year: int) -> dict[date, str]:
    """Name each listed day off of a year (in English), once per country and year."""
    calendar = holidays.country_holidays(country, years=year, language="en_US")
    return {d: str(n) for d, n in calendar.items() if d.year == year}
