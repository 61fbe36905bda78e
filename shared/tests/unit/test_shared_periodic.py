"""The polling loop every relay, scheduler and job runs on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from shared.periodic import Periodic

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"not reached within {timeout} s")


class Recorder:
    """A step that records when it ran and fails while ``failing`` is set."""

    def __init__(self, *, pause: float | None = None, failing: bool = False) -> None:
        self.times: list[float] = []
        self.pause = pause
        self.failing = failing
        self.errors: list[Exception] = []

    async def step(self) -> float | None:
        self.times.append(asyncio.get_running_loop().time())
        if self.failing:
            raise RuntimeError("database away")
        return self.pause

    async def on_error(self, exc: Exception) -> None:
        self.errors.append(exc)


def _start(loop: Periodic) -> tuple[asyncio.Event, asyncio.Task[None]]:
    stop = asyncio.Event()
    return stop, asyncio.create_task(loop.run(stop))


async def _stop(stop: asyncio.Event, task: Awaitable[None]) -> None:
    stop.set()
    await asyncio.wait_for(task, 1)


class TestRunning:
    async def test_runs_the_step_every_interval(self) -> None:
        rec = Recorder()
        loop = Periodic("test", rec.step, interval=0.05)
        stop, task = _start(loop)

        await _until(lambda: len(rec.times) >= 4)
        await _stop(stop, task)

        gaps = [b - a for a, b in zip(rec.times, rec.times[1:], strict=False)]
        assert all(gap >= 0.04 for gap in gaps), gaps
        assert loop.passes == len(rec.times)

    async def test_a_pause_of_zero_goes_again_at_once(self) -> None:
        rec = Recorder(pause=0)
        stop, task = _start(Periodic("test", rec.step, interval=60))

        await _until(lambda: len(rec.times) >= 20, timeout=1)
        await _stop(stop, task)

        assert rec.times[-1] - rec.times[0] < 1

    async def test_the_step_can_ask_for_a_shorter_wait_than_the_interval(self) -> None:
        rec = Recorder(pause=0.02)
        stop, task = _start(Periodic("test", rec.step, interval=60))

        await _until(lambda: len(rec.times) >= 3, timeout=1)
        await _stop(stop, task)

        assert len(rec.times) >= 3


class TestFailures:
    async def test_backs_off_longer_after_each_failure_up_to_the_cap(self) -> None:
        rec = Recorder(failing=True)
        loop = Periodic(
            "test", rec.step, interval=0.01, backoff=0.05, max_backoff=0.1, on_error=rec.on_error
        )
        stop, task = _start(loop)

        await _until(lambda: len(rec.times) >= 4)
        await _stop(stop, task)

        gaps = [b - a for a, b in zip(rec.times, rec.times[1:], strict=False)]
        assert gaps[0] >= 0.04  # 1 x backoff, not the 0.01 interval
        assert gaps[1] >= 0.09  # 2 x backoff
        assert all(gap < 0.5 for gap in gaps[2:])  # capped at 0.1
        assert loop.failures == len(rec.times)
        assert [str(e) for e in rec.errors] == ["database away"] * len(rec.times)

    async def test_a_good_pass_resets_the_failure_count(self) -> None:
        rec = Recorder(failing=True)
        loop = Periodic("test", rec.step, interval=0.01, backoff=0.01)
        stop, task = _start(loop)

        await _until(lambda: loop.failures >= 2)
        rec.failing = False
        await _until(lambda: loop.failures == 0)
        await _stop(stop, task)

        assert loop.passes == len(rec.times)

    async def test_a_failing_cleanup_does_not_end_the_loop(self) -> None:
        rec = Recorder(failing=True)

        async def broken_cleanup(exc: Exception) -> None:
            raise OSError("cannot close")

        stop, task = _start(
            Periodic("test", rec.step, interval=0.01, backoff=0.01, on_error=broken_cleanup)
        )

        await _until(lambda: len(rec.times) >= 3)
        assert not task.done()
        await _stop(stop, task)


class TestStoppingAndWaking:
    async def test_stops_promptly_in_the_middle_of_a_long_wait(self) -> None:
        rec = Recorder()
        stop, task = _start(Periodic("test", rec.step, interval=60))
        await _until(lambda: len(rec.times) == 1)

        started = asyncio.get_running_loop().time()
        await _stop(stop, task)

        assert asyncio.get_running_loop().time() - started < 0.5
        assert len(rec.times) == 1

    async def test_does_not_run_once_stop_is_already_set(self) -> None:
        rec = Recorder()
        stop = asyncio.Event()
        stop.set()

        await asyncio.wait_for(Periodic("test", rec.step, interval=60).run(stop), 1)

        assert rec.times == []

    async def test_wake_starts_the_next_pass_before_the_interval_ends(self) -> None:
        rec = Recorder()
        loop = Periodic("test", rec.step, interval=60)
        stop, task = _start(loop)
        await _until(lambda: len(rec.times) == 1)

        loop.wake()
        await _until(lambda: len(rec.times) == 2, timeout=1)
        await _stop(stop, task)

        assert rec.times[1] - rec.times[0] < 1

    async def test_a_wake_during_a_pass_is_not_lost(self) -> None:
        loop: Periodic
        times: list[float] = []

        async def step() -> None:
            times.append(asyncio.get_running_loop().time())
            if len(times) == 1:
                loop.wake()  # new work committed while this pass was running

        loop = Periodic("test", step, interval=60)
        stop, task = _start(loop)

        await _until(lambda: len(times) == 2, timeout=1)
        await _stop(stop, task)

        assert times[1] - times[0] < 1
