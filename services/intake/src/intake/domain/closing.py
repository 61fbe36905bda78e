"""When a resolved ticket closes by itself: N working days of the ticket's schedule.

Decision (docs/programme.md, "Lifecycle"): the count runs on the schedule snapshotted on
the ticket (``policy["schedules"][tier]``, entitlement's document) and asks
``shared.worktime.Schedule`` which days are working days, the one implementation of the
production calendar (weekends, public holidays and transferred days off are off,
transferred working Saturdays are on, then the schedule's own extra days):

* ``24x7``: calendar days.
* otherwise: the count starts at the resolution instant if it falls inside working hours of
  a working day, else at the next opening; the close comes N working days later at the same
  local time.

A ticket without a snapshotted schedule counts the desk's working week (8x5 Moscow).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from shared.worktime.schedule import Schedule, ScheduleKind

_MIDNIGHT = time(0)
# A schedule with no working day in this many days is broken: count calendar days instead.
_SEARCH_DAYS = 800

WORKING_WEEK = Schedule(kind=ScheduleKind.business_hours)
"""The desk's working week, for a ticket admitted before policies were snapshotted."""


def schedule_of(policy: Mapping[str, Any] | None, tier: str) -> Schedule:
    """The ticket's schedule from its snapshotted policy, or the desk's working week."""
    schedules = (policy or {}).get("schedules") or {}
    found = schedules.get(tier) if isinstance(schedules, Mapping) else None
    if isinstance(found, Mapping) and found.get("kind"):
        # A null country means "no national calendar"; any other null means "the default".
        return Schedule.from_dict(
            {k: v for k, v in found.items() if v is not None or k == "country"}
        )
    return WORKING_WEEK


def _inside_hours(schedule: Schedule, at: time) -> bool:
    return schedule.opens <= at and (schedule.closes == _MIDNIGHT or at < schedule.closes)


def _working_day_from(schedule: Schedule, day: date) -> date | None:
    for _ in range(_SEARCH_DAYS):
        if schedule.is_working_day(day):
            return day
        day += timedelta(days=1)
    return None


def auto_close_at(
    resolved_at: datetime,
    *,
    tier: str,
    working_days: int,
    policy: Mapping[str, Any] | None = None,
) -> datetime:
    """The instant a resolved ticket closes without the customer's objection."""
    schedule = schedule_of(policy, tier)
    fallback = resolved_at + timedelta(days=working_days)
    if schedule.is_continuous:
        return fallback
    local = resolved_at.astimezone(schedule.zone)
    if schedule.is_working_day(local.date()) and _inside_hours(schedule, local.time()):
        start, at = local.date(), local.time()
    else:
        after_opening = local.time() >= schedule.opens
        found = _working_day_from(schedule, local.date() + timedelta(days=int(after_opening)))
        if found is None:
            return fallback
        start, at = found, schedule.opens
    day = start
    for _ in range(working_days):
        found = _working_day_from(schedule, day + timedelta(days=1))
        if found is None:
            return fallback
        day = found
    return datetime.combine(day, at, tzinfo=schedule.zone)
