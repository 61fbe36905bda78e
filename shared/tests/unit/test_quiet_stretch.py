"""A safety poll that finds nothing and hears nothing waits longer (idle costs less),
and comes back to its interval as soon as work is announced or found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.clock import FrozenClock
from shared.periodic import QUIET_MAX_SECONDS, NextDue, Periodic, QuietStretch


class TestQuietStretch:
    def test_each_quiet_pass_doubles_the_wait_up_to_six_times_and_30_s(self) -> None:
        stretch = QuietStretch(5.0)
        waits = [stretch.after(quiet=True) for _ in range(5)]
        assert waits == [10.0, 20.0, 30.0, 30.0, 30.0]
        assert QUIET_MAX_SECONDS == 30.0

    def test_work_or_a_wake_brings_it_back_to_the_interval(self) -> None:
        stretch = QuietStretch(5.0)
        for _ in range(3):
            stretch.after(quiet=True)
        assert stretch.after(quiet=False) == 5.0
        stretch.after(quiet=True)
        stretch.after(quiet=True)
        stretch.heard()
        assert stretch.current() == 5.0
        assert stretch.after(quiet=True) == 5.0  # the woken pass found nothing: still alert
        assert stretch.after(quiet=True) == 10.0

    def test_a_tiny_interval_stretches_six_times_a_long_one_not_at_all(self) -> None:
        tiny = QuietStretch(0.2)
        assert [round(tiny.after(quiet=True), 3) for _ in range(4)] == [0.4, 0.8, 1.2, 1.2]
        long = QuietStretch(60.0)
        assert [long.after(quiet=True) for _ in range(3)] == [60.0, 60.0, 60.0]


class TestNextDueStretch:
    NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)

    def test_the_cap_stretches_while_quiet_and_a_store_brings_it_back(self) -> None:
        clock = FrozenClock(self.NOW)
        due = NextDue(Periodic("t", _never, interval=5.0), clock, cap=5.0)
        assert [due.pause(None, quiet=True) for _ in range(3)] == [10.0, 20.0, 30.0]
        # A sooner instant still wins over the stretched cap.
        assert due.pause(self.NOW + timedelta(seconds=3), quiet=True) == 3.0
        due.stored(self.NOW + timedelta(hours=1))  # announced work, even a late one
        assert due.cap == 5.0
        assert due.pause(None) == 5.0

    def test_a_pass_that_acted_is_not_quiet(self) -> None:
        due = NextDue(Periodic("t", _never, interval=5.0), FrozenClock(self.NOW), cap=5.0)
        due.pause(None, quiet=True)
        assert due.pause(None, quiet=False) == 5.0


async def _never() -> float | None:
    raise AssertionError("not run")
