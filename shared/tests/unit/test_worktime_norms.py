"""The production calendar, as the code computes it, against the official monthly norms.

Sources of the expected figures (40-hour week, working days and hours per month):

* 2025: Government Decree No. 1335 of 04.10.2024 on transferring days off in 2025 (4 Jan
  to 2 May, 5 Jan to 31 Dec, 23 Feb to 8 May, 8 Mar to 13 Jun, 1 Nov to 3 Nov) and the
  Ministry of Labour's production calendar for 2025: 247 working days, 1,973 hours; the
  shortened days are 7 March, 30 April and 11 June, "the eve of 8 March, 1 May and 12
  June" (ConsultantPlus's note to the 2025 calendar, cons_doc_LAW_481572); 1 November, a
  working Saturday before a transferred day off, is not shortened.
* 2026: Government Decree of 24.09.2025 on transferring days off in 2026 (3 Jan
  to 9 Jan, 4 Jan to 31 Dec; ConsultantPlus cons_doc_LAW_515170, the source the
  ``holidays`` package cites) and the Ministry of Labour's production calendar for 2026:
  247 working days, 1,972 hours; shortened days 30 April, 8 May, 11 June and 3 November.
  8 March (Sunday) and 9 May (Saturday) move by art. 112 to 9 March and 11 May.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from shared.worktime.norms import MonthNorm, monthly_norm
from shared.worktime.schedule import Schedule, ScheduleKind

# month: (working days, hours) as the Ministry of Labour publishes them
OFFICIAL: dict[int, dict[int, tuple[int, int]]] = {
    2025: {
        1: (17, 136),
        2: (20, 160),
        3: (21, 167),
        4: (22, 175),
        5: (18, 144),
        6: (19, 151),
        7: (23, 184),
        8: (21, 168),
        9: (22, 176),
        10: (23, 184),
        11: (19, 152),
        12: (22, 176),
    },
    2026: {
        1: (15, 120),
        2: (19, 152),
        3: (21, 168),
        4: (22, 175),
        5: (19, 151),
        6: (21, 167),
        7: (23, 184),
        8: (21, 168),
        9: (22, 176),
        10: (22, 176),
        11: (20, 159),
        12: (22, 176),
    },
}
YEARLY = {2025: (247, 1973), 2026: (247, 1972)}
MONTHS = [(y, m) for y, months in OFFICIAL.items() for m in months]


@pytest.mark.parametrize(("year", "month"), MONTHS, ids=[f"{y}-{m:02}" for y, m in MONTHS])
def test_monthly_norm_is_the_official_one(year: int, month: int) -> None:
    norm = monthly_norm(year, month)

    assert (norm.working_days, norm.hours) == OFFICIAL[year][month]


@pytest.mark.parametrize("year", sorted(YEARLY))
def test_yearly_norm_is_the_official_one(year: int) -> None:
    norms = [monthly_norm(year, m) for m in range(1, 13)]

    assert sum(n.working_days for n in norms) == YEARLY[year][0]
    assert sum(n.hours for n in norms) == YEARLY[year][1]
    # the official table is self-consistent, so the test data has no typo
    assert sum(OFFICIAL[year][m][1] for m in range(1, 13)) == YEARLY[year][1]


@pytest.mark.parametrize(("year", "month"), MONTHS, ids=[f"{y}-{m:02}" for y, m in MONTHS])
def test_working_windows_of_an_eight_hour_day_sum_to_the_norm(year: int, month: int) -> None:
    """The clock's own windows, not just the counting helper, give the official hours."""
    schedule = Schedule(
        kind=ScheduleKind.business_hours,
        opens=time(9),
        closes=time(17),
        shortened_pre_holidays=True,
    )
    first = date(year, month, 1)
    total = timedelta()
    day = first
    while day.month == month:
        total += sum((end - start for start, end in schedule.working_windows(day)), timedelta())
        day += timedelta(days=1)

    assert total == timedelta(hours=OFFICIAL[year][month][1])


@pytest.mark.parametrize(
    ("year", "days"),
    [
        (2025, (date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11))),
        (2026, (date(2026, 4, 30), date(2026, 5, 8), date(2026, 6, 11), date(2026, 11, 3))),
    ],
)
def test_shortened_days_are_the_official_ones(year: int, days: tuple[date, ...]) -> None:
    schedule = Schedule(kind=ScheduleKind.business_hours, shortened_pre_holidays=True)

    assert schedule.shortened_days(year) == days


def test_norm_hours_are_days_times_eight_minus_shortened() -> None:
    assert MonthNorm(working_days=21, shortened_days=1).hours == 167
