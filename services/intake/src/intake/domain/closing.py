"""When a resolved ticket closes by itself: N working days of the tier's schedule.

Decision (README): intake counts the days itself (it never imports or calls sla-clock)
on the schedule document snapshotted on the ticket (``policy["schedules"][tier]``, the
shape entitlement hands out):

* ``24x7``: calendar days.
* ``8x5``: the working days of the country's production calendar (``holidays``'
  ``is_working_day``: weekends, public holidays and transferred days off are off,
  transferred working Saturdays are on), then ``extra_working_days`` / ``extra_days_off``.
* ``custom``: ``weekdays`` minus the country's holidays plus its transferred working
  weekend days (when ``country`` is set), then the extra days.

The count starts at the resolution instant if it falls inside working hours of a working
day, else at the next opening; the close comes N working days later at the same local
time. A ticket without a snapshotted schedule uses the rules' default for its tier.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

MOSCOW = "Europe/Moscow"
_MIDNIGHT = time(0)
# A schedule with no working day in this many days is broken: count calendar days instead.
_SEARCH_DAYS = 800


# Which tier works 24x7 is entitlement's rule, carried by the ticket's policy snapshot;
# a ticket without one (admitted before snapshots) counts the desk's working week.
WORKING_WEEK: Mapping[str, Any] = {
    "kind": "8x5",
    "timezone": MOSCOW,
    "opens": "09:00",
    "closes": "18:00",
    "country": "RU",
}


def schedule_of(policy: Mapping[str, Any] | None, tier: str) -> Mapping[str, Any]:
    """The ticket's schedule from its snapshotted policy, or the desk's working week."""
    schedules = (policy or {}).get("schedules") or {}
    found = schedules.get(tier) if isinstance(schedules, Mapping) else None
    return found if isinstance(found, Mapping) and found.get("kind") else WORKING_WEEK


@lru_cache(maxsize=128)
def _calendar(country: str, year: int) -> Any:
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return None


def _dates(values: Any) -> frozenset[date]:
    return frozenset(date.fromisoformat(str(v)) for v in values or ())


class _Days:
    """Which local dates are working days of one schedule document."""

    def __init__(self, schedule: Mapping[str, Any]) -> None:
        self.kind = str(schedule.get("kind"))
        self.country = schedule.get("country") or ("RU" if self.kind == "8x5" else None)
        self.weekdays = frozenset(int(w) for w in schedule.get("weekdays", range(5)))
        self.extra_off = _dates(schedule.get("extra_days_off"))
        self.extra_on = _dates(schedule.get("extra_working_days"))

    def working(self, day: date) -> bool:
        if day in self.extra_on:
            return True
        if day in self.extra_off:
            return False
        calendar = _calendar(str(self.country), day.year) if self.country else None
        if calendar is None:
            return day.weekday() in self.weekdays
        if self.kind == "8x5":
            return bool(calendar.is_working_day(day))
        if day in calendar:
            return False
        return day.weekday() in self.weekdays or day in calendar.weekend_workdays


def auto_close_at(
    resolved_at: datetime,
    *,
    tier: str,
    working_days: int,
    policy: Mapping[str, Any] | None = None,
) -> datetime:
    """The instant a resolved ticket closes without the customer's objection."""
    schedule = schedule_of(policy, tier)
    if schedule.get("kind") == "24x7":
        return resolved_at + timedelta(days=working_days)
    zone = ZoneInfo(str(schedule.get("timezone") or MOSCOW))
    opens = time.fromisoformat(str(schedule.get("opens") or "09:00"))
    closes = time.fromisoformat(str(schedule.get("closes") or "18:00"))
    days = _Days(schedule)
    local = resolved_at.astimezone(zone)
    inside = opens <= local.time() and (closes == _MIDNIGHT or local.time() < closes)
    if days.working(local.date()) and inside:
        day, at = local.date(), local.time()
    else:
        day = local.date() if local.time() < opens else local.date() + timedelta(days=1)
        at = opens
        for _ in range(_SEARCH_DAYS):
            if days.working(day):
                break
            day += timedelta(days=1)
        else:
            return resolved_at + timedelta(days=working_days)
    added = crossed = 0
    while added < working_days:
        day += timedelta(days=1)
        crossed += 1
        if crossed > _SEARCH_DAYS:
            return resolved_at + timedelta(days=working_days)
        if days.working(day):
            added += 1
    return datetime.combine(day, at, tzinfo=zone).astimezone(resolved_at.tzinfo)
