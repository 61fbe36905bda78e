"""Business calendars as data: the schedule documents sla-clock runs its clocks on.

A schedule document has exactly the shape of ``sla_clock``'s ``Schedule.to_dict()``
(entitlement never imports it: the services deploy separately, and a contract test
proves the two agree). A customer's calendar is a set of *overrides* applied to the
tiers' business-hours schedules; 24x7 schedules have no days off and no hours, so the
overrides leave them alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

MOSCOW = "Europe/Moscow"
DEFAULT_CALENDAR_VERSION = "default"
KINDS = ("24x7", "8x5", "custom")
_MIDNIGHT = time(0)
_PROBE = date(2000, 1, 3)


def twenty_four_seven() -> dict[str, Any]:
    """Return the round-the-clock schedule document of premium and business."""
    return _doc(kind="24x7")


def business_hours() -> dict[str, Any]:
    """Return the 8x5 document: RF production calendar, 09:00-18:00 Europe/Moscow."""
    return _doc(kind="8x5")


def _doc(
    *,
    kind: str,
    timezone: str = MOSCOW,
    opens: time = time(9),
    closes: time = time(18),
    breaks: Iterable[tuple[time, time]] = (),
    weekdays: Iterable[int] = range(5),
    extra_days_off: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    shortened_pre_holidays: bool = False,
    country: str | None = "RU",
) -> dict[str, Any]:
    return {
        "kind": kind,
        "timezone": timezone,
        "opens": opens.isoformat(),
        "closes": closes.isoformat(),
        "breaks": [[s.isoformat(), e.isoformat()] for s, e in sorted(breaks)],
        "weekdays": sorted(set(weekdays)),
        "extra_days_off": sorted({d.isoformat() for d in extra_days_off}),
        "extra_working_days": sorted({d.isoformat() for d in extra_working_days}),
        "shortened_pre_holidays": bool(shortened_pre_holidays),
        "country": country,
    }


@lru_cache(maxsize=64)
def _country_known(country: str) -> bool:
    try:
        holidays.country_holidays(country, years=_PROBE.year)
    except NotImplementedError:
        return False
    return True


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone ``name``; ValueError if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Asia/Yekaterinburg)"
        ) from exc


def _close(day: date, closes: time) -> datetime:
    if closes == _MIDNIGHT:
        return datetime.combine(day + timedelta(days=1), _MIDNIGHT)
    return datetime.combine(day, closes)


def validate_schedule(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Check a schedule document the way sla-clock will, and return it normalised.

    Raises:
        ValueError: the document names something the working-time arithmetic cannot honour.
    """
    kind = doc.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown schedule kind {kind!r}; use one of {', '.join(KINDS)}")
    zone(str(doc.get("timezone", MOSCOW)))
    try:
        opens = time.fromisoformat(str(doc.get("opens", "09:00:00")))
        closes = time.fromisoformat(str(doc.get("closes", "18:00:00")))
        breaks = [
            (time.fromisoformat(str(s)), time.fromisoformat(str(e)))
            for s, e in doc.get("breaks", [])
        ]
        days_off = {date.fromisoformat(str(d)) for d in doc.get("extra_days_off", [])}
        working = {date.fromisoformat(str(d)) for d in doc.get("extra_working_days", [])}
    except (TypeError, ValueError) as exc:
        raise ValueError(f"times are HH:MM, dates YYYY-MM-DD: {exc}") from exc
    weekdays = {int(w) for w in doc.get("weekdays", range(5))}
    country = doc.get("country", "RU")
    if opens.tzinfo is not None or closes.tzinfo is not None:
        raise ValueError("schedule times are wall-clock times: give them without an offset")
    if closes != _MIDNIGHT and closes <= opens:
        raise ValueError("a schedule must close after it opens (closes=00:00 means 24:00)")
    day_open, day_close = datetime.combine(_PROBE, opens), _close(_PROBE, closes)
    previous, working_time = day_open, day_close - day_open
    for start, end in sorted(breaks):
        b_start, b_end = datetime.combine(_PROBE, start), datetime.combine(_PROBE, end)
        if not previous <= b_start < b_end <= day_close:
            raise ValueError("breaks must be ordered, disjoint and inside opening hours")
        previous = b_end
        working_time -= b_end - b_start
    if working_time <= timedelta(0):
        raise ValueError("breaks leave no working time in the day")
    if not weekdays <= set(range(7)):
        raise ValueError("weekdays are numbers 0 (Monday) to 6 (Sunday)")
    if kind == "8x5" and weekdays != set(range(5)):
        raise ValueError("an 8x5 schedule takes its days from the calendar: use kind 'custom'")
    if days_off & working:
        raise ValueError("a date cannot be both an extra day off and an extra working day")
    if kind == "8x5" and not country:
        raise ValueError("an 8x5 schedule needs a country for its production calendar")
    if country and not _country_known(str(country)):
        raise ValueError(f"no production calendar for country {country!r} (use e.g. RU)")
    return _doc(
        kind=str(kind),
        timezone=str(doc.get("timezone", MOSCOW)),
        opens=opens,
        closes=closes,
        breaks=breaks,
        weekdays=weekdays,
        extra_days_off=days_off,
        extra_working_days=working,
        shortened_pre_holidays=bool(doc.get("shortened_pre_holidays", False)),
        country=str(country) if country else None,
    )


@dataclass(frozen=True)
class CalendarOverrides:
    """A customer's departures from the platform calendar; None means "as the tier has it"."""

    timezone: str | None = None
    opens: time | None = None
    closes: time | None = None
    breaks: tuple[tuple[time, time], ...] | None = None
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    country: str | None = None

    @property
    def is_default(self) -> bool:
        """Tell whether these overrides change nothing."""
        return self == CalendarOverrides()

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON primitives (for the database and events)."""
        return {
            "timezone": self.timezone,
            "opens": self.opens.isoformat() if self.opens else None,
            "closes": self.closes.isoformat() if self.closes else None,
            "breaks": None
            if self.breaks is None
            else [[s.isoformat(), e.isoformat()] for s, e in self.breaks],
            "extra_days_off": sorted(d.isoformat() for d in self.extra_days_off),
            "extra_working_days": sorted(d.isoformat() for d in self.extra_working_days),
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarOverrides:
        """Rebuild from :meth:`to_dict` output."""

        def t(value: Any) -> time | None:
            return None if value is None else time.fromisoformat(str(value))

        raw_breaks = data.get("breaks")
        return cls(
            timezone=data.get("timezone"),
            opens=t(data.get("opens")),
            closes=t(data.get("closes")),
            breaks=None
            if raw_breaks is None
            else tuple((time.fromisoformat(s), time.fromisoformat(e)) for s, e in raw_breaks),
            extra_days_off=frozenset(date.fromisoformat(d) for d in data.get("extra_days_off", [])),
            extra_working_days=frozenset(
                date.fromisoformat(d) for d in data.get("extra_working_days", [])
            ),
            country=data.get("country"),
        )

    @property
    def effective_timezone(self) -> str:
        """Return the zone in which the customer's dates (contracts, warranty) are read."""
        return self.timezone or MOSCOW


def apply_overrides(
    schedule: Mapping[str, Any], overrides: CalendarOverrides | None, *, shortened: bool = False
) -> dict[str, Any]:
    """Return ``schedule`` as it runs for this customer (and contract).

    24x7 schedules are returned unchanged: a round-the-clock tier has no days off, no
    hours and no shortened days. For the others the customer's values replace the
    tier's, extra days are added to the tier's own, and ``shortened`` switches on the
    production calendar's one-hour-shorter pre-holiday days.

    Raises:
        ValueError: the combination is not a valid schedule.
    """
    if overrides is not None and overrides.extra_days_off & overrides.extra_working_days:
        raise ValueError("a date cannot be both an extra day off and an extra working day")
    doc = dict(schedule)
    if doc["kind"] == "24x7":
        return doc
    if overrides is not None:
        if overrides.timezone:
            doc["timezone"] = overrides.timezone
        if overrides.opens is not None:
            doc["opens"] = overrides.opens.isoformat()
        if overrides.closes is not None:
            doc["closes"] = overrides.closes.isoformat()
        if overrides.breaks is not None:
            doc["breaks"] = [[s.isoformat(), e.isoformat()] for s, e in overrides.breaks]
        if overrides.country:
            doc["country"] = overrides.country
        off = set(doc.get("extra_days_off", [])) | {d.isoformat() for d in overrides.extra_days_off}
        work = set(doc.get("extra_working_days", [])) | {
            d.isoformat() for d in overrides.extra_working_days
        }
        # The customer's own words win over the tier's where they contradict each other.
        doc["extra_days_off"] = sorted(off - {d.isoformat() for d in overrides.extra_working_days})
        doc["extra_working_days"] = sorted(work - {d.isoformat() for d in overrides.extra_days_off})
    if shortened:
        doc["shortened_pre_holidays"] = True
    return validate_schedule(doc)


def local_midnight(day: date, timezone: str) -> datetime:
    """Return 00:00 of ``day`` in ``timezone`` as an aware UTC instant."""
    return datetime.combine(day, _MIDNIGHT).replace(tzinfo=zone(timezone)).astimezone(UTC)


def local_date(at: datetime, timezone: str) -> date:
    """Return the calendar date of instant ``at`` in ``timezone``."""
    return at.astimezone(zone(timezone)).date()
