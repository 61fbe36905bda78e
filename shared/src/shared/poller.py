"""The durable poller: claim due rows, act on them and stamp them, in one transaction.

Every scheduler of the platform (sla-clock's alarms, escalation's OLA targets,
notification's deliveries, entitlement's contract instants, intake's auto-close) is the
same loop: lock a batch of due rows with ``FOR UPDATE SKIP LOCKED``, act (write their
events to the outbox, change their state) and stamp them so they are not due again,
then commit. That makes it safe in several replicas (each skips the others' locked
rows) and across crashes (a transaction that never commits leaves its rows unstamped
and unlocked for the next claim). State lives in the rows, never in the process.

A service writes the SQL in its adapters and says what one batch is with a
:class:`DueJob`; :class:`DurablePoller` owns the rest: the loop, the batch size (sized
by what is due: it doubles after each full batch up to ``max_batch``, and drops back
after a partial one, so a herd goes in few large transactions and a trickle in small
ones), one
transaction per job per pass, errors and backoff (``Periodic``), going again at once
after a full batch, and sleeping until the earliest pending instant (``NextDue``),
woken early when a commit in this process stores something due sooner; while nothing is
due and nothing happens, its safety poll stretches (``QuietStretch``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

from shared.clock import Clock
from shared.periodic import NextDue, OnError, Periodic


class Transaction(Protocol):
    """What the poller needs of a unit of work: enter, commit, leave (rolling back)."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


# ``shared.db.UnitOfWork`` or a service's unit-of-work protocol (its fakes run the job too).
U = TypeVar("U", bound=Transaction)
U_contra = TypeVar("U_contra", bound=Transaction, contravariant=True)
R = TypeVar("R")


class DueJob(Protocol[U_contra, R]):
    """One kind of due row: how to claim a batch, act on it, and find the next instant.

    ``claim`` and ``act`` run in the same transaction, which the poller commits; ``act``
    stamps the rows (or deletes them) so they are not claimed again. ``next_due`` runs in
    that transaction after ``act`` when the batch was not full, and ``after`` once it has
    committed. A subclass inherits the defaults of the last two.
    """

    async def claim(self, uow: U_contra, *, now: datetime, limit: int) -> Sequence[R]:
        """Lock up to ``limit`` rows due at ``now`` (``FOR UPDATE SKIP LOCKED``)."""
        ...

    async def act(self, uow: U_contra, rows: Sequence[R], *, now: datetime) -> None:
        """Do what the rows are due for and stamp them, in the claim's transaction."""
        ...

    async def next_due(self, uow: U_contra, *, now: datetime) -> datetime | None:
        """The earliest instant still pending (None: none, or unknown: poll at the cap)."""
        return None

    async def after(self, rows: Sequence[R], *, now: datetime) -> None:
        """Once the batch committed: work outside the transaction (send, count, report)."""
        return None


class DurablePoller(Generic[U]):
    """Runs one or more :class:`DueJob` until stopped; each pass is one batch of each job."""

    def __init__(
        self,
        name: str,
        *,
        uow: Callable[[], U],
        jobs: Sequence[DueJob[U, Any]],
        clock: Clock,
        batch: int,
        poll_seconds: float,
        max_batch: int | None = None,
        backoff: float = 0.5,
        max_backoff: float = 5.0,
        on_error: OnError | None = None,
        hearing: Callable[[], bool] = lambda: True,
    ) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        if max_batch is not None and max_batch < batch:
            raise ValueError("max_batch must be at least batch")
        self.name = name
        self.uow = uow
        self._jobs = list(jobs)
        self._clock = clock
        self.min_batch = batch
        self.max_batch = max_batch or batch
        self.batch = batch  # the next claim's limit, between min_batch and max_batch
        self.done = 0  # rows acted on and committed, over the poller's life
        self.loop = Periodic(
            name,
            self._pass,
            interval=poll_seconds,
            backoff=backoff,
            max_backoff=max_backoff,
            on_error=on_error,
        )
        self._due = NextDue(self.loop, clock, cap=poll_seconds)
        self._hearing = hearing  # whether the wakes its work relies on can arrive

    @property
    def passes(self) -> int:
        """Passes run so far, failed or not (tests wait for "n more passes")."""
        return self.loop.passes

    @property
    def safety_poll_seconds(self) -> float:
        """The longest it sleeps now: the poll interval, stretched while quiet."""
        return self._due.cap

    def wake(self) -> None:
        """Pass now (new work was announced, e.g. by a PostgreSQL NOTIFY)."""
        self._due.woken()
        self.loop.wake()

    def stored(self, due_at: datetime) -> None:
        """A commit stored a row due at ``due_at``: wake if that is before the planned pass."""
        self._due.stored(due_at)

    async def run(self, stop: asyncio.Event) -> None:
        """Pass until ``stop`` is set; return promptly once it is."""
        await self.loop.run(stop)

    async def run_once(self) -> int:
        """One batch of every job; return how many rows were acted on (tests drive this)."""
        total, _, _ = await self._run_jobs()
        return total

    async def _run_jobs(self) -> tuple[int, bool, datetime | None]:
        """Each job's batch in its own transaction: (rows, any batch full, earliest pending)."""
        total, full, upcoming = 0, False, None
        for job in self._jobs:
            count, job_next = await self._one_batch(job)
            total += count
            full = full or count >= self.batch
            if job_next is not None and (upcoming is None or job_next < upcoming):
                upcoming = job_next
        # More due than one batch took: take more next time (fewer commits, fewer round
        # trips per row); a partial batch means the backlog is gone.
        self.batch = min(self.max_batch, 2 * self.batch) if full else self.min_batch
        return total, full, upcoming

    async def _one_batch(self, job: DueJob[U, Any]) -> tuple[int, datetime | None]:
        now = self._clock.now()
        upcoming: datetime | None = None
        async with self.uow() as uow:
            rows = await job.claim(uow, now=now, limit=self.batch)
            if rows:
                await job.act(uow, rows, now=now)
            if len(rows) < self.batch:
                upcoming = await job.next_due(uow, now=now)
            await uow.commit()
        self.done += len(rows)
        if rows:
            await job.after(rows, now=now)
        return len(rows), upcoming

    async def _pass(self) -> float:
        self._due.passing()
        total, full, upcoming = await self._run_jobs()
        if full:
            return 0  # more are due: go again at once
        # Rows stored by other replicas are not announced here: the cap bounds them.
        # While the wakes cannot arrive (a listener down), it polls at the interval.
        return self._due.pause(upcoming, quiet=total == 0 and self._hearing())
