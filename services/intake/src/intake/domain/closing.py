"""When a resolved ticket closes by itself: the agreed time in the tier's schedule.

Decision (README): an approximation kept inside intake rather than a call to
sla-clock. 24x7 tiers count calendar days; 8x5 tiers count Monday–Friday in
Europe/Moscow from the next opening (09:00) if resolved outside 09:00–18:00, and
ignore public holidays and transferred days (the close comes at most a holiday
early, never before 3 working days of weekdays).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from intake.domain.model import SCHEDULE_24X7

MOSCOW = ZoneInfo("Europe/Moscow")
OPEN, CLOSE = time(9, 0), time(18, 0)


def _next_opening(local: datetime) -> datetime:
    """``local`` itself if within working hours on a weekday, else the next 09:00 of a weekday."""
    if local.weekday() < 5 and OPEN <= local.time() < CLOSE:
        return local
    day = local.date() if local.time() < OPEN else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, OPEN, tzinfo=MOSCOW)


def auto_close_at(resolved_at: datetime, *, tier: str, working_days: int) -> datetime:
    """The instant a resolved ticket closes without the customer's objection."""
    if tier in SCHEDULE_24X7:
        return resolved_at + timedelta(days=working_days)
    start = _next_opening(resolved_at.astimezone(MOSCOW))
    day = start.date()
    added = 0
    while added < working_days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return datetime.combine(day, start.timetz()).astimezone(resolved_at.tzinfo)
