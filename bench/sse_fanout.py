"""How far one gateway's live stream goes: fan-out to 100 SSE clients, event -> browser latency.

Starts a Tansu broker on a free port, a throwaway database (``DATABASE_URL``'s server
or 127.0.0.1:5432) and one gateway process (``python -m gateway``), then:

1. opens 100 SSE clients on ``GET /api/v1/stream`` (99 that count messages, one that
   parses them) and a headless chromium (Debian's, through Playwright) reading the
   stream with ``fetch`` as the ops page does;
2. latency: publishes events at a steady ``--rate`` for ``--seconds``, each carrying its
   send time; prints publish -> parsed by a Python client and publish -> seen by the
   browser's script (p50/p99/max; one clock, one machine);
3. throughput: publishes ``--burst`` events as fast as the producer goes and times
   until every client has all of them: events per second fanned out to 100 clients
   (and deliveries per second, x100).

The clients share the machine (and its two cores) with the gateway, so the figures
are a floor for the gateway alone. Usage:
``.venv/bin/python bench/sse_fanout.py [--clients 100] [--rate 100] [--seconds 10] [--burst 5000]
[--smoke]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import smoke
from aiokafka import AIOKafkaProducer
from playwright.async_api import Page, async_playwright

from deskstack.services import migrate_all
from shared.events.topics import ALL_TOPICS, TICKETS
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.settings import KafkaSettings
from shared.testing.figures import describe
from shared.testing.infra import create_database, drop_database, maintenance_url
from shared.testing.sse import SseReader

KEY = "bench-admin-key-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[1]
# The browser's reader: the ops page's way (fetch + a stream reader), recording latencies.
BROWSER_READER = """async ([key]) => {
  window.lat = []; window.got = 0;
  const r = await fetch('/api/v1/stream', {headers: {Authorization: 'Bearer ' + key, Accept: 'text/event-stream'}});
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  (async () => { for (;;) {
    const {value, done} = await reader.read(); if (done) return;
    buf += value; let cut;
    while ((cut = buf.indexOf('\\n\\n')) >= 0) {
      const block = buf.slice(0, cut); buf = buf.slice(cut + 2);
      const line = block.split('\\n').find((l) => l.startsWith('data:'));
      if (!line) continue;
      const sent = JSON.parse(line.slice(5)).event.data.sent_at;
      window.got += 1; if (sent) window.lat.push(Date.now() / 1000 - sent);
    }
  } })();
}"""


class Counter:
    """An SSE client that only counts messages (no parsing): the cheap 99 of the 100."""

    def __init__(self, base_url: str) -> None:
        self.count = 0
        self._client = httpx.AsyncClient(base_url=base_url, timeout=None)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        opened = asyncio.Event()
        self._task = asyncio.create_task(self._read(opened))
        await asyncio.wait_for(opened.wait(), 30)

    async def _read(self, opened: asyncio.Event) -> None:
        headers = {"Authorization": f"Bearer {KEY}", "Accept": "text/event-stream"}
        async with self._client.stream("GET", "/api/v1/stream", headers=headers) as r:
            opened.set()
            tail = b""
            async for chunk in r.aiter_raw():
                joined = tail + chunk
                # Count message starts; the tail carries a marker split across two chunks.
                self.count += joined.count(b"\nid: ") - tail.count(b"\nid: ")
                tail = joined[-6:]

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._client.aclose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (Linux), a figure a busy machine does not skew."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def envelope(n: int) -> bytes:
    ticket = str(uuid.uuid4())
    data = {"ticket_id": ticket, "customer_id": str(uuid.uuid4()), "sent_at": time.time(), "n": n}
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "type": "ticket.commented",
            "source": "bench",
            "subject": ticket,
            "time": "2026-01-01T00:00:00Z",
            "data": data,
        }
    ).encode()


async def publish(producer: AIOKafkaProducer, count: int, rate: float | None) -> None:
    """``count`` events, at ``rate`` per second or (None) as fast as the producer goes."""
    started = time.monotonic()
    for n in range(count):
        if rate:
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
            await producer.send_and_wait(TICKETS, envelope(n))
        else:
            await producer.send(TICKETS, envelope(n))
    await producer.flush()


async def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def browser_count(page: Page, want: int, deadline: float) -> int:
    """The browser's count once it reaches ``want`` or the deadline passes: the browser
    reads the same stream as the Python clients but on its own schedule, so one look right
    after they finished can come before its last events."""
    got: int = await page.evaluate("window.got")
    while got < want and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        got = await page.evaluate("window.got")
    return got


def start_gateway(
    database_url: str, bootstrap: str, port: int, log: Path
) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        KAFKA_BOOTSTRAP_SERVERS=bootstrap,
        GATEWAY_PORT=str(port),
        ADMIN_API_KEY=KEY,
        INTERNAL_TOKEN="bench",
        GATEWAY_LOG_LEVEL="WARNING",
        GATEWAY_STREAM__QUEUE_SIZE="100000",
    )
    out = open(log, "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "api"],
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the gateway did not start; see {log}")


async def browser_reader(page: Page, url: str) -> None:
    await page.goto(f"{url}/ops")
    await page.evaluate(BROWSER_READER, [KEY])


async def measure(url: str, bootstrap: str, gateway_pid: int, args: argparse.Namespace) -> None:
    counters = [Counter(url) for _ in range(args.clients - 1)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2)
    await producer.start()
    async with async_playwright() as p, SseReader(url, KEY) as parser:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = await browser.new_page()
        await browser_reader(page, url)
        for c in counters:
            await c.start()
        steady = int(args.rate * args.seconds)
        await publish(producer, steady, args.rate)
        await wait_until(lambda: len(parser.events) >= steady, 30)
        await asyncio.sleep(1)
        sent = [e.payload["sent_at"] for e in parser.events]
        python_lat = [e.read_at - s for e, s in zip(parser.events, sent, strict=True)]
        browser_lat = await page.evaluate("window.lat")
        print(f"{args.clients} SSE clients + 1 browser; {steady} events at {args.rate:.0f}/s")
        print(describe("publish -> Python SSE client", python_lat))
        print(describe("publish -> browser script   ", browser_lat))
        cpu = cpu_seconds(gateway_pid)
        await burst(producer, counters, page, steady, args.burst)
        used = cpu_seconds(gateway_pid) - cpu
        if used > 0:
            print(
                f"gateway CPU for the burst: {used:.1f} s -> {args.burst * args.clients / used:.0f} "
                f"deliveries per CPU-second ({args.burst / used:.0f} events/s to {args.clients} "
                "clients on one free core)"
            )
        else:  # a small burst can take less than one clock tick of the gateway's CPU
            print("gateway CPU for the burst: under one clock tick, too short to count")
        await browser.close()
    for c in counters:
        await c.stop()
    await producer.stop()


async def burst(
    producer: AIOKafkaProducer, counters: list[Counter], page: Page, before: int, n: int
) -> None:
    started = time.monotonic()
    await publish(producer, n, None)
    published = time.monotonic() - started
    done = await wait_until(lambda: all(c.count >= before + n for c in counters), 300)
    took = time.monotonic() - started
    behind = sum(max(0, before + n - c.count) for c in counters)
    browser_got = await browser_count(page, before + n, started + 300)
    print(
        f"burst of {n} events (published in {published:.1f} s): all {len(counters) + 1} clients had them "
        f"after {took:.1f} s -> {n / took:.0f} events/s fanned out, {n * (len(counters) + 1) / took:.0f} "
        f"deliveries/s" + ("" if done else f" (NOT DONE: {behind} deliveries missing)")
    )
    print(f"browser received {browser_got - before} of the {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=5_000)
    args = smoke.parse(parser, clients=3, rate=10.0, seconds=1.0, burst=100)
    server = maintenance_url()
    database_url = asyncio.run(create_database(server, prefix="sse_bench"))
    port, gw_port = free_port(), free_port()
    tmp = Path(tempfile.gettempdir())
    tansu = start_tansu(port, log_path=tmp / f"tansu-bench-{port}.log")
    bootstrap = f"127.0.0.1:{port}"
    gateway = None
    try:
        migrate_all(database_url)
        asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), ALL_TOPICS))
        gateway = start_gateway(
            database_url, bootstrap, gw_port, tmp / f"gateway-bench-{gw_port}.log"
        )
        asyncio.run(measure(f"http://127.0.0.1:{gw_port}", bootstrap, gateway.pid, args))
    finally:
        if gateway is not None:
            gateway.terminate()
            gateway.wait(20)
        tansu.terminate()
        tansu.wait(20)
        asyncio.run(drop_database(server, database_url))


if __name__ == "__main__":
    main()
