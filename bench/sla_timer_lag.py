"""Benchmark the durable SLA scheduler: firing lag over 100,000 stored timers.

Run with ``python bench/sla_timer_lag.py [timers] [due] [--smoke]`` from the repository
root (``--smoke``: 2,000 timers, 50 due over 2 s). It creates a throwaway database on the
server at ``DATABASE_URL`` (or postgresql://postgres@127.0.0.1:5432/postgres), migrates
the sla_clock schema, bulk-loads 100,000 active timers with one pending alarm each (about
1,500 of them falling due over a 20 s window that starts a few seconds after the load, the
rest days away), starts a Tansu broker on a free port, and runs the real scheduler (poll
0.2 s) with the real outbox relay. For each alarm that falls due it measures the lag from
its ``fire_at`` to (a) the commit of its event to the outbox and (b) the moment the event
was read from ``support.sla.v1``, and prints p50/p99/max, the share marked late, and
whether all fired.

Then, in the same run, two rates that cancel the machine out (issue 27, goal 4):

- **the herd**: as many alarms as were due (100,000), all due at once, fired by the
  scheduler alone (no relay): alarms per second of wall time, and the CPU per alarm of
  this process and its PostgreSQL backends;
- **the yardstick**: the bare FastAPI + asyncpg endpoint of ``stack_cost.py``
  (``stackcost/bare.py``) under a closed loop of 16 connections from this process for
  10 s (1 s at smoke size): the CPU per request of its process and its backends.

"alarms fired per bare request time" is the yardstick's CPU per request divided by the
herd's CPU per alarm: how many alarms fire for the work of one bare request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import smoke
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from stackcost.closed import bare_endpoint
from stackcost.cpu import CpuMeter

from shared.clock import SystemClock
from shared.db import run_migrations, sessionmaker
from shared.events.topics import ALL_TOPICS, SLA
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.messaging.relay import OutboxRelay
from shared.runtime import migrations_dir
from shared.settings import KafkaSettings, libpq_url
from shared.testing.infra import create_database, drop_database, maintenance_url
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.config import SCHEMA
from sla_clock.scheduler import AlarmScheduler, Fired

TIMERS = 100_000
DUE = 1_500
WINDOW = 20.0  # seconds over which the due alarms fall due
SMOKE = (2_000, 50, 2.0)  # timers, due, window
BARE_SECONDS, BARE_CONNECTIONS = 10.0, 16
SMOKE_BARE_SECONDS = 1.0
LEAD = 3.0  # seconds between the end of loading and the first due alarm
SEED = 2026


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def describe(name: str, lags: list[float]) -> str:
    if not lags:
        return f"{name}: no samples"
    ms = [1000 * v for v in lags]
    return (
        f"{name}: n={len(ms)} p50={pct(ms, 50):.0f} ms p99={pct(ms, 99):.0f} ms "
        f"max={max(ms):.0f} ms mean={statistics.fmean(ms):.0f} ms"
    )


TIMER_COLUMNS = [
    "id",
    "ticket_id",
    "kind",
    "state",
    "customer_id",
    "tier",
    "severity",
    "target",
    "policy_version",
    "started_at",
    "due_at",
    "ended_at",
    "reason",
    "worked_seconds",
]
ALARM_COLUMNS = [
    "timer_id",
    "ticket_id",
    "timer",
    "kind",
    "percent",
    "fire_at",
    "due_at",
    "customer_id",
    "tier",
    "severity",
    "target",
    "policy_version",
]
Rows = list[tuple[object, ...]]


def rows(
    count: int, *, rng: random.Random, now: datetime, fire_at: Callable[[], datetime]
) -> tuple[Rows, Rows]:
    """``count`` running timers and one pending alarm each, firing at ``fire_at()``."""
    timer_rows: Rows = []
    alarm_rows: Rows = []
    for n in range(count):
        timer_id, ticket_id = uuid.uuid4(), uuid.uuid4()
        kind = "response" if n % 2 else "resolution"
        fires = fire_at()
        alarm, percent = rng.choice(
            [("warning", 50), ("warning", 75), ("warning", 90), ("breach", 100)]
        )
        due_at = fires + timedelta(minutes=30) if alarm == "warning" else fires
        policy = ("premium", "critical", "3h", "default-2026.1")
        timer_rows.append(
            (timer_id, ticket_id, kind, "running", None, *policy, now, due_at, None, None, None)
        )
        alarm_rows.append((timer_id, ticket_id, kind, alarm, percent, fires, due_at, None, *policy))
    return timer_rows, alarm_rows


async def copy(conn: asyncpg.Connection, timer_rows: Rows, alarm_rows: Rows) -> None:
    await conn.copy_records_to_table(
        "timer", schema_name=SCHEMA, records=timer_rows, columns=TIMER_COLUMNS
    )
    await conn.copy_records_to_table(
        "timer_alarm", schema_name=SCHEMA, records=alarm_rows, columns=ALARM_COLUMNS
    )


async def load(url: str, *, timers: int, due: int, window: float) -> datetime:
    """Bulk-insert timers and their alarms with COPY; return when the first alarm falls due.

    A million rows take longer to build and copy than any fixed lead one could guess
    (a minute to three on a shared machine), so the timers far in the future go in
    first, and the due ones last, timed from the rate the first part took (twice it,
    plus ``LEAD``), so that none is overdue before the scheduler starts.
    """
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        began = time.monotonic()
        later = lambda: now + timedelta(days=rng.uniform(1, 30))  # noqa: E731
        await copy(conn, *rows(timers - due, rng=rng, now=now, fire_at=later))
        per_row = (time.monotonic() - began) / max(1, timers - due)
        await conn.execute(f'ANALYZE "{SCHEMA}".timer_alarm')
        first_due = datetime.now(UTC) + timedelta(seconds=LEAD + 2 * due * per_row)
        soon = lambda: first_due + timedelta(seconds=rng.uniform(0, window))  # noqa: E731
        await copy(conn, *rows(due, rng=rng, now=now, fire_at=soon))
    finally:
        await conn.close()
    return first_due


async def observe(bootstrap: str, arrivals: dict[str, float], stop: asyncio.Event) -> None:
    """Record when each alarm event is readable on the SLA topic (wall clock)."""
    # Short fetch waits, as the services use: Tansu holds a fetch for its whole wait.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(SLA, p) for p in sorted(consumer.partitions_for_topic(SLA) or [])
        ]
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = [
                TopicPartition(SLA, p) for p in sorted(consumer.partitions_for_topic(SLA) or [])
            ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=50)
            seen = time.time()
            for records in batches.values():
                for record in records:
                    value = json.loads(record.value or b"{}")
                    data = value.get("data", {})
                    instant = (
                        data.get("fire_at")
                        if value.get("type") == "sla.timer.warning"
                        else data.get("due_at")
                    )
                    if instant:
                        arrivals[value["id"]] = seen - datetime.fromisoformat(instant).timestamp()
    finally:
        await consumer.stop()


async def fire(
    engine: AsyncEngine, bootstrap: str, *, due: int, first_due: datetime, window: float
) -> tuple[list[Fired], dict[str, float]]:
    """Run the real scheduler and relay over the window; what fired, and when it was read."""
    relay = OutboxRelay(
        engine=engine,
        schema=SCHEMA,
        kafka=KafkaSettings(bootstrap_servers=bootstrap),
        client_id="sla-bench",
        poll_seconds=0.2,
    )
    sessions = sessionmaker(engine)
    fired: list[Fired] = []
    scheduler = AlarmScheduler(
        uow_factory=lambda: SlaUnitOfWork(
            sessions, schema=SCHEMA, source="sla-clock", on_commit=relay.wake
        ),
        clock=SystemClock(),
        poll_seconds=0.2,
        on_fired=fired.extend,
    )
    stop, stop_observer = asyncio.Event(), asyncio.Event()
    arrivals: dict[str, float] = {}
    tasks = [
        asyncio.create_task(observe(bootstrap, arrivals, stop_observer)),
        asyncio.create_task(relay.run(stop)),
        asyncio.create_task(scheduler.run(stop)),
    ]
    end = first_due + timedelta(seconds=window)
    while datetime.now(UTC) < end + timedelta(seconds=1) or len(arrivals) < due:
        await asyncio.sleep(0.2)
        if datetime.now(UTC) > end + timedelta(seconds=15):
            break
    stop.set()
    await asyncio.gather(tasks[1], tasks[2])
    stop_observer.set()
    await tasks[0]
    return fired, arrivals


def print_results(fired: list[Fired], arrivals: dict[str, float], due: int) -> None:
    commit_lags = [(f.committed_at - f.fire_at).total_seconds() for f in fired]
    late = sum(f.late for f in fired)
    print(f"scheduler fired {len(fired)} alarms ({late} marked late)")
    print(describe("lag fire_at -> committed to outbox", commit_lags))
    print(describe("lag fire_at -> read from support.sla.v1", list(arrivals.values())))
    print(f"late: {100 * late / max(1, len(fired)):.1f} % of the fired alarms marked late")
    fired_ids = {f.alarm_id for f in fired}
    all_fired = len(fired_ids) == len(fired) == due and len(arrivals) == due
    print(f"all fired: {'yes' if all_fired else 'no'} ({len(fired_ids)} of {due}, each once)")
    if not all_fired:
        print(f"WARNING: expected {due} events, fired {len(fired)}, on the broker {len(arrivals)}")


@dataclass(frozen=True)
class Rate:
    """Work done in a window: how many, in how long, and the CPU it took."""

    count: int
    seconds: float
    cpu: float  # seconds: the process and its PostgreSQL backends
    backends: float  # seconds: of which the PostgreSQL backends

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else float("nan")

    @property
    def cpu_us(self) -> float:
        return 1e6 * self.cpu / self.count if self.count else float("nan")

    def split(self) -> str:
        """The CPU per item of the process and of its backends."""
        own, backends = self.cpu - self.backends, self.backends
        return (
            f"process {1e6 * own / max(1, self.count):.0f}, "
            f"PostgreSQL {1e6 * backends / max(1, self.count):.0f}"
        )


def database_name(url: str) -> str:
    return urlsplit(libpq_url(url)).path.lstrip("/")


async def herd(engine: AsyncEngine, url: str, server: str, *, count: int) -> Rate:
    """``count`` alarms due at once, fired by the scheduler alone: its rate and CPU."""
    rng = random.Random(SEED + 1)
    now = datetime.now(UTC)
    conn = await asyncpg.connect(libpq_url(url))
    try:
        past = lambda: now - timedelta(seconds=rng.uniform(0, 1))  # noqa: E731
        await copy(conn, *rows(count, rng=rng, now=now, fire_at=past))
        await conn.execute(f'ANALYZE "{SCHEMA}".timer_alarm')
    finally:
        await conn.close()
    sessions = sessionmaker(engine)
    fired: list[Fired] = []
    done = asyncio.Event()

    def on_fired(batch: Sequence[Fired]) -> None:
        fired.extend(batch)
        if len(fired) >= count:
            done.set()

    scheduler = AlarmScheduler(
        uow_factory=lambda: SlaUnitOfWork(sessions, schema=SCHEMA, source="sla-clock"),
        clock=SystemClock(),
        poll_seconds=0.2,
        on_fired=on_fired,
    )
    stop = asyncio.Event()
    # Backends only: this process's own CPU is read directly (Tansu is its child).
    async with CpuMeter({}, database_name(url), server) as meter:
        start, cpu0, began = meter.mark(), time.process_time(), time.monotonic()
        task = asyncio.create_task(scheduler.run(stop))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), max(60.0, count / 500))
        seconds, cpu = time.monotonic() - began, time.process_time() - cpu0
        stop.set()
        await task
        backends = sum((await meter.since(start)).values())
    return Rate(len(fired), seconds, cpu + backends, backends)


async def bare(server: str, *, seconds: float) -> Rate:
    """The yardstick: closed-loop POSTs to the bare endpoint; its rate and CPU per request."""
    bare_db = await create_database(server, prefix="bench_bare")
    body = {"contact_email": "ivan@acme.example", "subject": "Posting fails", "severity": "high"}
    ok = 0
    try:
        with bare_endpoint(libpq_url(bare_db)) as (url, pid):
            async with (
                httpx.AsyncClient(limits=httpx.Limits(max_connections=BARE_CONNECTIONS)) as client,
                CpuMeter({"bare": pid}, database_name(bare_db), server) as meter,
            ):
                for _ in range(20):  # warm up: the pool's connections, the first statements
                    await client.post(url, json=body)
                start, began = meter.mark(), time.monotonic()
                end = began + seconds

                async def loop() -> None:
                    nonlocal ok
                    while time.monotonic() < end:
                        answer = await client.post(url, json=body)
                        ok += answer.is_success

                await asyncio.gather(*(loop() for _ in range(BARE_CONNECTIONS)))
                elapsed = time.monotonic() - began
                used = await meter.since(start)
    finally:
        await drop_database(server, bare_db)
    return Rate(ok, elapsed, sum(used.values()), used.get("postgres", 0.0))


def print_rates(herd_rate: Rate, bare_rate: Rate, due: int) -> None:
    print(
        f"herd: {herd_rate.count} of {due} alarms due at once fired in {herd_rate.seconds:.1f} s "
        f"= {herd_rate.per_second:.0f} alarms/s, CPU {herd_rate.cpu_us:.0f} us per alarm "
        f"({herd_rate.split()})"
    )
    print(
        f"bare endpoint: {bare_rate.count} requests in {bare_rate.seconds:.1f} s "
        f"= {bare_rate.per_second:.0f} requests/s, CPU {bare_rate.cpu_us:.0f} us per request "
        f"({bare_rate.split()})"
    )
    print(
        f"alarms fired per bare request time: {bare_rate.cpu_us / herd_rate.cpu_us:.1f} "
        "(goal >= 10)"
    )


async def main(timers: int, due: int, window: float, bare_seconds: float) -> None:
    started = time.monotonic()
    server = maintenance_url()
    url = await create_database(server, prefix="sla_bench")
    port = free_port()
    tansu = start_tansu(port, log_path=Path(tempfile.gettempdir()) / f"tansu-bench-{port}.log")
    bootstrap = f"127.0.0.1:{port}"
    engine = create_async_engine(url, pool_size=5)
    try:
        await asyncio.to_thread(
            run_migrations,
            script_location=migrations_dir("sla_clock"),
            url=url,
            schema=SCHEMA,
        )
        await ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), ALL_TOPICS)
        t_load = time.monotonic()
        first_due = await load(url, timers=timers, due=due, window=window)
        print(
            f"loaded {timers} timers ({due} due over {window:.0f} s) in {time.monotonic() - t_load:.1f} s"
        )
        fired = await fire(engine, bootstrap, due=due, first_due=first_due, window=window)
        print_results(*fired, due)
        herd_rate = await herd(engine, url, server, count=due)
        bare_rate = await bare(server, seconds=bare_seconds)
        print_rates(herd_rate, bare_rate, due)
    finally:
        await engine.dispose()
        await drop_database(server, url)
        tansu.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            tansu.wait(10)
        if tansu.poll() is None:
            tansu.kill()
    print(f"total {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    argv, is_smoke = smoke.positional()
    args = [int(a) for a in argv[:2]]
    timers, due, window = SMOKE if is_smoke else (TIMERS, DUE, WINDOW)
    bare_seconds = SMOKE_BARE_SECONDS if is_smoke else BARE_SECONDS
    asyncio.run(
        main(args[0] if args else timers, args[1] if len(args) > 1 else due, window, bare_seconds)
    )
