"""CPU seconds spent by a stack's processes over a window, PostgreSQL backends included.

Why sampling: a PostgreSQL backend is a child of the postmaster, not of the stack,
and it can exit in the middle of a window (a pool recycles a connection); once it
has exited its CPU only shows up in the postmaster's ``cutime``, mixed with every
other database's. So a background task reads, every ``interval`` seconds, the
cumulative user+system time (``/proc/PID/stat`` via psutil) of

- the stack's root processes (service processes, the broker) and their descendants;
- each backend whose ``pg_stat_activity.datname`` is the stack's database,

keyed by (pid, start time) so that a reused pid is a new process. A window's CPU is,
per process, its last reading minus its reading at the window's start (zero for a
process born inside the window). What escapes: the CPU of a process between its last
sample and its exit, and processes born and gone between two samples (at most
``interval`` of one backend's time each). Each reading is the scheduler's own count
in nanoseconds (``cpu_seconds``), not the 10 ms ticks of ``/proc/PID/stat``. Shared
PostgreSQL processes (walwriter, checkpointer, autovacuum launcher, the postmaster) are
not attributed to the stack.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import psutil

Key = tuple[int, float]  # (pid, create_time)

BACKENDS_SQL = "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"


@dataclass
class Reading:
    """Cumulative CPU seconds of every process seen so far, and the group of each."""

    cpu: dict[Key, float] = field(default_factory=dict)
    group: dict[Key, str] = field(default_factory=dict)


def cpu_seconds(proc: psutil.Process) -> float:
    """Cumulative CPU seconds: the scheduler's nanoseconds summed over the live threads
    (``/proc/PID/task/*/schedstat``), or ``/proc/PID/stat``'s clock ticks where those are
    more (a thread that exited is only in the ticks).

    The ticks alone are whole hundredths of a second per reading: over a 10 s idle
    window that is up to 1 ms/s per process, about what an idle service spends.
    """
    times = proc.cpu_times()
    ticks = float(times.user + times.system)
    try:
        tasks = Path(f"/proc/{proc.pid}/task")
        ns = sum(int((t / "schedstat").read_text().split()[0]) for t in tasks.iterdir())
    except (OSError, ValueError, IndexError):
        return ticks
    return max(ticks, ns / 1e9)


@dataclass
class CpuMeter:
    """Samples the stack's processes in the background; ``window()`` brackets a measurement.

    ``roots`` maps a group name (``gateway``, ``tansu``, ...) to a process id whose
    descendants belong to the same group; backends are the ``postgres`` group.
    """

    roots: dict[str, int]
    database: str | None = None
    server_url: str | None = None  # a maintenance database, so our query is not counted
    interval: float = 0.2
    latest: Reading = field(default_factory=Reading)
    _task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> CpuMeter:
        conn = await asyncpg.connect(self.server_url) if self.database else None
        await self._sample(conn)
        self._task = asyncio.create_task(self._run(conn))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self, conn: asyncpg.Connection | None) -> None:
        try:
            while True:
                await asyncio.sleep(self.interval)
                await self._sample(conn)
        finally:
            if conn is not None:
                await conn.close()

    async def _sample(self, conn: asyncpg.Connection | None) -> None:
        backends = await conn.fetch(BACKENDS_SQL, self.database) if conn is not None else []
        # psutil walks /proc: off the event loop, so the load's send schedule does not slip.
        await asyncio.to_thread(self._read, [r["pid"] for r in backends])

    def _read(self, backends: list[int]) -> None:
        procs: list[tuple[str, int]] = [("postgres", pid) for pid in backends]
        for group, pid in self.roots.items():
            procs.append((group, pid))
            with contextlib.suppress(psutil.Error):
                procs += [(group, c.pid) for c in psutil.Process(pid).children(recursive=True)]
        for group, pid in procs:
            with contextlib.suppress(psutil.Error):
                proc = psutil.Process(pid)
                key = (pid, proc.create_time())
                self.latest.cpu[key] = cpu_seconds(proc)
                self.latest.group[key] = group

    def mark(self) -> dict[Key, float]:
        """The readings at the start of a window."""
        return dict(self.latest.cpu)

    async def since(self, start: dict[Key, float]) -> dict[str, float]:
        """CPU seconds per group since ``start`` (after one more sample)."""
        await asyncio.sleep(self.interval * 1.5)
        used: dict[str, float] = defaultdict(float)
        for key, seconds in self.latest.cpu.items():
            used[self.latest.group[key]] += seconds - start.get(key, 0.0)
        return dict(used)
