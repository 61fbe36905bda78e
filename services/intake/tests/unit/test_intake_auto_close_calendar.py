"""Auto-close counts working days of the ticket's snapshotted schedule (production calendar)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from intake.domain.closing import auto_close_at


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def eight_five(**overrides: Any) -> dict[str, Any]:
    """A schedule document as entitlement snapshots it on the ticket."""
    return {
        "kind": "8x5",
        "timezone": "Europe/Moscow",
        "opens": "09:00:00",
        "closes": "18:00:00",
        "breaks": [],
        "weekdays": [0, 1, 2, 3, 4],
        "extra_days_off": [],
        "extra_working_days": [],
        "shortened_pre_holidays": False,
        "country": "RU",
        **overrides,
    }


def policy(tier: str, schedule: dict[str, Any]) -> dict[str, Any]:
    return {"version": "test", "schedules": {tier: schedule}, "targets": {}}


class TestProductionCalendar:
    @pytest.mark.parametrize("snapshot", [policy("standard", eight_five()), None])
    def test_new_year_holidays_are_skipped(self, snapshot: dict[str, Any] | None) -> None:
        # Wed 30 Dec 2026 10:00 Moscow; 31 Dec (transferred day off) and 1-10 Jan are off:
        # three working days are 11, 12, 13 Jan 2027, not Mon 4 Jan (a New Year holiday).
        assert auto_close_at(
            utc(2026, 12, 30, 7), tier="standard", working_days=3, policy=snapshot
        ) == utc(2027, 1, 13, 7)

    def test_transferred_working_saturday_2025_11_01_counts(self) -> None:
        # Fri 31 Oct 2025 10:00 Moscow: Sat 1 Nov is a working day, Mon 3 and Tue 4 are off.
        snapshot = policy("basic", eight_five())
        one = auto_close_at(utc(2025, 10, 31, 7), tier="basic", working_days=1, policy=snapshot)
        two = auto_close_at(utc(2025, 10, 31, 7), tier="basic", working_days=2, policy=snapshot)
        assert (one, two) == (utc(2025, 11, 1, 7), utc(2025, 11, 5, 7))

    def test_transferred_working_saturday_2027_02_20_counts(self) -> None:
        # Fri 19 Feb 2027: Sat 20 Feb works, Mon 22 (moved from the 20th) and Tue 23 are off.
        snapshot = policy("standard", eight_five())
        one = auto_close_at(utc(2027, 2, 19, 7), tier="standard", working_days=1, policy=snapshot)
        two = auto_close_at(utc(2027, 2, 19, 7), tier="standard", working_days=2, policy=snapshot)
        assert (one, two) == (utc(2027, 2, 20, 7), utc(2027, 2, 24, 7))

    def test_resolved_on_a_holiday_counts_from_the_next_opening(self) -> None:
        # Sun 3 Jan 2027 (holiday) -> first opening Mon 11 Jan 09:00 -> +1 = Tue 12 Jan 09:00.
        assert auto_close_at(
            utc(2027, 1, 3, 12), tier="standard", working_days=1, policy=None
        ) == utc(2027, 1, 12, 6)


class TestSnapshottedSchedule:
    def test_a_24x7_tier_counts_calendar_days_through_the_holidays(self) -> None:
        snapshot = policy("premium", {"kind": "24x7"})
        assert auto_close_at(
            utc(2026, 12, 30, 7), tier="premium", working_days=3, policy=snapshot
        ) == utc(2027, 1, 2, 7)

    def test_the_snapshot_wins_over_the_tier_name(self) -> None:
        # A standard contract on a round-the-clock schedule counts calendar days.
        snapshot = policy("standard", {"kind": "24x7"})
        assert auto_close_at(
            utc(2026, 12, 30, 7), tier="standard", working_days=3, policy=snapshot
        ) == utc(2027, 1, 2, 7)

    def test_extra_days_off_and_extra_working_days_override_the_calendar(self) -> None:
        # Thu 26 Nov 2026 10:00 Moscow: Fri 27 is the customer's day off, Sat 28 a working day.
        snapshot = policy(
            "standard", eight_five(extra_days_off=["2026-11-27"], extra_working_days=["2026-11-28"])
        )
        assert auto_close_at(
            utc(2026, 11, 26, 7), tier="standard", working_days=2, policy=snapshot
        ) == utc(2026, 11, 30, 7)

    def test_the_schedule_time_zone_and_hours_decide_the_opening(self) -> None:
        # 20:00 UTC Mon = 01:00 Tue in Yekaterinburg, before 08:00 opening: counts from Tue 08:00.
        snapshot = policy(
            "standard",
            eight_five(timezone="Asia/Yekaterinburg", opens="08:00:00", closes="17:00:00"),
        )
        assert auto_close_at(
            utc(2026, 11, 23, 20), tier="standard", working_days=1, policy=snapshot
        ) == utc(2026, 11, 25, 3)

    def test_custom_weekdays_skip_the_country_holidays(self) -> None:
        # Mon-Sat schedule, Fri 8 Jan 2027 (a listed holiday): Sat 9 Jan is not a listed
        # holiday, so it opens then (09:00); one working day later is Mon 11 Jan 09:00.
        snapshot = policy("standard", eight_five(kind="custom", weekdays=[0, 1, 2, 3, 4, 5]))
        assert auto_close_at(
            utc(2027, 1, 8, 7), tier="standard", working_days=1, policy=snapshot
        ) == utc(2027, 1, 11, 6)
        # The same schedule without a country has no holidays: Fri 8 Jan + 1 = Sat 9 Jan.
        bare = policy(
            "standard", eight_five(kind="custom", weekdays=[0, 1, 2, 3, 4, 5], country=None)
        )
        assert auto_close_at(
            utc(2027, 1, 8, 7), tier="standard", working_days=1, policy=bare
        ) == utc(2027, 1, 9, 7)
