"""The one polling loop of the platform: run an async step every few seconds until told to stop.

Relays, schedulers and jobs all poll the database for work that fell due. They share
the same needs, so they share this loop: a failing pass is logged and retried after
a growing pause (a database restart must not turn into a busy loop of errors), a
stop request ends the wait at once (shutdown should not wait for a poll interval),
and a producer of new work can wake the loop early instead of waiting for its poll.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from shared.clock import Clock
from shared.logging import get_logger

log = get_logger(__name__)

# A pass returns how long to wait before the next one: None means the loop's interval,
# 0 means "more is due, go again at once" (a full batch), anything else a shorter or
# longer wait it knows better (the next alarm's instant).
Step = Callable[[], Awaitable[float | None]]
OnError = Callable[[Exception], Awaitable[None]]


class Periodic:
    """Run ``step`` until a stop event is set, waiting ``interval`` seconds between passes."""

    def __init__(
        self,
        name: str,
        step: Step,
        *,
        interval: float,
        backoff: float = 0.5,
        max_backoff: float = 5.0,
        on_error: OnError | None = None,
    ) -> None:
        self.name = name
        self._step = step
        self._interval = interval
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._on_error = on_error
        self._woken = asyncio.Event()
        self.passes = 0  # every pass, failed or not: tests wait for "n more passes"
        self.failures = 0  # consecutive failed passes; 0 after a good one

    def wake(self) -> None:
        """Start the next pass now rather than at the end of the current wait."""
        self._woken.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Pass, wait, pass again, until ``stop`` is set; return promptly once it is."""
        while not stop.is_set():
            # Cleared before the pass: a wake during the pass means new work it may have missed.
            self._woken.clear()
            pause = await self._pass()
            if pause > 0:
                await self._wait(stop, pause)
            else:
                await asyncio.sleep(0)  # let the rest of the process run between full batches

    async def _pass(self) -> float:
        try:
            asked = await self._step()
        except Exception as exc:
            self.failures += 1
            log.warning(
                "periodic pass failed; will retry",
                loop=self.name,
                error=repr(exc),
                failures=self.failures,
            )
            if self._on_error is not None:
                with contextlib.suppress(Exception):  # the cleanup must not end the loop
                    await self._on_error(exc)
            return min(self._backoff * self.failures, self._max_backoff)
        finally:
            self.passes += 1
        self.failures = 0
        return self._interval if asked is None else asked

    async def _wait(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._woken.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


# While nothing happens, a safety poll waits longer: twice as long after each quiet
# pass, up to this many times its interval and at most QUIET_MAX_SECONDS (an interval
# already longer than that stays as it is).
QUIET_STRETCH = 6
QUIET_MAX_SECONDS = 30.0


class QuietStretch:
    """How long a safety poll waits, stretched while it finds nothing.

    Relays and schedulers are woken when work arrives (a commit in their process, a
    NOTIFY from another); their poll only bounds how late they see what nothing
    announced: a row a crashed replica left behind, one stored by hand. At idle those
    polls were a third of the stack's CPU (a transaction every 5 s in every loop of every
    service), so a loop that found nothing and heard nothing waits 2, 4, then 6 times its
    interval (5 s -> 30 s); any wake or any work brings it back to the interval at once.
    """

    def __init__(self, interval: float, *, longest: float | None = None) -> None:
        self.interval = interval
        cap = min(interval * QUIET_STRETCH, QUIET_MAX_SECONDS) if longest is None else longest
        self.longest = max(interval, cap)
        self.quiet = 0  # passes in a row that found nothing and were not woken
        self._woken = False

    def heard(self) -> None:
        """Work was announced (a wake): back to the interval, and the pass it starts is not
        quiet even if another replica took the work (it may crash before it commits)."""
        self.quiet = 0
        self._woken = True

    def after(self, *, quiet: bool) -> float:
        """The wait after a pass: the interval after work, longer after each quiet pass."""
        self.quiet = self.quiet + 1 if quiet and not self._woken else 0
        self._woken = False
        return self.current()

    def current(self) -> float:
        """The wait now: doubled for each quiet pass in a row, up to ``longest``."""
        return min(self.interval * float(2 ** min(self.quiet, 16)), self.longest)


class NextDue:
    """When a loop that sleeps until its next due row plans to pass again.

    Schedulers (sla-clock's alarms, escalation's OLA targets, notification's
    deliveries) used to pass every fraction of a second to find rows that fell due: at
    idle that was most of what a service did. Instead a pass reports the earliest
    instant still pending and the loop sleeps until then, at most ``cap`` seconds (the
    bound on how late it sees a row that nothing announced: one stored by another
    replica, or by hand). A commit in this process that stores something due sooner
    than the planned pass (``UnitOfWork.stored_due``, announced after the commit) calls
    :meth:`stored`, which wakes the loop. While passes find nothing and nothing is
    stored, the cap stretches (:class:`QuietStretch`).
    """

    def __init__(self, loop: Periodic, clock: Clock, *, cap: float) -> None:
        self._loop = loop
        self._clock = clock
        self.stretch = QuietStretch(cap)
        self._planned: datetime | None = None  # None: a pass is running or due now

    @property
    def cap(self) -> float:
        """The longest sleep now (the poll interval, stretched while quiet)."""
        return self.stretch.current()

    def woken(self) -> None:
        """Work was announced: the cap is the interval again."""
        self.stretch.heard()

    def passing(self) -> None:
        """A pass starts: until it plans the next, every store wakes the loop again.

        The pass may have read the pending rows before that store's commit; a wake
        during a pass runs another pass.
        """
        self._planned = None

    def pause(self, upcoming: datetime | None, *, quiet: bool = False) -> float:
        """Seconds to sleep before the pass for ``upcoming`` (None: nothing pending);
        ``quiet``: the pass acted on nothing (the cap stretches)."""
        now = self._clock.now()
        seconds = self.stretch.after(quiet=quiet)
        if upcoming is not None:
            seconds = min(seconds, max((upcoming - now).total_seconds(), 0.01))
        self._planned = now + timedelta(seconds=seconds)
        return seconds

    def stored(self, due_at: datetime) -> None:
        """Wake the loop if ``due_at`` comes before its planned pass."""
        self.stretch.heard()
        if self._planned is None or due_at < self._planned:
            self._loop.wake()
