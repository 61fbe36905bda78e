"""Benchmark escalation and notification: CPU per ticket spent reading the streams.

Run with ``python bench/consumer_cost.py [tickets] [rate] [--smoke]`` from the repository
root (defaults: 300 tickets at 30 tickets/s; ``--smoke``: 5 at 10/s, 1 s idle windows). It
creates a throwaway database (on ``DATABASE_URL``'s server, else 127.0.0.1:5432), migrates
every schema, starts a Tansu broker and only the escalation and notification processes (as
``make run`` does, each with its API, consumer, relay and loops), then publishes, per
ticket, the events intake and sla-clock emit for a ticket taken, assigned, commented twice
and resolved (see tests-e2e/test_sla_answers.py): 15 events on support.tickets.v1 and
support.sla.v1, keyed by ticket id, in order. It waits until both consumer groups have
committed every offset and reports, per service, CPU seconds (utime + stime of the
process, from /proc/PID/stat) per ticket, less the idle rate (the mean of 10 s before and
10 s after) times the run's wall time, and the events per second read. ``PYSPY=1`` records
a py-spy profile of each process (speedscope JSON next to the logs) while the tickets
flow.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import smoke
from aiokafka import AIOKafkaConsumer, TopicPartition

from deskstack.stack import RunningStack
from shared.events.base import Envelope, EventData
from shared.events.policy import PolicyDocument, ScheduleDocument, TargetsDocument
from shared.events.sla import TimerMet, TimerScheduled, TimerStopped, TimerUnchanged
from shared.events.tickets import (
    TicketAssigned,
    TicketCommented,
    TicketCreated,
    TicketStatusChanged,
)
from shared.events.topics import SLA, TICKETS
from shared.events.vocabulary import Severity, TicketStatus, Tier
from shared.messaging.kafka import make_producer
from shared.settings import KafkaSettings

SERVICES = ("escalation", "notification")
TICKETS_DEFAULT, RATE_DEFAULT, IDLE_SECONDS = 300, 30.0, 10.0
SMOKE = (5, 10.0, 1.0)
TICK = os.sysconf("SC_CLK_TCK")

POLICY = PolicyDocument(
    version="bench-1",
    schedules={t: ScheduleDocument(kind="8x5", timezone="Europe/Moscow") for t in Tier},
    targets={
        t: {s: TargetsDocument(response="2h", resolution="2d") for s in Severity} for t in Tier
    },
    severity_caps={Tier.basic: Severity.medium},
)


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _timer(ticket: uuid.UUID, customer: uuid.UUID, timer: str) -> dict[str, Any]:
    """What sla-clock puts in every timer event of a ticket (service.timer_event)."""
    return {
        "ticket_id": ticket,
        "customer_id": customer,
        "timer": timer,
        "timer_id": uuid.uuid5(ticket, timer),
        "tier": Tier.standard,
        "severity": Severity.high,
        "policy_version": POLICY.version,
    }


def _unchanged(ticket: uuid.UUID, customer: uuid.UUID, at: datetime, cause: str) -> list[EventData]:
    due = {"response": None, "resolution": at + timedelta(days=2)}
    return [
        TimerUnchanged(**_timer(ticket, customer, t), due_at=d, cause=cause, state="running")
        for t, d in due.items()
    ]


def ticket_events(n: int) -> list[Envelope]:
    """One ticket's life as intake and sla-clock announce it, in the order they do."""
    ticket, customer, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    common = {"ticket_id": ticket, "customer_id": customer}
    due = {"response": now + timedelta(hours=2), "resolution": now + timedelta(days=2)}
    comment = {"channel": "portal", "comment_id": uuid.uuid4(), **common}
    moved = {"from_status": TicketStatus.new, "to_status": TicketStatus.in_progress}
    response, resolution = (
        _timer(ticket, customer, "response"),
        _timer(ticket, customer, "resolution"),
    )
    warn = [now + timedelta(hours=1)]
    data: list[EventData] = [
        TicketCreated(
            **common,
            registration_number=f"TP-2026-{n:06d}",
            severity=Severity.high,
            tier=Tier.standard,
            channel="portal",
            subject=f"Bench ticket {n}",
            contact_email=f"contact{n}@bench.example",
            received_at=now,
            status=TicketStatus.new,
            policy=POLICY,
            policy_version=POLICY.version,
        ),
        *(
            TimerScheduled(
                **t, due_at=d, warning_at=warn, target=g, started_at=now, state="running"
            )
            for t, d, g in (
                (response, due["response"], "2h"),
                (resolution, due["resolution"], "2d"),
            )
        ),
        TicketStatusChanged(**common, **moved, action="take", assignee="eng-1"),
        TimerMet(**response, met_at=now, due_at=due["response"], state="met", on_time=True),
        TimerUnchanged(**resolution, due_at=due["resolution"], state="running"),
        TicketAssigned(**common, assignee="eng-2", previous_assignee="eng-1", source="agent"),
        *_unchanged(ticket, customer, now, "ticket.assigned"),
        TicketCommented(**comment, public=True, author_kind="customer", body="Logs attached"),
        *_unchanged(ticket, customer, now, "ticket.commented"),
        TicketCommented(**comment, public=False, author_kind="agent", body="Looking"),
        *_unchanged(ticket, customer, now, "ticket.commented"),
        TicketStatusChanged(
            **common,
            from_status=TicketStatus.in_progress,
            to_status=TicketStatus.resolved,
            action="resolve",
        ),
        TimerStopped(**resolution, stopped_at=now, reason="resolved", state="stopped"),
    ]
    return [Envelope.wrap(d, source="bench", subject=str(ticket)) for d in data]


async def publish(bootstrap: str, tickets: int, rate: float) -> float:
    """Send every ticket's events at ``rate`` tickets per second; return the seconds taken."""
    producer = make_producer(KafkaSettings(bootstrap_servers=bootstrap), client_id="bench")
    await producer.start()
    start = time.monotonic()
    try:
        for n in range(tickets):
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            for env in ticket_events(n):
                topic = TICKETS if env.type.startswith("ticket.") else SLA
                await producer.send(topic, env.model_dump_json().encode(), key=env.subject.encode())
        await producer.flush()
    finally:
        await producer.stop()
    return time.monotonic() - start


async def committed(bootstrap: str, group: str) -> int:
    """Records of the ticket and SLA topics the group has committed (a fresh broker: all ours).

    Summed from the committed offsets: Tansu's end offsets can trail what was written.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        total = 0
        for topic in (TICKETS, SLA):
            for p in sorted(consumer.partitions_for_topic(topic) or []):
                total += await consumer.committed(TopicPartition(topic, p)) or 0
        return total
    finally:
        await consumer.stop()


async def drained(bootstrap: str, events: int, timeout: float = 600) -> float:
    """Wait until both services committed all ``events``; return the monotonic instant."""
    deadline = time.monotonic() + timeout
    while True:
        done = [await committed(bootstrap, group) for group in SERVICES]
        if min(done) >= events:
            return time.monotonic()
        if time.monotonic() > deadline:
            raise TimeoutError(f"committed {dict(zip(SERVICES, done, strict=True))} of {events}")
        await asyncio.sleep(0.2)


def profile(stack: RunningStack, seconds: int) -> list[subprocess.Popen[bytes]]:
    """py-spy each service for ``seconds`` (PYSPY=1), speedscope output in the log dir."""
    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.environ.get("PYSPY") or not os.path.exists(spy):
        return []

    def command(name: str) -> list[str]:
        out = stack.log_dir / f"{name}.speedscope.json"
        pid = str(stack.procs[name].pid)
        return [
            spy,
            "record",
            "-p",
            pid,
            "-d",
            str(seconds),
            "-r",
            "200",
            "-f",
            "speedscope",
            "-o",
            str(out),
        ]

    return [
        subprocess.Popen(command(name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name in SERVICES
    ]


def idle_rates(pids: dict[str, int], seconds: float = IDLE_SECONDS) -> dict[str, float]:
    """CPU seconds per second each process spends with nothing to read (its loops)."""
    before = {n: cpu_seconds(p) for n, p in pids.items()}
    time.sleep(seconds)
    return {n: (cpu_seconds(p) - before[n]) / seconds for n, p in pids.items()}


def measure(stack: RunningStack, tickets: int, rate: float, idle: float) -> None:
    """Idle rate before and after, the run between; print CPU ms per ticket per service."""
    pids = {name: stack.procs[name].pid for name in SERVICES}
    time.sleep(3)  # let the group joins settle
    idle_before = idle_rates(pids, idle)
    before = {n: cpu_seconds(p) for n, p in pids.items()}
    spies = profile(stack, max(5, int(tickets / rate)))
    start = time.monotonic()
    sent = asyncio.run(publish(stack.bootstrap, tickets, rate))
    events = tickets * len(ticket_events(0))
    end = asyncio.run(drained(stack.bootstrap, events))
    used = {n: cpu_seconds(p) - before[n] for n, p in pids.items()}
    for spy in spies:
        spy.wait()
    idle_after = idle_rates(pids, idle)
    wall = end - start
    print(f"{tickets} tickets, {events} events; published in {sent:.1f} s, drained in {wall:.1f} s")
    for name in SERVICES:
        idle = (idle_before[name] + idle_after[name]) / 2
        busy = used[name] - idle * wall
        print(
            f"{name:>12}: {1000 * busy / tickets:6.2f} ms CPU/ticket "
            f"({1000 * used[name] / tickets:.2f} raw, idle {1000 * idle_before[name]:.0f}"
            f"/{1000 * idle_after[name]:.0f} ms/s before/after), {events / wall:.0f} events/s"
        )
    print(f"logs and profiles: {stack.log_dir}")


def main(tickets: int, rate: float, idle: float) -> None:
    from deskstack.services import migrate_all
    from shared.events.topics import ALL_TOPICS
    from shared.infra.net import free_port
    from shared.infra.tansu import start_tansu
    from shared.messaging.kafka import ensure_topics
    from shared.testing.infra import create_database, drop_database, maintenance_url

    server = maintenance_url()
    url = asyncio.run(create_database(server, prefix="consumer_cost"))
    port = free_port()
    broker = start_tansu(port)
    stack = RunningStack(
        database_url=url,
        bootstrap=f"127.0.0.1:{port}",
        idempotence=False,
        # The production poll, not the tests' faster one: idle cost is not what we measure.
        extra_env={"notification": {"NOTIFICATION_WORKER_POLL_SECONDS": "0.5"}},
    )
    try:
        migrate_all(url)
        asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=stack.bootstrap), ALL_TOPICS))
        for name in SERVICES:
            stack.start(name)
        stack.wait_ready(list(SERVICES), timeout=90)
        measure(stack, tickets, rate, idle)
    finally:
        stack.stop_all()
        broker.terminate()
        broker.wait(10)
        asyncio.run(drop_database(server, url))


if __name__ == "__main__":
    args, is_smoke = smoke.positional()
    tickets, rate, idle = SMOKE if is_smoke else (TICKETS_DEFAULT, RATE_DEFAULT, IDLE_SECONDS)
    main(int(args[0]) if args else tickets, float(args[1]) if len(args) > 1 else rate, idle)
