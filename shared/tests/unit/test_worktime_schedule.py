"""Unit tests for business schedules: working days, windows, validation and JSON form."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest

from shared.worktime.schedule import MOSCOW, Schedule, ScheduleKind, day_length

LUNCH = ((time(13), time(14)),)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class TestConstructors:
    def test_business_hours_is_moscow_nine_to_six_on_the_ru_calendar(self) -> None:
        schedule = Schedule.business_hours()

        assert schedule.kind is ScheduleKind.business_hours
        assert schedule.timezone == MOSCOW == "Europe/Moscow"
        assert (schedule.opens, schedule.closes) == (time(9), time(18))
        assert schedule.breaks == ()
        assert schedule.weekdays == frozenset({0, 1, 2, 3, 4})
        assert schedule.country == "RU"
        assert schedule.shortened_pre_holidays is False

    def test_twenty_four_seven_has_kind_24x7(self) -> None:
        assert Schedule.twenty_four_seven().kind == "24x7"

    def test_equal_schedules_hash_equal(self) -> None:
        a = Schedule(kind="custom", breaks=[[time(13), time(14)]], weekdays=[0, 1])  # type: ignore[arg-type]
        b = Schedule(kind=ScheduleKind.custom, breaks=LUNCH, weekdays=frozenset({1, 0}))

        assert a == b
        assert len({a, b, Schedule.business_hours()}) == 2

    def test_is_frozen(self) -> None:
        schedule = Schedule.business_hours()

        with pytest.raises(AttributeError):
            schedule.opens = time(10)  # type: ignore[misc]


class TestSerialisation:
    def test_to_dict_uses_iso_strings(self) -> None:
        schedule = Schedule(
            kind=ScheduleKind.custom,
            timezone="Asia/Yekaterinburg",
            opens=time(8, 30),
            closes=time(17, 15, 30),
            breaks=LUNCH,
            weekdays=frozenset({5, 0}),
            extra_days_off=frozenset({date(2026, 3, 10), date(2026, 3, 2)}),
            extra_working_days=frozenset({date(2026, 3, 7)}),
            shortened_pre_holidays=True,
            country=None,
        )

        assert schedule.to_dict() == {
            "kind": "custom",
            "timezone": "Asia/Yekaterinburg",
            "opens": "08:30:00",
            "closes": "17:15:30",
            "breaks": [["13:00:00", "14:00:00"]],
            "weekdays": [0, 5],
            "extra_days_off": ["2026-03-02", "2026-03-10"],
            "extra_working_days": ["2026-03-07"],
            "shortened_pre_holidays": True,
            "country": None,
        }

    @pytest.mark.parametrize(
        "schedule",
        [
            Schedule.business_hours(),
            Schedule.twenty_four_seven(),
            Schedule(
                kind=ScheduleKind.custom,
                timezone="America/New_York",
                opens=time(0),
                closes=time(0),
                breaks=((time(12, 0, 0, 250), time(12, 30)),),
                weekdays=frozenset({0, 2, 4, 6}),
                extra_days_off=frozenset({date(2027, 1, 4)}),
                extra_working_days=frozenset({date(2027, 1, 2)}),
            ),
        ],
        ids=["8x5", "24x7", "custom"],
    )
    def test_round_trips_through_json(self, schedule: Schedule) -> None:
        restored = Schedule.from_dict(json.loads(json.dumps(schedule.to_dict())))

        assert restored == schedule
        assert hash(restored) == hash(schedule)

    def test_from_dict_ignores_unknown_keys_and_defaults_missing_ones(self) -> None:
        restored = Schedule.from_dict({"kind": "8x5", "added_in_v2": 1})

        assert restored == Schedule.business_hours()


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"kind": "9x6"}, "unknown schedule kind"),
            ({"timezone": "Mars/Olympus"}, "unknown time zone"),
            ({"opens": time(18), "closes": time(9)}, "close after it opens"),
            ({"opens": time(9), "closes": time(9)}, "close after it opens"),
            ({"breaks": ((time(8), time(10)),)}, "inside opening hours"),
            ({"breaks": ((time(12), time(14)), (time(13), time(15)))}, "disjoint"),
            ({"breaks": ((time(17), time(19)),)}, "inside opening hours"),
            ({"breaks": ((time(9), time(18)),)}, "no working time"),
            ({"breaks": ((time(9), time(12)), (time(12), time(18)))}, "no working time"),
            ({"weekdays": frozenset({0, 7})}, "0 \\(Monday\\) to 6"),
            ({"kind": "8x5", "weekdays": frozenset({0, 1})}, "use 'custom'"),
            ({"kind": "8x5", "country": None}, "needs a country"),
            ({"country": "XX"}, "no holiday calendar"),
            (
                {
                    "extra_days_off": frozenset({date(2026, 1, 12)}),
                    "extra_working_days": frozenset({date(2026, 1, 12)}),
                },
                "both an extra day off",
            ),
            ({"opens": time(9, tzinfo=UTC)}, "wall-clock"),
        ],
    )
    def test_rejects_schedules_the_arithmetic_cannot_honour(
        self, overrides: dict[str, object], message: str
    ) -> None:
        fields: dict[str, object] = {"kind": "custom", **overrides}

        with pytest.raises(ValueError, match=message):
            Schedule(**fields)  # type: ignore[arg-type]


class TestWorkingDays:
    @pytest.mark.parametrize(
        ("day", "working"),
        [
            (date(2026, 1, 8), False),  # New Year holidays
            (date(2026, 1, 9), False),  # Friday, day off moved from Saturday 3 January
            (date(2026, 1, 12), True),  # first working day of 2026
            (date(2025, 11, 1), True),  # Saturday, transferred working day
            (date(2025, 11, 3), False),  # Monday, day off moved from 1 November
            (date(2025, 11, 4), False),  # Unity Day
            (date(2027, 2, 20), True),  # Saturday, transferred working day
            (date(2027, 2, 22), False),  # Monday, day off moved from 20 February
            (date(2026, 3, 14), False),  # an ordinary Saturday
            (date(2026, 3, 16), True),  # an ordinary Monday
        ],
    )
    def test_business_hours_follow_the_ru_production_calendar(
        self, day: date, working: bool
    ) -> None:
        assert Schedule.business_hours().is_working_day(day) is working

    def test_extra_days_override_the_calendar(self) -> None:
        schedule = Schedule(
            kind=ScheduleKind.business_hours,
            extra_days_off=frozenset({date(2026, 3, 16)}),
            extra_working_days=frozenset({date(2026, 1, 5)}),
        )

        assert schedule.is_working_day(date(2026, 3, 16)) is False
        assert schedule.is_working_day(date(2026, 1, 5)) is True

    def test_twenty_four_seven_ignores_extra_days_off(self) -> None:
        schedule = Schedule(
            kind=ScheduleKind.twenty_four_seven, extra_days_off=frozenset({date(2026, 1, 1)})
        )

        assert schedule.is_working_day(date(2026, 1, 1)) is True
        assert schedule.working_windows(date(2026, 1, 1)) == (
            (utc(2025, 12, 31, 21), utc(2026, 1, 1, 21)),
        )

    def test_custom_uses_its_weekdays_minus_country_holidays(self) -> None:
        six_days = Schedule(kind=ScheduleKind.custom, weekdays=frozenset(range(6)))

        assert six_days.is_working_day(date(2026, 3, 14)) is True  # Saturday
        assert six_days.is_working_day(date(2026, 3, 15)) is False  # Sunday
        assert six_days.is_working_day(date(2026, 6, 12)) is False  # Russia Day
        assert six_days.is_working_day(date(2026, 1, 9)) is False  # moved day off

    def test_custom_keeps_transferred_working_saturdays(self) -> None:
        weekdays_only = Schedule(kind=ScheduleKind.custom)

        assert weekdays_only.is_working_day(date(2025, 11, 1)) is True

    def test_custom_without_country_ignores_holidays(self) -> None:
        schedule = Schedule(kind=ScheduleKind.custom, country=None)

        assert schedule.is_working_day(date(2026, 1, 1)) is True  # Thursday
        assert schedule.is_working_day(date(2025, 11, 1)) is False  # Saturday


class TestDayLength:
    @pytest.mark.parametrize(
        ("schedule", "hours"),
        [
            (Schedule.business_hours(), 9),
            (Schedule.twenty_four_seven(), 24),
            (Schedule(kind=ScheduleKind.custom, breaks=LUNCH), 8),
            (Schedule(kind=ScheduleKind.custom, opens=time(0), closes=time(0)), 24),
            (Schedule(kind=ScheduleKind.custom, opens=time(10), closes=time(0)), 14),
        ],
        ids=["8x5", "24x7", "lunch", "whole-day", "to-midnight"],
    )
    def test_is_closes_minus_opens_minus_breaks(self, schedule: Schedule, hours: int) -> None:
        assert day_length(schedule) == timedelta(hours=hours)

    def test_ignores_shortened_pre_holiday_days(self) -> None:
        schedule = Schedule(kind=ScheduleKind.business_hours, shortened_pre_holidays=True)

        assert day_length(schedule) == timedelta(hours=9)


class TestWorkingWindows:
    def test_are_utc_instants_of_local_hours(self) -> None:
        windows = Schedule.business_hours().working_windows(date(2026, 3, 16))

        assert windows == ((utc(2026, 3, 16, 6), utc(2026, 3, 16, 15)),)

    def test_breaks_split_the_day(self) -> None:
        schedule = Schedule(kind=ScheduleKind.custom, breaks=LUNCH)

        assert schedule.working_windows(date(2026, 3, 16)) == (
            (utc(2026, 3, 16, 6), utc(2026, 3, 16, 10)),
            (utc(2026, 3, 16, 11), utc(2026, 3, 16, 15)),
        )

    def test_days_off_have_none(self) -> None:
        assert Schedule.business_hours().working_windows(date(2026, 1, 9)) == ()

    def test_closing_at_midnight_runs_to_the_end_of_the_day(self) -> None:
        schedule = Schedule(kind=ScheduleKind.custom, opens=time(0), closes=time(0))

        assert schedule.working_windows(date(2026, 3, 16)) == (
            (utc(2026, 3, 15, 21), utc(2026, 3, 16, 21)),
        )

    def test_follow_daylight_saving_time(self) -> None:
        schedule = Schedule(kind=ScheduleKind.custom, timezone="America/New_York", country=None)

        assert schedule.working_windows(date(2026, 3, 6)) == (
            (utc(2026, 3, 6, 14), utc(2026, 3, 6, 23)),  # EST, UTC-5
        )
        assert schedule.working_windows(date(2026, 3, 9)) == (
            (utc(2026, 3, 9, 13), utc(2026, 3, 9, 22)),  # EDT, UTC-4
        )


class TestShortenedPreHolidays:
    def test_day_before_a_holiday_closes_an_hour_early(self) -> None:
        schedule = Schedule(kind=ScheduleKind.business_hours, shortened_pre_holidays=True)

        assert schedule.is_shortened(date(2026, 4, 30)) is True  # 1 May is a holiday
        assert schedule.working_windows(date(2026, 4, 30)) == (
            (utc(2026, 4, 30, 6), utc(2026, 4, 30, 14)),
        )

    def test_day_before_a_moved_day_off_is_not_shortened(self) -> None:
        schedule = Schedule(kind=ScheduleKind.business_hours, shortened_pre_holidays=True)

        assert schedule.is_shortened(date(2025, 5, 7)) is False  # 8 May 2025 moved from 23 Feb

    def test_friday_before_a_plain_weekend_is_not_shortened(self) -> None:
        schedule = Schedule(kind=ScheduleKind.business_hours, shortened_pre_holidays=True)

        assert schedule.is_shortened(date(2026, 2, 20)) is False  # 23 Feb is after Sunday

    def test_is_off_by_default(self) -> None:
        schedule = Schedule.business_hours()

        assert schedule.is_shortened(date(2026, 4, 30)) is False
        assert schedule.working_windows(date(2026, 4, 30)) == (
            (utc(2026, 4, 30, 6), utc(2026, 4, 30, 15)),
        )

    def test_a_break_after_the_early_close_is_dropped(self) -> None:
        schedule = Schedule(
            kind=ScheduleKind.custom,
            breaks=((time(17, 15), time(17, 30)),),
            shortened_pre_holidays=True,
        )

        assert schedule.working_windows(date(2026, 4, 30)) == (
            (utc(2026, 4, 30, 6), utc(2026, 4, 30, 14)),
        )


class TestShortenedPreHolidayEdges:
    """Art. 95: the working day *immediately* before a public holiday, nothing else."""

    schedule = Schedule(kind=ScheduleKind.business_hours, shortened_pre_holidays=True)

    def test_friday_before_a_saturday_holiday_is_shortened(self) -> None:
        found = self.schedule.shortened_before(date(2025, 3, 7))

        assert found is not None
        assert found[0] == date(2025, 3, 8)  # a Saturday, moved on to 13 June by the decree
        assert found[1]  # the holiday's name, for the explanation

    def test_friday_before_a_monday_holiday_is_not(self) -> None:
        assert self.schedule.is_shortened(date(2026, 2, 20)) is False  # 23 Feb is a Monday

    def test_working_saturday_before_a_moved_day_off_is_not(self) -> None:
        assert self.schedule.is_working_day(date(2025, 11, 1)) is True
        assert self.schedule.is_shortened(date(2025, 11, 1)) is False  # 3 Nov moved off

    def test_day_before_an_in_lieu_day_off_is_not(self) -> None:
        assert self.schedule.is_working_day(date(2026, 3, 9)) is False  # 8 March on Sunday
        assert self.schedule.is_shortened(date(2026, 3, 6)) is False

    @pytest.mark.parametrize("year", [2025, 2026])
    def test_thirty_first_december_is_a_moved_day_off_so_the_thirtieth_is_whole(
        self, year: int
    ) -> None:
        assert self.schedule.is_working_day(date(year, 12, 31)) is False
        assert self.schedule.is_shortened(date(year, 12, 30)) is False

    def test_a_working_thirty_first_december_is_shortened_across_the_year(self) -> None:
        assert self.schedule.is_working_day(date(2019, 12, 31)) is True
        assert self.schedule.is_shortened(date(2019, 12, 31)) is True

    def test_a_holiday_the_customer_works_shortens_nothing(self) -> None:
        schedule = Schedule(
            kind=ScheduleKind.business_hours,
            shortened_pre_holidays=True,
            extra_working_days=frozenset({date(2026, 5, 1)}),
        )

        assert schedule.is_shortened(date(2026, 4, 30)) is False

    def test_option_off_lists_no_shortened_days(self) -> None:
        assert Schedule.business_hours().shortened_days(2026) == ()
        assert Schedule.business_hours().shortened_before(date(2026, 4, 30)) is None
