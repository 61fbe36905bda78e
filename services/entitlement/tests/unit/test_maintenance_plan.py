"""Scheduled maintenance: the plan's rule, its occurrences in the customer's zone, moves and skips."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings, strategies as st

from entitlement.domain.maintenance import (
    AgreedWindow,
    Frequency,
    MaintenancePlan,
    OccurrenceOutcome,
    OutsideWindow,
    Override,
    OverrideKind,
    WindowKind,
    due_occurrences,
    next_occurrences,
    occurrence_key,
)
from shared.errors import Unprocessable
from shared.worktime.schedule import Schedule

PLAN_ID = UUID("00000000-0000-4000-8000-000000000001")
CUSTOMER_ID = UUID("00000000-0000-4000-8000-000000000002")
MSK = timedelta(hours=3)


def make_plan(**overrides: Any) -> MaintenancePlan:
    fields: dict[str, Any] = {
        "plan_id": PLAN_ID,
        "customer_id": CUSTOMER_ID,
        "what": "Database health check",
        "frequency": Frequency.weekly,
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
        "timezone": "Europe/Moscow",
        "starts_at": datetime(2026, 3, 4, 10, 0),  # a Wednesday
        "lead": timedelta(days=1),
    }
    fields.update(overrides)
    return MaintenancePlan(**fields)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class TestExpansion:
    def test_occurrences_in_working_time_keep_their_instant_in_utc(self) -> None:
        [first, second] = next_occurrences(make_plan(), after=utc(2026, 3, 1), count=2)

        assert first.outcome is OccurrenceOutcome.scheduled
        assert first.original_at == first.scheduled_at == utc(2026, 3, 4, 7)
        assert second.scheduled_at == utc(2026, 3, 11, 7)
        assert first.opens_at == utc(2026, 3, 3, 7)
        assert first.reason is None

    def test_local_time_follows_the_customers_zone_across_daylight_saving(self) -> None:
        plan = make_plan(
            timezone="Europe/Berlin",
            frequency=Frequency.monthly,
            rrule="FREQ=MONTHLY;BYMONTHDAY=15",
            starts_at=datetime(2026, 1, 15, 10, 0),
        )
        occurrences = next_occurrences(
            plan, after=utc(2026, 1, 1), count=7, schedule=Schedule.twenty_four_seven()
        )

        assert occurrences[0].scheduled_at == utc(2026, 1, 15, 9)  # CET, UTC+1
        assert occurrences[6].scheduled_at == utc(2026, 7, 15, 8)  # CEST, UTC+2

    def test_quarterly_is_every_third_month(self) -> None:
        plan = make_plan(
            frequency=Frequency.quarterly,
            rrule="RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=2",
            starts_at=datetime(2026, 3, 2, 11, 0),
        )
        dates = [
            o.original_at.date() for o in next_occurrences(plan, after=utc(2026, 1, 1), count=3)
        ]

        assert [(d.month, d.day) for d in dates] == [(3, 2), (6, 2), (9, 2)]

    def test_a_finite_rule_ends(self) -> None:
        plan = make_plan(rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=2")

        assert len(next_occurrences(plan, after=utc(2026, 1, 1), count=10)) == 2


class TestWorkingTime:
    def test_a_weekend_occurrence_moves_to_the_next_opening(self) -> None:
        plan = make_plan(rrule="FREQ=WEEKLY;BYDAY=SA", starts_at=datetime(2026, 3, 7, 10, 0))
        [occurrence] = next_occurrences(plan, after=utc(2026, 3, 1), count=1)

        assert occurrence.outcome is OccurrenceOutcome.moved
        assert occurrence.reason == "outside_working_time"
        assert occurrence.original_at == utc(2026, 3, 7, 7)
        # Monday 9 March is the day off for 8 March (a Sunday in 2026): Tuesday, 09:00 MSK.
        assert occurrence.scheduled_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC) - MSK
        assert occurrence.opens_at == occurrence.scheduled_at - timedelta(days=1)

    def test_the_new_year_holidays_of_the_production_calendar_are_not_working_time(self) -> None:
        plan = make_plan(
            frequency=Frequency.monthly,
            rrule="FREQ=MONTHLY;BYMONTHDAY=1",
            starts_at=datetime(2026, 1, 1, 10, 0),
        )
        [january] = next_occurrences(plan, after=utc(2025, 12, 31), count=1)

        assert january.scheduled_at == utc(2026, 1, 12, 6)  # Monday 12 January, 09:00 MSK

    def test_skip_policy_records_the_skip_with_its_reason(self) -> None:
        plan = make_plan(
            rrule="FREQ=WEEKLY;BYDAY=SU",
            starts_at=datetime(2026, 3, 8, 10, 0),
            outside_window=OutsideWindow.skip,
        )
        [occurrence] = next_occurrences(plan, after=utc(2026, 3, 1), count=1)

        assert occurrence.outcome is OccurrenceOutcome.skipped
        assert occurrence.scheduled_at is None
        assert occurrence.reason == "outside_working_time"
        assert occurrence.opens_at == occurrence.original_at - timedelta(days=1)


class TestAgreedWindow:
    WINDOW = AgreedWindow(weekdays=frozenset({5}), starts=time(22), ends=time(2))

    def make(self, **overrides: Any) -> MaintenancePlan:
        return make_plan(window=WindowKind.agreed, agreed_window=self.WINDOW, **overrides)

    def test_an_occurrence_inside_the_window_stays_even_past_midnight(self) -> None:
        plan = self.make(rrule="FREQ=WEEKLY;BYDAY=SU", starts_at=datetime(2026, 3, 8, 1, 0))
        [occurrence] = next_occurrences(plan, after=utc(2026, 3, 1), count=1)

        assert occurrence.outcome is OccurrenceOutcome.scheduled
        assert occurrence.scheduled_at == utc(2026, 3, 7, 22)

    def test_an_occurrence_outside_moves_to_the_window_opening(self) -> None:
        plan = self.make()  # Wednesdays 10:00
        [occurrence] = next_occurrences(plan, after=utc(2026, 3, 1), count=1)

        assert occurrence.outcome is OccurrenceOutcome.moved
        assert occurrence.reason == "outside_agreed_window"
        assert occurrence.scheduled_at == datetime(2026, 3, 7, 22, tzinfo=UTC) - MSK

    def test_the_window_goes_with_window_kind_agreed_only(self) -> None:
        with pytest.raises(Unprocessable, match="agreed window"):
            make_plan(window=WindowKind.agreed)
        with pytest.raises(Unprocessable, match="agreed window"):
            make_plan(agreed_window=self.WINDOW)

    def test_an_empty_window_is_refused(self) -> None:
        with pytest.raises(Unprocessable, match="empty"):
            AgreedWindow(weekdays=frozenset({5}), starts=time(22), ends=time(22))
        with pytest.raises(Unprocessable, match="weekdays"):
            AgreedWindow(weekdays=frozenset({7}), starts=time(22), ends=time(23))


class TestOccurrenceKey:
    def test_the_key_is_the_plan_and_the_original_instant_whatever_the_move(self) -> None:
        plan = make_plan(rrule="FREQ=WEEKLY;BYDAY=SA", starts_at=datetime(2026, 3, 7, 10, 0))
        [moved] = next_occurrences(plan, after=utc(2026, 3, 1), count=1)

        assert moved.key == f"{PLAN_ID}@2026-03-07T07:00:00Z"
        assert moved.key == occurrence_key(PLAN_ID, datetime(2026, 3, 7, 10, tzinfo=UTC) - MSK)
        [again] = next_occurrences(plan, after=utc(2026, 3, 1), count=1)
        assert again.occurrence_id == moved.occurrence_id

    def test_different_occurrences_have_different_ids(self) -> None:
        occurrences = next_occurrences(make_plan(), after=utc(2026, 3, 1), count=5)

        assert len({o.occurrence_id for o in occurrences}) == 5


class TestDue:
    def test_consecutive_windows_see_each_occurrence_exactly_once(self) -> None:
        plan = make_plan(rrule="FREQ=WEEKLY;BYDAY=WE,SA", starts_at=datetime(2026, 3, 4, 10, 0))
        ticks = [utc(2026, 3, 1) + timedelta(hours=7 * n) for n in range(24 * 8)]
        seen = [
            o.key
            for since, now in itertools.pairwise(ticks)
            for o in due_occurrences(plan, since=since, now=now)
        ]
        expected = [
            o.key
            for o in next_occurrences(plan, after=utc(2026, 3, 1), count=200)
            if o.opens_at <= ticks[-1]
        ]

        assert len(seen) == len(set(seen)) > 10
        assert sorted(seen) == sorted(expected)

    def test_an_occurrence_is_due_its_lead_before_it_happens(self) -> None:
        plan = make_plan()
        opens = utc(2026, 3, 3, 7)

        assert (
            due_occurrences(
                plan, since=opens - timedelta(minutes=1), now=opens - timedelta(seconds=1)
            )
            == []
        )
        [due] = due_occurrences(plan, since=opens - timedelta(minutes=1), now=opens)
        assert due.scheduled_at == utc(2026, 3, 4, 7)

    def test_a_paused_scheduler_catches_up_on_what_it_missed(self) -> None:
        due = due_occurrences(make_plan(), since=utc(2026, 3, 1), now=utc(2026, 3, 20))

        assert [o.scheduled_at for o in due] == [
            utc(2026, 3, 4, 7),
            utc(2026, 3, 11, 7),
            utc(2026, 3, 18, 7),
        ]


class TestDueProperty:
    @settings(max_examples=40, deadline=None)
    @given(
        days=st.sets(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1),
        hour=st.integers(min_value=0, max_value=23),
        lead_hours=st.integers(min_value=0, max_value=24 * 10),
        skip=st.booleans(),
        cuts=st.lists(st.integers(min_value=1, max_value=60 * 24 * 60), min_size=1, max_size=12),
    )
    def test_any_split_of_time_sees_each_occurrence_once(
        self, days: set[str], hour: int, lead_hours: int, skip: bool, cuts: list[int]
    ) -> None:
        plan = make_plan(
            rrule=f"FREQ=WEEKLY;BYDAY={','.join(sorted(days))}",
            starts_at=datetime(2026, 3, 2, hour, 0),
            lead=timedelta(hours=lead_hours),
            outside_window=OutsideWindow.skip if skip else OutsideWindow.move,
        )
        start = utc(2026, 2, 20)
        ticks = [start, *sorted(start + timedelta(minutes=m) for m in set(cuts))]
        pieces = [
            o.key
            for a, b in itertools.pairwise(ticks)
            for o in due_occurrences(plan, since=a, now=b)
        ]
        whole = [o.key for o in due_occurrences(plan, since=ticks[0], now=ticks[-1])]

        assert sorted(pieces) == sorted(whole)
        assert len(set(whole)) == len(whole)


class TestOverrides:
    def test_an_agent_skip_is_recorded_with_its_reason(self) -> None:
        key = occurrence_key(PLAN_ID, utc(2026, 3, 11, 7))
        overrides = {key: Override(kind=OverrideKind.skip, reason="customer freeze")}
        occurrences = next_occurrences(
            make_plan(), after=utc(2026, 3, 1), count=2, overrides=overrides
        )

        assert [o.outcome for o in occurrences] == [
            OccurrenceOutcome.scheduled,
            OccurrenceOutcome.skipped,
        ]
        assert occurrences[1].reason == "customer freeze"

    def test_an_agent_move_keeps_the_key(self) -> None:
        key = occurrence_key(PLAN_ID, utc(2026, 3, 4, 7))
        to = utc(2026, 3, 5, 8)
        overrides = {key: Override(kind=OverrideKind.move, reason="engineer ill", to=to)}
        [occurrence] = next_occurrences(
            make_plan(), after=utc(2026, 3, 1), count=1, overrides=overrides
        )

        assert (occurrence.outcome, occurrence.scheduled_at, occurrence.key) == (
            OccurrenceOutcome.moved,
            to,
            key,
        )

    def test_a_move_needs_an_aware_instant_within_the_limit(self) -> None:
        with pytest.raises(Unprocessable, match="to"):
            Override(kind=OverrideKind.move, reason="r")
        with pytest.raises(Unprocessable, match="offset"):
            Override(kind=OverrideKind.move, reason="r", to=datetime(2026, 3, 5, 8))
        key = occurrence_key(PLAN_ID, utc(2026, 3, 4, 7))
        far = Override(kind=OverrideKind.move, reason="r", to=utc(2026, 6, 1))
        with pytest.raises(Unprocessable, match="at most 31 days"):
            next_occurrences(make_plan(), after=utc(2026, 3, 1), count=1, overrides={key: far})


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "match"),
        [
            ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}, "FREQ=WEEKLY"),
            ({"frequency": Frequency.quarterly, "rrule": "FREQ=MONTHLY"}, "INTERVAL=3"),
            ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, "not valid RFC 5545"),
            ({"rrule": "FREQ=WEEKLY;COLOUR=RED"}, "not valid RFC 5545"),
            ({"rrule": "DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY"}, "one RRULE line"),
            ({"rrule": ""}, "one RRULE line"),
            ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
            ({"starts_at": datetime(2026, 3, 4, 10, tzinfo=UTC)}, "without an offset"),
            ({"lead": timedelta(hours=-1)}, "lead time"),
            ({"what": "  "}, "what"),
        ],
    )
    def test_a_bad_plan_is_refused_with_the_fix(
        self, overrides: dict[str, Any], match: str
    ) -> None:
        with pytest.raises(Unprocessable, match=match):
            make_plan(**overrides)

    def test_a_rule_that_never_comes_is_refused(self) -> None:
        with pytest.raises(Unprocessable, match="no occurrence within two years"):
            make_plan(
                frequency=Frequency.monthly,
                rrule="FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;COUNT=1",
            )
