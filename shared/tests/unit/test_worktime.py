"""Unit and property tests for working-time arithmetic: openings, sums, spans, deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from shared.worktime.schedule import MOSCOW, Schedule, ScheduleKind, Window, day_length
from shared.worktime.worktime import (
    add_working_time,
    deadline,
    next_opening,
    working_time_between,
)

MSK = ZoneInfo(MOSCOW)
NEW_YORK = ZoneInfo("America/New_York")
EIGHT_BY_FIVE = Schedule.business_hours()
TWENTY_FOUR_SEVEN = Schedule.twenty_four_seven()
WITH_LUNCH = Schedule(kind=ScheduleKind.custom, breaks=((time(13), time(14)),))
H = timedelta(hours=1)


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class TestNextOpening:
    def test_returns_the_instant_itself_inside_working_time(self) -> None:
        assert next_opening(EIGHT_BY_FIVE, msk(2026, 3, 16, 10, 30)) == msk(2026, 3, 16, 10, 30)

    def test_before_opening_returns_nine_oclock(self) -> None:
        assert next_opening(EIGHT_BY_FIVE, msk(2026, 3, 16, 7)) == msk(2026, 3, 16, 9)

    def test_at_the_close_returns_the_next_working_morning(self) -> None:
        assert next_opening(EIGHT_BY_FIVE, msk(2026, 3, 16, 18)) == msk(2026, 3, 17, 9)

    def test_friday_evening_returns_monday_morning(self) -> None:
        assert next_opening(EIGHT_BY_FIVE, msk(2026, 3, 13, 19)) == msk(2026, 3, 16, 9)

    def test_during_a_break_returns_its_end(self) -> None:
        assert next_opening(WITH_LUNCH, msk(2026, 3, 16, 13, 20)) == msk(2026, 3, 16, 14)

    def test_is_the_instant_itself_on_24x7(self) -> None:
        assert next_opening(TWENTY_FOUR_SEVEN, msk(2026, 3, 15, 3)) == msk(2026, 3, 15, 3)

    def test_returns_utc(self) -> None:
        assert next_opening(EIGHT_BY_FIVE, msk(2026, 3, 16, 7)).tzinfo is UTC


class TestAddWorkingTime:
    def test_premium_critical_response_on_a_sunday_night_is_twenty_minutes_later(self) -> None:
        due = add_working_time(TWENTY_FOUR_SEVEN, msk(2026, 3, 1, 3), timedelta(minutes=20))

        assert due == msk(2026, 3, 1, 3, 20)
        assert due == utc(2026, 3, 1, 0, 20)
        assert due.tzinfo is UTC

    def test_friday_17_plus_4h_is_monday_noon(self) -> None:
        # 1 hour on Friday, 3 on Monday.
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 13, 17), 4 * H) == msk(2026, 3, 16, 12)

    def test_target_reached_at_the_close_is_due_at_the_close(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), 9 * H) == msk(2026, 3, 16, 18)

    def test_one_microsecond_more_rolls_over_to_the_next_morning(self) -> None:
        amount = 9 * H + timedelta(microseconds=1)

        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), amount) == datetime(
            2026, 3, 17, 9, 0, 0, 1, tzinfo=MSK
        )

    def test_is_exact_to_the_microsecond(self) -> None:
        amount = timedelta(hours=2, minutes=59, seconds=59, microseconds=999_999)

        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 17), amount) == datetime(
            2026, 3, 17, 10, 59, 59, 999_999, tzinfo=MSK
        )

    def test_received_after_hours_counts_from_the_next_opening(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 17, 20), 2 * H) == msk(2026, 3, 18, 11)

    def test_received_on_saturday_counts_from_monday(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 14, 12), 2 * H) == msk(2026, 3, 16, 11)

    def test_zero_inside_working_time_is_the_start(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 11), timedelta(0)) == msk(
            2026, 3, 16, 11
        )

    def test_zero_outside_working_time_is_the_next_opening(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 17, 20), timedelta(0)) == msk(
            2026, 3, 18, 9
        )

    def test_skips_the_2026_new_year_holidays_through_9_january(self) -> None:
        # 30 Dec 2025 works; 31 Dec and 1-11 Jan are off (9 Jan moved from 3 Jan).
        assert add_working_time(EIGHT_BY_FIVE, msk(2025, 12, 30, 17), 4 * H) == msk(2026, 1, 12, 12)

    def test_counts_the_transferred_working_saturday_1_november_2025(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2025, 10, 31, 17), 4 * H) == msk(2025, 11, 1, 12)

    def test_skips_3_and_4_november_2025(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2025, 11, 1, 17), 2 * H) == msk(2025, 11, 5, 10)

    def test_counts_the_transferred_working_saturday_20_february_2027(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2027, 2, 19, 17), 4 * H) == msk(2027, 2, 20, 12)

    def test_skips_22_and_23_february_2027(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, msk(2027, 2, 20, 17), 2 * H) == msk(2027, 2, 24, 10)

    def test_skips_the_may_2026_holidays(self) -> None:
        # 1 May (Friday) off; 9-11 May off (Victory Day on Saturday moves to Monday).
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 4, 30, 17), 4 * H) == msk(2026, 5, 4, 12)
        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 5, 8, 17), 2 * H) == msk(2026, 5, 12, 10)

    def test_skips_the_may_2025_holidays(self) -> None:
        # 1-4 May and 8-11 May 2025 are off.
        assert add_working_time(EIGHT_BY_FIVE, msk(2025, 4, 30, 17), 2 * H) == msk(2025, 5, 5, 10)
        assert add_working_time(EIGHT_BY_FIVE, msk(2025, 5, 7, 17), 2 * H) == msk(2025, 5, 12, 10)

    def test_two_working_days_are_eighteen_working_hours(self) -> None:
        amount = day_length(EIGHT_BY_FIVE) * 2

        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 10), amount) == msk(2026, 3, 18, 10)

    def test_ten_working_days_from_monday_morning_end_at_the_second_friday_close(self) -> None:
        amount = day_length(EIGHT_BY_FIVE) * 10

        assert add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), amount) == msk(2026, 3, 27, 18)

    def test_skips_the_lunch_break(self) -> None:
        assert add_working_time(WITH_LUNCH, msk(2026, 3, 16, 12), 2 * H) == msk(2026, 3, 16, 15)

    def test_24x7_counts_elapsed_time_across_a_dst_change(self) -> None:
        start = datetime(2026, 3, 8, 1, tzinfo=NEW_YORK)  # clocks spring forward at 02:00

        due = add_working_time(TWENTY_FOUR_SEVEN, start, 3 * H)

        assert due == datetime(2026, 3, 8, 5, tzinfo=NEW_YORK) == utc(2026, 3, 8, 9)

    def test_keeps_wall_clock_hours_across_a_dst_change(self) -> None:
        schedule = Schedule(
            kind=ScheduleKind.custom, timezone="America/New_York", closes=time(17), country=None
        )
        start = datetime(2026, 3, 6, 16, tzinfo=NEW_YORK)  # Friday, EST

        due = add_working_time(schedule, start, 2 * H)

        assert due == datetime(2026, 3, 9, 10, tzinfo=NEW_YORK) == utc(2026, 3, 9, 14)

    def test_accepts_starts_in_any_zone(self) -> None:
        assert add_working_time(EIGHT_BY_FIVE, utc(2026, 3, 13, 14), 4 * H) == utc(2026, 3, 16, 9)

    def test_rejects_a_naive_start(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            add_working_time(EIGHT_BY_FIVE, datetime(2026, 3, 16, 9), H)

    def test_rejects_a_negative_amount(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), -H)

    def test_gives_up_on_a_schedule_without_working_days(self) -> None:
        never = Schedule(kind=ScheduleKind.custom, weekdays=frozenset(), country=None)

        with pytest.raises(ValueError, match="no working time for 3660 days"):
            add_working_time(never, msk(2026, 3, 16, 9), H)


class TestCost:
    def test_steps_over_days_not_minutes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[date] = []
        original: Callable[[Schedule, date], tuple[Window, ...]] = Schedule.working_windows

        def counting(schedule: Schedule, day: date) -> tuple[Window, ...]:
            calls.append(day)
            return original(schedule, day)

        monkeypatch.setattr(Schedule, "working_windows", counting)

        due = add_working_time(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), day_length(EIGHT_BY_FIVE) * 15)

        assert due == msk(2026, 4, 3, 18)  # 15 working days: 19 calendar days
        assert len(calls) == 20  # the day before the start, then one lookup per day


class TestWorkingTimeBetween:
    def test_friday_17_to_monday_noon_is_four_hours(self) -> None:
        assert working_time_between(EIGHT_BY_FIVE, msk(2026, 3, 13, 17), msk(2026, 3, 16, 12)) == (
            4 * H
        )

    def test_is_zero_when_end_is_not_after_start(self) -> None:
        start, end = msk(2026, 3, 13, 17), msk(2026, 3, 16, 12)

        assert working_time_between(EIGHT_BY_FIVE, end, start) == timedelta(0)
        assert working_time_between(EIGHT_BY_FIVE, start, start) == timedelta(0)

    def test_inverts_add_working_time(self) -> None:
        start = msk(2025, 12, 30, 17)

        due = add_working_time(EIGHT_BY_FIVE, start, 4 * H)

        assert due == msk(2026, 1, 12, 12)
        assert working_time_between(EIGHT_BY_FIVE, start, due) == 4 * H

    def test_a_calendar_week_of_8x5_is_45_hours(self) -> None:
        assert working_time_between(EIGHT_BY_FIVE, msk(2026, 3, 16), msk(2026, 3, 23)) == 45 * H

    def test_the_transferred_working_saturday_counts_nine_hours(self) -> None:
        assert working_time_between(EIGHT_BY_FIVE, msk(2025, 11, 1), msk(2025, 11, 2)) == 9 * H

    def test_the_january_2026_holidays_count_nothing(self) -> None:
        assert working_time_between(EIGHT_BY_FIVE, msk(2025, 12, 31), msk(2026, 1, 12)) == (
            timedelta(0)
        )

    def test_24x7_is_elapsed_time(self) -> None:
        assert working_time_between(
            TWENTY_FOUR_SEVEN, msk(2026, 3, 13, 17), msk(2026, 3, 16, 12)
        ) == timedelta(days=2, hours=19)

    def test_excludes_breaks(self) -> None:
        assert working_time_between(WITH_LUNCH, msk(2026, 3, 16, 12), msk(2026, 3, 16, 15)) == 2 * H

    def test_rejects_naive_datetimes(self) -> None:
        with pytest.raises(ValueError, match="end must be timezone-aware"):
            working_time_between(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), datetime(2026, 3, 16, 10))


class TestDeadline:
    def test_without_pauses_equals_add_working_time(self) -> None:
        assert deadline(EIGHT_BY_FIVE, msk(2026, 3, 13, 17), target_duration=4 * H) == msk(
            2026, 3, 16, 12
        )

    def test_pause_from_friday_17_to_monday_10_removes_two_working_hours(self) -> None:
        # The pause covers 17:00-18:00 on Friday and 09:00-10:00 on Monday.
        pause = (msk(2026, 3, 13, 17), msk(2026, 3, 16, 10))

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 13, 16), target_duration=4 * H, pauses=[pause])

        assert due == msk(2026, 3, 16, 13)  # 11:00 without the pause

    def test_pause_from_friday_17_to_monday_9_shifts_by_one_working_hour(self) -> None:
        pause = (msk(2026, 3, 13, 17), msk(2026, 3, 16, 9))

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 13, 16), target_duration=4 * H, pauses=[pause])

        assert due == msk(2026, 3, 16, 12)

    def test_pause_over_a_weekend_only_shifts_nothing(self) -> None:
        pause = (msk(2026, 3, 13, 18), msk(2026, 3, 16, 9))

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 13, 16), target_duration=4 * H, pauses=[pause])

        assert due == msk(2026, 3, 16, 11)

    def test_overlapping_pauses_count_once(self) -> None:
        pauses = [
            (msk(2026, 3, 16, 10), msk(2026, 3, 16, 12)),
            (msk(2026, 3, 16, 11), msk(2026, 3, 16, 13)),
            (msk(2026, 3, 16, 11, 30), msk(2026, 3, 16, 11, 45)),
        ]

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), target_duration=4 * H, pauses=pauses)

        assert due == msk(2026, 3, 16, 16)

    def test_a_pause_begun_before_the_start_counts_only_after_it(self) -> None:
        pause = (msk(2026, 3, 16, 8), msk(2026, 3, 16, 10))

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), target_duration=2 * H, pauses=[pause])

        assert due == msk(2026, 3, 16, 12)

    def test_a_pause_ending_before_the_start_is_ignored(self) -> None:
        pause = (msk(2026, 3, 13, 10), msk(2026, 3, 13, 12))

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), target_duration=2 * H, pauses=[pause])

        assert due == msk(2026, 3, 16, 11)

    def test_24x7_pause_shifts_by_its_length(self) -> None:
        pause = (msk(2026, 3, 15, 11), msk(2026, 3, 15, 11, 30))

        due = deadline(
            TWENTY_FOUR_SEVEN, msk(2026, 3, 15, 10), target_duration=4 * H, pauses=[pause]
        )

        assert due == msk(2026, 3, 15, 14, 30)

    def test_target_reached_as_a_pause_starts_is_due_then(self) -> None:
        pause = (msk(2026, 3, 16, 11), msk(2026, 3, 16, 15))

        due = deadline(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), target_duration=2 * H, pauses=[pause])

        assert due == msk(2026, 3, 16, 11)

    def test_zero_target_starts_once_the_pause_ends(self) -> None:
        pause = (msk(2026, 3, 16, 8), msk(2026, 3, 16, 10))

        due = deadline(
            EIGHT_BY_FIVE, msk(2026, 3, 16, 7), target_duration=timedelta(0), pauses=[pause]
        )

        assert due == msk(2026, 3, 16, 10)

    def test_rejects_a_pause_that_ends_before_it_starts(self) -> None:
        pause = (msk(2026, 3, 16, 12), msk(2026, 3, 16, 10))

        with pytest.raises(ValueError, match="ends before it starts"):
            deadline(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), target_duration=H, pauses=[pause])

    def test_rejects_a_naive_pause(self) -> None:
        pause = (datetime(2026, 3, 16, 10), msk(2026, 3, 16, 12))

        with pytest.raises(ValueError, match="timezone-aware"):
            deadline(EIGHT_BY_FIVE, msk(2026, 3, 16, 9), target_duration=H, pauses=[pause])


# --- Properties ---------------------------------------------------------------------

ZONES = [MOSCOW, "America/New_York", "Europe/London"]
FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2027, 12, 31)
PROPERTIES = settings(max_examples=200, deadline=None, database=None)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from(list(ScheduleKind)))
    if kind is ScheduleKind.twenty_four_seven:
        return Schedule.twenty_four_seven()
    zone = draw(st.sampled_from(ZONES))
    shortened = draw(st.booleans())
    if kind is ScheduleKind.business_hours:
        return Schedule(kind=kind, timezone=zone, shortened_pre_holidays=shortened)
    opens = draw(st.integers(0, 16 * 60))  # minutes after midnight
    closes = draw(st.integers(opens + 30, 24 * 60))
    breaks: tuple[tuple[time, time], ...] = ()
    if closes - opens >= 60 and draw(st.booleans()):
        break_start = draw(st.integers(opens + 10, closes - 20))
        break_end = draw(st.integers(break_start + 1, closes - 10))
        breaks = ((_clock(break_start), _clock(break_end)),)
    days = st.dates(FIRST_DAY, LAST_DAY + timedelta(days=60))
    days_off = draw(st.frozensets(days, max_size=6))
    return Schedule(
        kind=kind,
        timezone=zone,
        opens=_clock(opens),
        closes=_clock(closes % (24 * 60)),
        breaks=breaks,
        weekdays=draw(st.frozensets(st.integers(0, 6), min_size=1)),
        extra_days_off=days_off,
        extra_working_days=draw(st.frozensets(days, max_size=6)) - days_off,
        shortened_pre_holidays=shortened,
        country=draw(st.sampled_from(["RU", None])),
    )


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


starts = st.datetimes(
    min_value=datetime.combine(FIRST_DAY, time(0)),
    max_value=datetime.combine(LAST_DAY, time(23, 59, 59)),
    timezones=st.sampled_from([ZoneInfo(MOSCOW), NEW_YORK]),
    allow_imaginary=False,
)


def durations(schedule: Schedule) -> st.SearchStrategy[timedelta]:
    """Draw up to 20 working days of the schedule, to the microsecond."""
    limit = int((day_length(schedule) * 20).total_seconds())
    return st.builds(
        lambda seconds, micros: timedelta(seconds=seconds, microseconds=micros),
        st.integers(0, limit),
        st.integers(0, 999_999),
    )


def pauses_near(start: datetime) -> st.SearchStrategy[list[tuple[datetime, datetime]]]:
    # Offsets are added in UTC: aware arithmetic in a local zone is wall-clock arithmetic,
    # which can turn a forward offset into a reversed pause across a DST gap.
    start = start.astimezone(UTC)
    pause = st.builds(
        lambda offset, length: (
            start + timedelta(seconds=offset),
            start + timedelta(seconds=offset + length),
        ),
        st.integers(-3 * 86_400, 30 * 86_400),
        st.integers(0, 6 * 86_400),
    )
    return st.lists(pause, max_size=4)


def paused_working_time(
    schedule: Schedule, pauses: list[tuple[datetime, datetime]], start: datetime, end: datetime
) -> timedelta:
    """Measure working time inside the union of pauses, clipped to [start, end)."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in pauses if min(b, end) > max(a, start))
    total, reached = timedelta(0), start
    for a, b in clipped:
        a = max(a, reached)
        if b > a:
            total += working_time_between(schedule, a, b)
            reached = b
    return total


class TestProperties:
    @PROPERTIES
    @given(data=st.data())
    def test_between_inverts_add(self, data: st.DataObject) -> None:
        schedule, start = data.draw(schedules()), data.draw(starts)
        amount = data.draw(durations(schedule))

        due = add_working_time(schedule, start, amount)

        assert due >= start
        assert working_time_between(schedule, start, due) == amount

    @PROPERTIES
    @given(data=st.data())
    def test_add_is_monotonic_in_the_amount(self, data: st.DataObject) -> None:
        schedule, start = data.draw(schedules()), data.draw(starts)
        shorter, longer = sorted([data.draw(durations(schedule)), data.draw(durations(schedule))])

        assert add_working_time(schedule, start, shorter) <= add_working_time(
            schedule, start, longer
        )

    @PROPERTIES
    @given(data=st.data())
    def test_next_opening_is_working_time(self, data: st.DataObject) -> None:
        schedule, start = data.draw(schedules()), data.draw(starts)
        tick = timedelta(microseconds=1)

        opening = next_opening(schedule, start)

        assert opening >= start
        assert working_time_between(schedule, opening, opening + tick) == tick
        assert working_time_between(schedule, start, opening) == timedelta(0)

    @PROPERTIES
    @given(data=st.data())
    def test_deadline_excludes_exactly_the_paused_working_time(self, data: st.DataObject) -> None:
        schedule, start = data.draw(schedules()), data.draw(starts)
        target = data.draw(durations(schedule))
        pauses = data.draw(pauses_near(start))

        due = deadline(schedule, start, target_duration=target, pauses=pauses)

        counted = working_time_between(schedule, start, due)
        assert counted - paused_working_time(schedule, pauses, start, due) == target
        assert due >= add_working_time(schedule, start, target)
