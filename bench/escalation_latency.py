"""Benchmark escalation's decision latency: ``sla.timer.breached`` -> ``escalation.raised``.

Run with ``python bench/escalation_latency.py [tickets] [rate_per_s] [--smoke]`` from the
repository root (defaults: 500 at 50/s; ``--smoke``: 10 at 20/s). It creates a throwaway
database on the server at ``DATABASE_URL`` (or
postgresql://postgres@127.0.0.1:5432/postgres), migrates the escalation schema, starts a
Tansu broker on a free port and the real escalation runtime in process (consumer, outbox
relay). It seeds a line-2 lead and an engineer on duty, publishes ``ticket.created`` and
``sla.timer.scheduled`` for every ticket (premium, critical, 24x7) and waits until they
are consumed; then it publishes one response ``sla.timer.breached`` per ticket at a fixed
rate and measures, per ticket, the time from the breach's publish (acknowledged by the
broker) to the moment its ``escalation.raised`` is read from ``support.escalations.v1``.
Prints p50/p99/max and checks that every breach raised exactly one escalation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import smoke
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import text

from escalation.app import create_app
from escalation.config import SCHEMA, Settings
from shared.db import run_migrations
from shared.events.base import Envelope, EventData
from shared.events.sla import TimerBreached, TimerScheduled
from shared.events.tickets import TicketCreated
from shared.events.topics import ALL_TOPICS, ESCALATIONS, SLA, TICKETS
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.runtime import ServiceRuntime, migrations_dir
from shared.settings import DatabaseSettings, KafkaSettings
from shared.testing.builders import policy_document
from shared.testing.infra import create_database, drop_database, maintenance_url

TICKETS_N = 500
RATE = 50.0  # breaches per second


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


def envelope(data: EventData, ticket_id: uuid.UUID) -> bytes:
    return Envelope.wrap(data, source="bench", subject=str(ticket_id)).model_dump_json().encode()


async def seed_people(runtime: ServiceRuntime[object]) -> None:
    """A lead and an engineer on duty for line 2, so every escalation names two people."""
    now = datetime.now(UTC)
    async with runtime.uow() as uow:  # type: ignore[attr-defined]
        for role, email in (("lead", "lead@bench.example"), ("engineer", "duty@bench.example")):
            await uow.session.execute(
                text(
                    f'INSERT INTO "{SCHEMA}".staff (id, name, email, line, role) '
                    "VALUES (:id, :name, :email, 2, :role)"
                ),
                {"id": uuid.uuid4(), "name": role, "email": email, "role": role},
            )
        await uow.session.execute(
            text(
                f'INSERT INTO "{SCHEMA}".duty (id, staff_id, line, starts_at, ends_at) '
                f"SELECT :id, id, 2, :s, :e FROM \"{SCHEMA}\".staff WHERE role = 'engineer'"
            ),
            {"id": uuid.uuid4(), "s": now - timedelta(hours=1), "e": now + timedelta(hours=2)},
        )
        await uow.commit()


async def count(runtime: ServiceRuntime[object], table: str) -> int:
    async with runtime.uow() as uow:  # type: ignore[attr-defined]
        value = await uow.session.scalar(text(f'SELECT count(*) FROM "{SCHEMA}".{table}'))
        return int(value or 0)


async def observe(bootstrap: str, arrivals: dict[str, list[float]], stop: asyncio.Event) -> None:
    """Record when each ticket's escalation.raised is readable (wall clock)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = [
            TopicPartition(ESCALATIONS, p)
            for p in sorted(consumer.partitions_for_topic(ESCALATIONS) or [])
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=50)
            seen = time.time()
            for records in batches.values():
                for record in records:
                    value = json.loads(record.value or b"{}")
                    if value.get("type") == "escalation.raised":
                        arrivals.setdefault(value["subject"], []).append(seen)
    finally:
        await consumer.stop()


# The ticket's policy as intake sends it (escalation reads its schedule and targets).
POLICY = policy_document(
    version="bench", schedules={"premium": "24x7"}, targets={"premium": {"critical": ("30m", "4h")}}
)


async def seed_tickets(producer: AIOKafkaProducer, tickets: list[uuid.UUID]) -> datetime:
    """Publish every ticket and its running response timer; return their common due instant."""
    now = datetime.now(UTC)
    due = now + timedelta(minutes=20)
    for ticket_id in tickets:
        created = TicketCreated(
            ticket_id=ticket_id,
            customer_id=uuid.uuid4(),
            status="new",
            registration_number=f"TP-{ticket_id.hex[:6]}",
            severity="critical",
            tier="premium",
            channel="api",
            subject="bench",
            received_at=now,
            policy=POLICY,
        )
        scheduled = TimerScheduled(
            ticket_id=ticket_id, timer="response", due_at=due, started_at=now, state="running"
        )
        key = str(ticket_id).encode()
        await producer.send(TICKETS, envelope(created, ticket_id), key=key)
        await producer.send(SLA, envelope(scheduled, ticket_id), key=key)
    await producer.flush()
    return due


async def breach_all(
    producer: AIOKafkaProducer, tickets: list[uuid.UUID], due: datetime, rate: float
) -> dict[str, float]:
    """Publish one breach per ticket at ``rate`` per second; return each one's send time."""
    sent: dict[str, float] = {}
    began = time.monotonic()
    for n, ticket_id in enumerate(tickets):
        await asyncio.sleep(max(0.0, began + n / rate - time.monotonic()))
        breach = TimerBreached(ticket_id=ticket_id, timer="response", due_at=due, state="running")
        await producer.send_and_wait(SLA, envelope(breach, ticket_id), key=str(ticket_id).encode())
        sent[str(ticket_id)] = time.time()
    return sent


async def measure(
    runtime: ServiceRuntime[object], bootstrap: str, *, n: int, rate: float, started: float
) -> None:
    """Seed ``n`` tickets, breach them at ``rate``/s and print the lag to ``escalation.raised``."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    stop = asyncio.Event()
    arrivals: dict[str, list[float]] = {}
    watcher = asyncio.create_task(observe(bootstrap, arrivals, stop))
    try:
        await seed_people(runtime)
        tickets = [uuid.uuid4() for _ in range(n)]
        due = await seed_tickets(producer, tickets)
        for _ in range(600):  # up to 2 minutes for the seed to be consumed
            if await count(runtime, "timer") >= n:
                break
            await asyncio.sleep(0.2)
        print(f"seeded {n} tickets and timers in {time.monotonic() - started:.1f} s")
        sent = await breach_all(producer, tickets, due, rate)
        for _ in range(150):  # up to 30 s for the last escalations
            if len(arrivals) >= n:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # a duplicate would show now
    finally:
        stop.set()
        await watcher
        await producer.stop()
    lags = [arrivals[t][0] - at for t, at in sent.items() if t in arrivals]
    print(f"{n} breaches at {rate:.0f}/s; escalation.raised for {len(arrivals)} tickets")
    print(describe("latency sla.timer.breached published -> escalation.raised read", lags))
    duplicates = sum(len(v) - 1 for v in arrivals.values())
    print(f"duplicates: {duplicates}; missing: {n - len(arrivals)}")


async def main(n: int, rate: float) -> None:
    started = time.monotonic()
    server = maintenance_url()
    url = await create_database(server, prefix="escalation_bench")
    port = free_port()
    tansu = start_tansu(port, log_path=Path(tempfile.gettempdir()) / f"tansu-bench-{port}.log")
    bootstrap = f"127.0.0.1:{port}"
    kafka = KafkaSettings(bootstrap_servers=bootstrap)
    try:
        await asyncio.to_thread(
            run_migrations,
            script_location=migrations_dir("escalation"),
            url=url,
            schema=SCHEMA,
        )
        await ensure_topics(kafka, ALL_TOPICS)
        settings = Settings(
            database=DatabaseSettings(url=url, pool_size=5),
            kafka=kafka,
            log_json=False,
            log_level="WARNING",
            run_scheduler=False,
        )
        runtime: ServiceRuntime[object] = create_app(settings).state.runtime
        await runtime.start()
        try:
            await measure(runtime, bootstrap, n=n, rate=rate, started=started)
        finally:
            await runtime.stop()
    finally:
        await drop_database(server, url)
        tansu.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            tansu.wait(10)
        if tansu.poll() is None:
            tansu.kill()
    print(f"total {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    argv, is_smoke = smoke.positional()
    tickets, rate = (10, 20.0) if is_smoke else (TICKETS_N, RATE)
    asyncio.run(main(int(argv[0]) if argv else tickets, float(argv[1]) if len(argv) > 1 else rate))
