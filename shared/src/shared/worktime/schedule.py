"""Business schedules as plain, serialisable data: the hours in which an SLA clock runs.

Three kinds exist (rules, section 2):

* ``24x7`` runs every instant of the calendar. Only ``kind`` matters: the hours, breaks,
  weekdays and extra days of a 24x7 schedule are ignored, because a round-the-clock tier
  has no days off. A round-the-clock schedule *with* days off is a ``custom`` schedule
  with ``opens == closes == 00:00`` (a whole-day window).
* ``8x5`` works ``opens``-``closes`` (09:00-18:00 by default) on the working days of the
  country's production calendar, as the ``holidays`` package reports them with
  ``is_working_day`` (weekends and public holidays off, transferred days off and
  transferred working Saturdays included), then overridden by ``extra_days_off`` and
  ``extra_working_days``. ``weekdays`` must stay Monday-Friday: the calendar decides.
* ``custom`` works on ``weekdays`` (0 = Monday), minus the country's listed holidays and
  plus its transferred working weekend days when ``country`` is set, then overridden by
  the extra days.

With ``shortened_pre_holidays`` a working day closes an hour early when the next calendar
day is a non-working public holiday (Labour Code art. 95 part 1, holidays of art. 112): not
before a day off moved onto a weekday, nor before a plain weekend. See ``_statutory``.

Local times are interpreted in ``timezone`` with ``zoneinfo`` (PEP 495, ``fold=0``), so a
schedule in a zone with daylight saving time keeps its wall-clock hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "MONDAY_TO_FRIDAY",
    "MOSCOW",
    "Schedule",
    "ScheduleKind",
    "Window",
    "day_length",
]

MOSCOW = "Europe/Moscow"
MONDAY_TO_FRIDAY: frozenset[int] = frozenset(range(5))
_MIDNIGHT = time(0)
_ONE_DAY = timedelta(days=1)
_PRE_HOLIDAY_CUT = timedelta(hours=1)
_PROBE_DAY = date(2000, 1, 3)  # any date: only wall-clock differences within a day matter

Window = tuple[datetime, datetime]
"""A half-open working interval ``[start, end)`` as aware UTC datetimes."""


class ScheduleKind(StrEnum):
    """Name the shape of a schedule as it travels in events and policies."""

    twenty_four_seven = "24x7"
    business_hours = "8x5"
    custom = "custom"


@dataclass(frozen=True, slots=True)
class _CalendarYear:
    """Hold one year of a country's production calendar as plain sets."""

    holidays: frozenset[date]
    working_days: frozenset[date]
    weekend_workdays: frozenset[date]
    statutory: Mapping[date, str]  # the public holidays themselves, not moved days off


def _statutory(calendar: holidays.HolidayBase, year: int) -> dict[date, str]:
    """Keep the public holidays of the law, dropping days off moved or observed onto weekdays.

    ``observed=False`` drops the in-lieu days (8 March 2026 on a Sunday gives Monday 9
    March); the decree's transfers (2 May 2025 moved from 4 January) stay in the data under
    the package's own "substituted" label, so a date whose every name carries that label is
    a transferred day off, not a holiday. The label is taken from the same object, so the
    test holds in any language the package is built with.
    """
    label = getattr(calendar, "substituted_label", None)
    prefix = calendar.tr(label).split("%")[0] if label else None
    found: dict[date, str] = {}
    for day in calendar:
        if day.year != year:
            continue
        names = calendar.get_list(day)
        if prefix and all(name.startswith(prefix) for name in names):
            continue
        found[day] = "; ".join(names)
    return found


@lru_cache(maxsize=256)
def _calendar_year(country: str, year: int) -> _CalendarYear:
    """Build (once per country and year) the sets the arithmetic needs.

    Building a ``holidays`` object costs far more than a set lookup, and the working-time
    loop asks about every calendar day it crosses, so the answers are precomputed here.
    """
    try:
        calendar = holidays.country_holidays(country, years=year)
    except NotImplementedError as exc:
        raise ValueError(f"no holiday calendar for country {country!r}") from exc
    unobserved = holidays.country_holidays(country, years=year, observed=False)
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return _CalendarYear(
        holidays=frozenset(d for d in calendar if d.year == year),
        working_days=frozenset(d for d in days if calendar.is_working_day(d)),
        weekend_workdays=frozenset(d for d in calendar.weekend_workdays if d.year == year),
        statutory=MappingProxyType(_statutory(unobserved, year)),
    )


def _as_time(value: time | str) -> time:
    parsed = time.fromisoformat(value) if isinstance(value, str) else value
    if parsed.tzinfo is not None:
        raise ValueError("schedule times are wall-clock times: give them without a tzinfo")
    return parsed


def _as_date(value: date | str) -> date:
    if isinstance(value, datetime):
        raise ValueError("extra days are dates, not datetimes")
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_dates(values: Iterable[date | str]) -> frozenset[date]:
    return frozenset(_as_date(v) for v in values)


def _on(day: date, at: time) -> datetime:
    return datetime.combine(day, at)


@dataclass(frozen=True)
class Schedule:
    """Describe when working time runs; immutable, hashable and JSON-friendly."""

    kind: ScheduleKind
    timezone: str = MOSCOW
    opens: time = time(9)
    closes: time = time(18)  # 00:00 means the end of the day (24:00)
    breaks: tuple[tuple[time, time], ...] = ()
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    shortened_pre_holidays: bool = False
    country: str | None = "RU"
    _zone: ZoneInfo = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Normalise loosely typed input (lists, strings from JSON) so that equal schedules
        # compare and hash equal, then reject anything the arithmetic cannot honour.
        set_ = object.__setattr__
        try:
            set_(self, "kind", ScheduleKind(self.kind))
        except ValueError as exc:
            raise ValueError(f"unknown schedule kind {self.kind!r}") from exc
        try:
            set_(self, "_zone", ZoneInfo(self.timezone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        set_(self, "opens", _as_time(self.opens))
        set_(self, "closes", _as_time(self.closes))
        breaks = tuple(sorted((_as_time(b[0]), _as_time(b[1])) for b in self.breaks))
        set_(self, "breaks", breaks)
        set_(self, "weekdays", frozenset(int(w) for w in self.weekdays))
        set_(self, "extra_days_off", _as_dates(self.extra_days_off))
        set_(self, "extra_working_days", _as_dates(self.extra_working_days))
        set_(self, "shortened_pre_holidays", bool(self.shortened_pre_holidays))
        self._validate()

    def _validate(self) -> None:
        if self.closes != _MIDNIGHT and self.closes <= self.opens:
            raise ValueError("a schedule must close after it opens (closes=00:00 means 24:00)")
        day_end = self._close_on(_PROBE_DAY)
        previous_end = self._open_on(_PROBE_DAY)
        for start, end in self.breaks:
            b_start, b_end = _on(_PROBE_DAY, start), _on(_PROBE_DAY, end)
            if not previous_end <= b_start < b_end <= day_end:
                raise ValueError("breaks must be ordered, disjoint and inside opening hours")
            previous_end = b_end
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError("weekdays are numbers 0 (Monday) to 6 (Sunday)")
        if self.kind is ScheduleKind.business_hours and self.weekdays != MONDAY_TO_FRIDAY:
            raise ValueError("an 8x5 schedule takes its days from the calendar: use 'custom'")
        if self.extra_days_off & self.extra_working_days:
            raise ValueError("a date cannot be both an extra day off and an extra working day")
        if self.kind is ScheduleKind.business_hours and not self.country:
            raise ValueError("an 8x5 schedule needs a country for its production calendar")
        if day_length(self) <= timedelta(0):
            raise ValueError("breaks leave no working time in the day")
        if self.country and self.kind is not ScheduleKind.twenty_four_seven:
            _calendar_year(self.country, _PROBE_DAY.year)  # fails early on an unknown country

    @classmethod
    def twenty_four_seven(cls) -> Self:
        """Build the round-the-clock schedule of the premium and business tiers."""
        return cls(kind=ScheduleKind.twenty_four_seven)

    @classmethod
    def business_hours(cls) -> Self:
        """Build the 8x5 schedule: RF production calendar, 09:00-18:00 Europe/Moscow."""
        return cls(kind=ScheduleKind.business_hours)

    @property
    def zone(self) -> ZoneInfo:
        """Return the schedule's time zone object."""
        return self._zone

    @property
    def is_continuous(self) -> bool:
        """Tell whether every instant is working time, so arithmetic is plain subtraction."""
        return self.kind is ScheduleKind.twenty_four_seven

    def is_working_day(self, day: date) -> bool:
        """Tell whether ``day`` (a local date) has working hours at all."""
        if self.kind is ScheduleKind.twenty_four_seven:
            return True
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        if self.kind is ScheduleKind.business_hours:
            assert self.country  # checked in __post_init__
            return day in _calendar_year(self.country, day.year).working_days
        if not self.country:
            return day.weekday() in self.weekdays
        calendar = _calendar_year(self.country, day.year)
        if day in calendar.holidays:
            return False
        return day.weekday() in self.weekdays or day in calendar.weekend_workdays

    def is_shortened(self, day: date) -> bool:
        """Tell whether ``day`` closes an hour early as the working day before a holiday."""
        return self.shortened_before(day) is not None

    def shortened_before(self, day: date) -> tuple[date, str] | None:
        """Return the holiday (date, name) that shortens ``day``, or None; says why for people.

        Labour Code art. 95 part 1 shortens by one hour the working day *immediately*
        preceding a non-working holiday (art. 112). So the next calendar day must be a
        public holiday itself: a day off moved onto a weekday by a decree (8 May 2025, 31
        December) or in lieu of a weekend holiday (9 March 2026) does not count, and a
        Friday before a Monday holiday is not shortened (the weekend sits between). A
        holiday falling on a Saturday still shortens the Friday (7 March 2025). These
        rules reproduce the Ministry of Labour's monthly norms for 2025 and 2026.
        """
        if not self.shortened_pre_holidays or not self.country or self.is_continuous:
            return None
        if not self.is_working_day(day):
            return None
        following = day + _ONE_DAY
        name = _calendar_year(self.country, following.year).statutory.get(following)
        if name is None or self.is_working_day(following):
            return None
        return following, name

    def shortened_days(self, year: int) -> tuple[date, ...]:
        """List the year's shortened pre-holiday days in order (empty with the option off)."""
        first = date(year, 1, 1)
        span = (date(year + 1, 1, 1) - first).days
        days = (first + timedelta(days=n) for n in range(span))
        return tuple(d for d in days if self.is_shortened(d))

    def working_windows(self, day: date) -> tuple[Window, ...]:
        """Return the day's working intervals as ordered, disjoint UTC windows."""
        return _windows(self, day)

    def _open_on(self, day: date) -> datetime:
        return _on(day, self.opens)

    def _close_on(self, day: date) -> datetime:
        return _on(day + _ONE_DAY, _MIDNIGHT) if self.closes == _MIDNIGHT else _on(day, self.closes)

    def local_windows(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """Return the day's working intervals as naive local (wall-clock) datetimes."""
        if self.kind is ScheduleKind.twenty_four_seven:
            return ((_on(day, _MIDNIGHT), _on(day + _ONE_DAY, _MIDNIGHT)),)
        if not self.is_working_day(day):
            return ()
        cursor, close = self._open_on(day), self._close_on(day)
        if self.is_shortened(day):
            close -= _PRE_HOLIDAY_CUT
        pieces: list[tuple[datetime, datetime]] = []
        for start, end in self.breaks:
            b_start, b_end = _on(day, start), _on(day, end)
            if min(b_start, close) > cursor:
                pieces.append((cursor, min(b_start, close)))
            cursor = max(cursor, b_end)
        if close > cursor:
            pieces.append((cursor, close))
        return tuple(pieces)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-safe primitives (ISO strings) for events and jsonb columns."""
        return {
            "kind": self.kind.value,
            "timezone": self.timezone,
            "opens": self.opens.isoformat(),
            "closes": self.closes.isoformat(),
            "breaks": [[start.isoformat(), end.isoformat()] for start, end in self.breaks],
            "weekdays": sorted(self.weekdays),
            "extra_days_off": sorted(d.isoformat() for d in self.extra_days_off),
            "extra_working_days": sorted(d.isoformat() for d in self.extra_working_days),
            "shortened_pre_holidays": self.shortened_pre_holidays,
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild a schedule from ``to_dict`` output; absent keys take their defaults."""
        known = {
            "timezone",
            "opens",
            "closes",
            "breaks",
            "weekdays",
            "extra_days_off",
            "extra_working_days",
            "shortened_pre_holidays",
            "country",
        }
        # The tolerant reader: unknown keys from a newer writer are ignored.
        return cls(kind=data["kind"], **{k: v for k, v in data.items() if k in known})


def day_length(schedule: Schedule) -> timedelta:
    """Return one full working day of the schedule: what a ``d`` target counts per day.

    It is the nominal day (``closes - opens`` minus breaks), 9 hours for the default 8x5
    and 24 hours for 24x7; shortened pre-holiday days do not change it.
    """
    if schedule.is_continuous:
        return _ONE_DAY
    total = schedule._close_on(_PROBE_DAY) - schedule._open_on(_PROBE_DAY)
    for start, end in schedule.breaks:
        total -= _on(_PROBE_DAY, end) - _on(_PROBE_DAY, start)
    return total


@lru_cache(maxsize=65_536)
def _windows(schedule: Schedule, day: date) -> tuple[Window, ...]:
    """Convert one local day's windows to UTC, once per (schedule, day).

    A wall-clock time inside a daylight-saving gap maps (PEP 495, ``fold=0``) to an
    instant that can precede the one before it; clipping each window to start no earlier
    than the previous end keeps the windows ordered and disjoint whatever the zone does.
    """
    zone = schedule.zone
    result: list[Window] = []
    floor: datetime | None = None
    for local_start, local_end in schedule.local_windows(day):
        start = local_start.replace(tzinfo=zone).astimezone(UTC)
        end = local_end.replace(tzinfo=zone).astimezone(UTC)
        if floor is not None:
            start = max(start, floor)
        if end > start:
            result.append((start, end))
            floor = end
    return tuple(result)
