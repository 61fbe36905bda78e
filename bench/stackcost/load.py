"""The open-loop load: tickets posted on a fixed schedule, and when each timer showed up.

Open loop means each request leaves at its scheduled instant whether or not the
previous ones have been answered, and its latency is measured from that instant:
a stalled server therefore shows up as latency instead of silently lowering the
rate (the coordinated-omission trap of closed-loop clients).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.events.topics import SLA
from shared.testing.observer import Seen, TopicObserver

SCHEDULED = "sla.timer.scheduled"


@dataclass
class OpenLoop:
    """What one open-loop run sent, got back and saw on the SLA topic."""

    sent: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    post_latencies: list[float] = field(default_factory=list)
    scheduled_at: dict[str, float] = field(default_factory=dict)  # ticket id -> send instant
    # POST -> the timer's publication (the record's timestamp): the platform's latency.
    timer_lags: list[float] = field(default_factory=list)
    # The same, beside the instant each ticket was sent: where in the run the tail fell.
    timer_lags_at: list[tuple[float, float]] = field(default_factory=list)
    # POST -> the timer in this bench's hands: plus the observer's own fetch wait.
    timer_seen_lags: list[float] = field(default_factory=list)
    missing_timers: int = 0
    seconds: float = 0.0  # from the first send to the last timer seen (or the give-up)


async def _post(api: httpx.AsyncClient, body: dict[str, Any], at: float, run: OpenLoop) -> None:
    try:
        r = await api.post("/api/v1/tickets", json=body)
    except httpx.HTTPError as exc:
        # A request that never got an answer still waited: its time so far is a lower bound.
        run.post_latencies.append(time.monotonic() - at)
        run.errors[type(exc).__name__] = run.errors.get(type(exc).__name__, 0) + 1
        return
    run.post_latencies.append(time.monotonic() - at)
    if r.status_code != 201:
        run.errors[str(r.status_code)] = run.errors.get(str(r.status_code), 0) + 1
        return
    run.scheduled_at[r.json()["id"]] = at


def _first_timers(observer: TopicObserver, wanted: dict[str, float]) -> dict[str, Seen]:
    first: dict[str, Seen] = {}
    for seen in observer.seen:
        if seen.type == SCHEDULED and seen.subject in wanted:
            first.setdefault(seen.subject, seen)
    return first


async def open_loop(
    api: httpx.AsyncClient,
    *,
    bootstrap: str,
    body: dict[str, Any],
    rate: float,
    seconds: float,
    timer_timeout: float = 60.0,
    observer: TopicObserver | None = None,
    phase: float = 0.0,
) -> OpenLoop:
    """Post ``rate`` tickets a second for ``seconds``; match each to its first scheduled timer.

    ``observer`` (reading ``support.sla.v1``): one shared by concurrent loops, so the
    bench does not poll the broker once per loop; without it the loop opens its own.
    ``phase``: the share of a period by which each send is late, so that concurrent
    loops at one rate take turns instead of sending together.
    """
    async with contextlib.AsyncExitStack() as stack:
        if observer is None:
            observer = await stack.enter_async_context(TopicObserver(bootstrap, [SLA]))
        run = OpenLoop()
        began = time.monotonic()
        tasks = []
        for i in range(round(rate * seconds)):
            at = began + (i + phase) / rate
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            tasks.append(asyncio.create_task(_post(api, body, at, run)))
        await asyncio.gather(*tasks)
        run.sent = len(tasks)
        deadline = time.monotonic() + timer_timeout
        first = _first_timers(observer, run.scheduled_at)
        while len(first) < len(run.scheduled_at) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            first = _first_timers(observer, run.scheduled_at)
        run.seconds = time.monotonic() - began
    sent = run.scheduled_at
    run.timer_lags_at = [(sent[t], max(0.0, s.published_at - sent[t])) for t, s in first.items()]
    run.timer_lags = [lag for _, lag in run.timer_lags_at]
    run.timer_seen_lags = [s.seen_at - sent[t] for t, s in first.items()]
    run.missing_timers = len(sent) - len(first)
    return run


def tail_window(lags_at: list[tuple[float, float]], *, share: float = 0.01) -> str:
    """When the slowest ``share`` of the samples were sent: in one spell, or all along.

    A p99 over a few hundred samples is its few slowest. Sent within a second of each
    other, they are one stall (of the machine, or of one process); spread over the run,
    they are the steady state's own tail.
    """
    if not lags_at:
        return "no samples"
    began = min(at for at, _ in lags_at)
    count = max(3, round(len(lags_at) * share))
    slowest = sorted(lags_at, key=lambda sample: sample[1])[-count:]
    instants = sorted(at - began for at, _ in slowest)
    return (
        f"the slowest {len(slowest)} of {len(lags_at)} ({min(lag for _, lag in slowest) * 1000:.0f}"
        f"-{max(lag for _, lag in slowest) * 1000:.0f} ms) were sent within "
        f"{instants[-1] - instants[0]:.1f} s of each other, {instants[0]:.1f}-{instants[-1]:.1f} s "
        "into the phase"
    )
