"""Working-time arithmetic over a schedule: next opening, adding, measuring, deadlines.

Every function takes timezone-aware datetimes and returns aware UTC datetimes; a naive
datetime is a ``ValueError`` because its instant is unknowable. Working time is the union
of the schedule's half-open windows ``[open, close)``: an instant at a close is outside
working time, yet a target reached exactly at a close is due at that close.

The loops step over whole windows (at most a few per calendar day), never over minutes,
so the cost grows with the number of calendar days a target spans, not with its length
in minutes; for a 24x7 schedule everything is plain arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from shared.worktime.schedule import Schedule

__all__ = [
    "MAX_IDLE_DAYS",
    "add_working_time",
    "deadline",
    "merge_intervals",
    "next_opening",
    "to_utc",
    "working_time_between",
]

MAX_IDLE_DAYS = 3660
"""Give up after this many consecutive calendar days without working time (10 years)."""

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)

Interval = tuple[datetime, datetime]


def to_utc(value: datetime, name: str = "datetime") -> datetime:
    """Convert an aware datetime to UTC, refusing a naive one.

    Raises:
        ValueError: ``value`` is naive.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def _days_from(schedule: Schedule, at: datetime) -> Iterator[date]:
    # Start a day early: a window of the previous local day can never reach past `at`,
    # but starting there costs one lookup and removes any doubt around zone transitions.
    day = at.astimezone(schedule.zone).date() - _ONE_DAY
    while True:
        yield day
        day += _ONE_DAY


def next_opening(schedule: Schedule, at: datetime) -> datetime:
    """Return ``at`` if it is working time, else the next instant the schedule opens."""
    return add_working_time(schedule, at, _ZERO)


def add_working_time(schedule: Schedule, start: datetime, amount: timedelta) -> datetime:
    """Return the instant at which working time counted from ``start`` reaches ``amount``.

    Counting begins at ``start`` or, outside working time, at the next opening; so a zero
    amount gives that opening. An amount reached exactly at a close yields the close.

    Raises:
        ValueError: ``start`` is naive, ``amount`` is negative, or the schedule has no
            working time for ``MAX_IDLE_DAYS`` consecutive days.
    """
    cursor = to_utc(start, "start")
    if amount < _ZERO:
        raise ValueError(f"amount must not be negative, got {amount}")
    if schedule.is_continuous:
        return cursor + amount
    remaining = amount
    idle_days = 0
    for day in _days_from(schedule, cursor):
        worked = False
        for opens, closes in schedule.working_windows(day):
            if closes <= cursor:
                continue
            begin = max(opens, cursor)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            cursor = closes
            worked = True
        idle_days = 0 if worked else idle_days + 1
        if idle_days > MAX_IDLE_DAYS:
            raise ValueError(f"schedule has no working time for {MAX_IDLE_DAYS} days")
    raise AssertionError("unreachable: the day iterator is infinite")  # pragma: no cover


def working_time_between(schedule: Schedule, start: datetime, end: datetime) -> timedelta:
    """Return the working time in ``[start, end)``; zero when ``end <= start``.

    Raises:
        ValueError: ``start`` or ``end`` is naive.
    """
    begin, finish = to_utc(start, "start"), to_utc(end, "end")
    if finish <= begin:
        return _ZERO
    if schedule.is_continuous:
        return finish - begin
    last_day = finish.astimezone(schedule.zone).date() + _ONE_DAY
    total = _ZERO
    cursor = begin
    for day in _days_from(schedule, begin):
        if day > last_day:
            break
        for opens, closes in schedule.working_windows(day):
            if opens >= finish:
                return total
            if closes <= cursor:
                continue
            stop = min(closes, finish)
            total += stop - max(opens, cursor)
            cursor = stop
    return total


def merge_intervals(intervals: Sequence[Interval], *, not_before: datetime) -> list[Interval]:
    """Clip intervals to start no earlier than ``not_before``, then sort and merge them.

    Raises:
        ValueError: an interval is naive or ends before it starts.
    """
    floor = to_utc(not_before, "not_before")
    clipped: list[Interval] = []
    for raw_start, raw_end in intervals:
        start, end = to_utc(raw_start, "pause start"), to_utc(raw_end, "pause end")
        if end < start:
            raise ValueError(f"pause ends before it starts: {raw_start} > {raw_end}")
        start = max(start, floor)
        if end > start:
            clipped.append((start, end))
    clipped.sort()
    merged: list[Interval] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def deadline(
    schedule: Schedule,
    start: datetime,
    *,
    target_duration: timedelta,
    pauses: Sequence[Interval] = (),
) -> datetime:
    """Return when the clock reaches ``target_duration`` if it stood still during ``pauses``.

    Pauses may overlap, lie outside working time or begin before ``start``; only their
    part after ``start`` matters. The result satisfies: working time in
    ``[start, deadline)`` minus working time inside the (merged) pauses equals the target.

    Raises:
        ValueError: a datetime is naive, the target is negative, or a pause is reversed.
    """
    cursor = to_utc(start, "start")
    if target_duration < _ZERO:
        raise ValueError(f"target_duration must not be negative, got {target_duration}")
    remaining = target_duration
    for pause_start, pause_end in merge_intervals(pauses, not_before=cursor):
        if pause_start > cursor:
            available = working_time_between(schedule, cursor, pause_start)
            # `available > 0` keeps a zero target from being "met" at an opening that lies
            # inside the pause: the clock only starts once it is running.
            if available >= remaining and available > _ZERO:
                return add_working_time(schedule, cursor, remaining)
            remaining -= available
        cursor = max(cursor, pause_end)
    return add_working_time(schedule, cursor, remaining)
