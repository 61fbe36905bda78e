"""Benchmark notification: emails per second through the mail catcher, and event → sent latency.

Run with ``python bench/notification_throughput.py [burst] [paced] [rate] [--smoke]`` from
the repository root (defaults: 500, 300, 20/s; ``--smoke``: 10, 5, 10/s). It creates a
throwaway database on the server at ``DATABASE_URL`` (or
postgresql://postgres@127.0.0.1:5432/postgres), migrates the notification schema, starts a
Tansu broker and an aiosmtpd mail catcher on free ports, and runs the real notification
process components in this process (consumer, delivery worker, outbox relay; default
settings except the SMTP URL). Then:

1. burst: ``burst`` escalation.raised events (one recipient each) are produced at once;
   emails per second = messages the catcher stored / seconds from the first produce to
   the last stored file; CPU per email = the event loop thread's CPU time
   (``time.thread_time``: consumer, worker, relay, and the bench's own producer and
   observer, not the catcher's thread) over the burst, divided by the emails;
2. paced: ``paced`` events at ``rate`` per second; latency = wall time from producing
   the event to reading its ``notification.sent`` on support.notifications.v1 (p50/p99/max).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import time
import uuid
from pathlib import Path

import smoke
from aiokafka import AIOKafkaConsumer, TopicPartition

from notification.app import create_app
from notification.config import SCHEMA, Settings
from shared.db import run_migrations
from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised, Recipient
from shared.events.topics import ALL_TOPICS, NOTIFICATIONS
from shared.infra.mailcatcher import MailCatcher
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics, make_producer
from shared.runtime import migrations_dir
from shared.settings import DatabaseSettings, KafkaSettings
from shared.testing.infra import create_database, drop_database, maintenance_url

BURST, PACED, RATE = 500, 300, 20.0
SMOKE = (10, 5, 10.0)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def event(n: int) -> Envelope:
    ticket = uuid.uuid4()
    data = EscalationRaised(
        ticket_id=ticket,
        level=1,
        trigger="sla.timer.warning",
        registration_number=f"TP-2026-{n:06d}",
        recipients=[Recipient(role="on_duty", email=f"duty{n}@bench.example", language="en")],
    )
    return Envelope.wrap(data, source="bench", subject=str(ticket))


async def produce(
    kafka: KafkaSettings, envelopes: list[Envelope], rate: float | None
) -> dict[str, float]:
    """Send the events (paced if ``rate``); return each event id's produce time."""
    producer = make_producer(kafka, client_id="bench")
    await producer.start()
    sent: dict[str, float] = {}
    try:
        for i, env in enumerate(envelopes):
            if rate:
                await asyncio.sleep(max(0.0, sent_at(i, rate) - time.monotonic()))
            sent[str(env.id)] = time.time()
            await producer.send(
                "support.escalations.v1", env.model_dump_json().encode(), key=env.subject.encode()
            )
        await producer.flush()
    finally:
        await producer.stop()
    return sent


_T0 = time.monotonic()


def sent_at(i: int, rate: float) -> float:
    return _T0 + i / rate


async def watch_sent(bootstrap: str, arrivals: dict[str, float], stop: asyncio.Event) -> None:
    """Record when each source event's notification.sent is readable."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = [
            TopicPartition(NOTIFICATIONS, p)
            for p in sorted(consumer.partitions_for_topic(NOTIFICATIONS) or [])
        ]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=50)
            now = time.time()
            for records in batches.values():
                for record in records:
                    value = json.loads(record.value or b"{}")
                    if value.get("type") == "notification.sent":
                        arrivals.setdefault(value["data"]["source_event_id"], now)
    finally:
        await consumer.stop()


def stored(directory: Path) -> int:
    return len(list(directory.glob("*.eml")))


async def wait_files(directory: Path, count: int, timeout: float) -> float:
    """Wait until the catcher holds ``count`` messages; return the wall time it did."""
    deadline = time.monotonic() + timeout
    while (have := await asyncio.to_thread(stored, directory)) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {have} of {count} emails")
        await asyncio.sleep(0.05)
    return time.time()


async def measure(
    kafka: KafkaSettings,
    mail_dir: Path,
    arrivals: dict[str, float],
    *,
    burst: int,
    paced: int,
    rate: float,
) -> None:
    """The burst (emails per second), then the paced run (event -> notification.sent)."""
    global _T0
    t0, cpu0 = time.time(), time.thread_time()
    await produce(kafka, [event(n) for n in range(burst)], None)
    t_last = await wait_files(mail_dir, burst, timeout=300)
    cpu = time.thread_time() - cpu0
    print(
        f"burst: {burst} emails through the catcher in {t_last - t0:.2f} s = {burst / (t_last - t0):.0f} emails/s"
    )
    print(f"burst CPU of the loop's thread: {cpu * 1000 / burst:.2f} ms per email")

    _T0 = time.monotonic()
    sent = await produce(kafka, [event(burst + n) for n in range(paced)], rate)
    await wait_files(mail_dir, burst + paced, timeout=300)
    deadline = time.monotonic() + 30
    while len([k for k in sent if k in arrivals]) < paced and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    lat = [(arrivals[k] - t) * 1000 for k, t in sent.items() if k in arrivals]
    print(
        f"paced: {paced} events at {rate:.0f}/s; event -> notification.sent on the topic: "
        f"p50 {pct(lat, 50):.0f} ms, p99 {pct(lat, 99):.0f} ms, max {max(lat):.0f} ms "
        f"({len(lat)} samples)"
    )
    dupes = await asyncio.to_thread(stored, mail_dir) - (burst + paced)
    print(f"emails stored: {burst + paced + dupes} (duplicates: {dupes})")


async def main(burst: int, paced: int, rate: float) -> None:
    server = maintenance_url()
    url = await create_database(server, prefix="notification_bench")
    port = free_port()
    tansu = start_tansu(port, log_path=Path(tempfile.gettempdir()) / f"tansu-bench-{port}.log")
    bootstrap = f"127.0.0.1:{port}"
    kafka = KafkaSettings(bootstrap_servers=bootstrap)
    mail_dir = Path(tempfile.mkdtemp(prefix="notification-bench-mail-"))
    catcher = MailCatcher(mail_dir, port=free_port()).start()
    runtime = None
    stop = asyncio.Event()
    try:
        await asyncio.to_thread(
            run_migrations,
            script_location=migrations_dir("notification"),
            url=url,
            schema=SCHEMA,
        )
        await ensure_topics(kafka, ALL_TOPICS)
        settings = Settings(
            database=DatabaseSettings(url=url),
            kafka=kafka,
            smtp_url=catcher.smtp_url,
            log_level="WARNING",
        )
        runtime = create_app(settings).state.runtime
        await runtime.start()
        arrivals: dict[str, float] = {}
        watcher = asyncio.create_task(watch_sent(bootstrap, arrivals, stop))
        await asyncio.sleep(2.0)  # let the consumer join its group
        await measure(kafka, mail_dir, arrivals, burst=burst, paced=paced, rate=rate)
        stop.set()
        await watcher
    finally:
        stop.set()
        if runtime is not None:
            await runtime.stop()
        catcher.stop()
        tansu.kill()
        with contextlib.suppress(Exception):
            await drop_database(server, url)


if __name__ == "__main__":
    argv, is_smoke = smoke.positional()
    args = [float(a) for a in argv]
    burst, paced, rate = SMOKE if is_smoke else (BURST, PACED, RATE)
    asyncio.run(
        main(
            int(args[0]) if args else burst,
            int(args[1]) if len(args) > 1 else paced,
            args[2] if len(args) > 2 else rate,
        )
    )
