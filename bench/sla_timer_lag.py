"""Benchmark the durable SLA scheduler: firing lag over 100,000 stored timers.

Run with ``python bench/sla_timer_lag.py [timers] [due] [--smoke]`` from the repository
root (``--smoke``: 2,000 timers, 50 due over 2 s). It creates a throwaway database on the
server at ``DATABASE_URL`` (or postgresql://postgres@127.0.0.1:5432/postgres), migrates
the sla_clock schema, bulk-loads 100,000 active timers with one pending alarm each (about
1,500 of them falling due over a 20 s window that starts a few seconds after the load, the
rest days away), starts a Tansu broker on a free port, and runs the real scheduler (poll
0.2 s) with the real outbox relay. For each alarm that falls due it measures the lag from
its ``fire_at`` to (a) the commit of its event to the outbox and (b) the moment the event
was read from ``support.sla.v1``, and prints p50/p99/max.
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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import smoke
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.clock import SystemClock
from shared.db import run_migrations, sessionmaker
from shared.events.topics import ALL_TOPICS, SLA
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.messaging.relay import OutboxRelay
from shared.runtime import migrations_dir
from shared.settings import KafkaSettings
from shared.testing.infra import create_database, drop_database, maintenance_url
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.config import SCHEMA
from sla_clock.scheduler import AlarmScheduler, Fired

TIMERS = 100_000
DUE = 1_500
WINDOW = 20.0  # seconds over which the due alarms fall due
SMOKE = (2_000, 50, 2.0)  # timers, due, window
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
    print(f"scheduler fired {len(fired)} alarms ({sum(f.late for f in fired)} marked late)")
    print(describe("lag fire_at -> committed to outbox", commit_lags))
    print(describe("lag fire_at -> read from support.sla.v1", list(arrivals.values())))
    if len(fired) != due or len(arrivals) != due:
        print(f"WARNING: expected {due} events, fired {len(fired)}, on the broker {len(arrivals)}")


async def main(timers: int, due: int, window: float) -> None:
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
    asyncio.run(main(args[0] if args else timers, args[1] if len(args) > 1 else due, window))
