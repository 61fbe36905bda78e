"""Ticket creation through the gateway, and the time from POST to ``sla.timer.scheduled``.

Starts the whole platform as ``make run`` does (every service and the gateway as
processes) on a throwaway database and a fresh Tansu broker, creates one customer
and contact per ticket (basic/standard customers may hold one open ticket), then
posts the tickets at a fixed concurrency and prints:

- tickets per second, and p50/p99 latency of ``POST /api/v1/tickets``;
- p50/p99 latency from the POST to the first ``sla.timer.scheduled`` on
  ``support.sla.v1`` (intake outbox -> relay -> broker -> sla-clock -> its outbox
  -> relay -> broker -> observer), twice: during the saturating burst (where it is
  mostly queueing behind sla-clock) and at a steady rate below saturation
  (``--rate`` tickets per second), which is what one ticket experiences.

Usage: ``.venv/bin/python bench/tickets_gateway.py [--tickets 600] [--concurrency 16]
[--paced 100 --rate 10] [--smoke]``.
Uses ``DATABASE_URL``'s server (or 127.0.0.1:5432) for the throwaway database.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field

import httpx
import smoke

from deskstack.services import migrate_all
from deskstack.stack import RunningStack
from shared.events.topics import ALL_TOPICS, SLA
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.settings import KafkaSettings
from shared.testing.infra import create_database, drop_database, maintenance_url
from shared.testing.observer import TopicObserver


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Posts:
    """Tickets posted so far: each id's start time, and every POST's latency in order."""

    api: httpx.AsyncClient
    sem: asyncio.Semaphore
    posted: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    async def contact(self, i: int) -> str:
        async with self.sem:
            r = await self.api.post(
                "/api/v1/customers", json={"name": f"Bench {i}", "warranty_until": "2099-12-31"}
            )
            r.raise_for_status()
            email = f"bench-{i}-{time.time_ns()}@example.com"
            r = await self.api.post(
                f"/api/v1/customers/{r.json()['id']}/contacts",
                json={"name": "B", "email": email},
            )
            r.raise_for_status()
            return email

    async def post(self, email: str) -> None:
        async with self.sem:
            started = time.monotonic()
            r = await self.api.post(
                "/api/v1/tickets",
                json={"contact_email": email, "subject": "Benchmark incident", "severity": "high"},
            )
            elapsed = time.monotonic() - started
            r.raise_for_status()
            self.posted[r.json()["id"]] = started
            self.latencies.append(elapsed)


async def timer_lags(observer: TopicObserver, posts: Posts, ids: set[str]) -> list[float]:
    """Wait for both timers of each ticket in ``ids``; the lag from its POST to the first."""
    await observer.wait_for(
        lambda s: s.type == "sla.timer.scheduled" and s.subject in ids,
        count=2 * len(ids),
        timeout=120,
    )
    first: dict[str, float] = {}
    for seen in observer.seen:
        if seen.type == "sla.timer.scheduled" and seen.subject in ids:
            first.setdefault(seen.subject, seen.seen_at)
    return [first[t] - posts.posted[t] for t in ids]


async def burst_phase(
    stack: RunningStack, posts: Posts, emails: list[str]
) -> tuple[list[float], float]:
    """All tickets at once (bounded by the semaphore); the timer lags and the wall time."""
    async with TopicObserver(stack.bootstrap, [SLA]) as observer:
        began = time.monotonic()
        await asyncio.gather(*(posts.post(e) for e in emails))
        wall = time.monotonic() - began
        return await timer_lags(observer, posts, set(posts.posted)), wall


async def steady_phase(
    stack: RunningStack, posts: Posts, emails: list[str], rate: float
) -> list[float]:
    """One ticket every 1/rate seconds; the timer lags of these tickets."""
    before = set(posts.posted)
    async with TopicObserver(stack.bootstrap, [SLA]) as observer:
        tasks = []
        for email in emails:
            tasks.append(asyncio.create_task(posts.post(email)))
            await asyncio.sleep(1 / rate)
        await asyncio.gather(*tasks)
        return await timer_lags(observer, posts, set(posts.posted) - before)


async def bench(
    stack: RunningStack, *, tickets: int, concurrency: int, paced: int, rate: float
) -> None:
    limits = httpx.Limits(max_connections=concurrency * 2)
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, headers=stack.admin_headers(), timeout=30, limits=limits
    ) as api:
        posts = Posts(api, asyncio.Semaphore(concurrency))
        emails = await asyncio.gather(*(posts.contact(i) for i in range(tickets + paced)))
        to_timer, wall = await burst_phase(stack, posts, emails[:tickets])
        burst_count = len(posts.posted)
        await asyncio.sleep(3)  # let the consumers downstream drain the burst
        steady = await steady_phase(stack, posts, emails[tickets:], rate)
    latencies, steady_post = posts.latencies[:burst_count], posts.latencies[burst_count:]

    ms = 1000.0
    print(f"\nTicket creation through the gateway ({tickets} tickets, concurrency {concurrency})")
    print(f"  throughput            {len(latencies) / wall:8.1f} tickets/s  (wall {wall:.2f} s)")
    print(f"  POST latency  p50     {pct(latencies, 0.5) * ms:8.1f} ms")
    print(f"  POST latency  p99     {pct(latencies, 0.99) * ms:8.1f} ms")
    print(f"  POST -> sla.timer.scheduled  p50  {pct(to_timer, 0.5) * ms:8.1f} ms")
    print(f"  POST -> sla.timer.scheduled  p99  {pct(to_timer, 0.99) * ms:8.1f} ms")
    print(f"  POST -> sla.timer.scheduled  mean {statistics.fmean(to_timer) * ms:8.1f} ms")
    print(f"\nSteady load ({paced} tickets at {rate:g} tickets/s)")
    print(f"  POST latency  p50     {pct(steady_post, 0.5) * ms:8.1f} ms")
    print(f"  POST latency  p99     {pct(steady_post, 0.99) * ms:8.1f} ms")
    print(f"  POST -> sla.timer.scheduled  p50  {pct(steady, 0.5) * ms:8.1f} ms")
    print(f"  POST -> sla.timer.scheduled  p99  {pct(steady, 0.99) * ms:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--paced", type=int, default=100, help="tickets in the steady phase")
    parser.add_argument("--rate", type=float, default=10.0, help="tickets/s in the steady phase")
    args = smoke.parse(parser, tickets=8, concurrency=4, paced=4, rate=4.0)
    server = maintenance_url()
    database_url = asyncio.run(create_database(server, prefix="support_bench"))
    port = free_port()
    broker = start_tansu(port)
    bootstrap = f"127.0.0.1:{port}"
    stack = RunningStack(database_url=database_url, bootstrap=bootstrap, idempotence=False)
    try:
        migrate_all(database_url)
        asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), ALL_TOPICS))
        stack.start_all()
        asyncio.run(
            bench(
                stack,
                tickets=args.tickets,
                concurrency=args.concurrency,
                paced=args.paced,
                rate=args.rate,
            )
        )
    finally:
        stack.stop_all()
        broker.terminate()
        broker.wait(10)
        asyncio.run(drop_database(server, database_url))


if __name__ == "__main__":
    main()
