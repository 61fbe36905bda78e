"""Guard the production-calendar data: fail, never skip, when the holidays package is stale."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest

from shared.worktime.schedule import Schedule

THIS_YEAR = datetime.now().year


class TestCalendarData:
    @pytest.mark.parametrize("year", [THIS_YEAR, THIS_YEAR + 1])
    def test_lists_ru_holidays_for_the_year(self, year: int) -> None:
        listed = holidays.country_holidays("RU", years=year)

        assert len(listed) > 0, f"holidays has no RU data for {year}: upgrade the package"

    @pytest.mark.parametrize("year", [THIS_YEAR, THIS_YEAR + 1])
    def test_new_year_holidays_are_days_off(self, year: int) -> None:
        calendar = holidays.country_holidays("RU", years=year)
        january = [date(year, 1, 1) + timedelta(days=n) for n in range(10)]
        days_off = [d for d in january if not calendar.is_working_day(d)]

        assert not calendar.is_working_day(date(year, 1, 1))
        assert len(days_off) >= 5, f"only {len(days_off)} January days off in {year}"

    @pytest.mark.parametrize("year", [THIS_YEAR, THIS_YEAR + 1])
    def test_schedule_sees_the_same_new_year_holidays(self, year: int) -> None:
        schedule = Schedule.business_hours()

        assert not schedule.is_working_day(date(year, 1, 1))
        assert schedule.working_windows(date(year, 1, 1)) == ()

    def test_saturday_1_november_2025_is_a_working_day(self) -> None:
        calendar = holidays.country_holidays("RU", years=2025)

        assert date(2025, 11, 1).weekday() == 5
        assert calendar.is_working_day(date(2025, 11, 1))

    @pytest.mark.parametrize("day", [date(2025, 11, 3), date(2025, 11, 4)])
    def test_3_and_4_november_2025_are_days_off(self, day: date) -> None:
        calendar = holidays.country_holidays("RU", years=2025)

        assert not calendar.is_working_day(day)
