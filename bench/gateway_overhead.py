"""What the gateway's proxy path costs per request: CPU of the gateway process, latency.

The gateway runs as ``python -m gateway api`` (as ``make run`` starts it) in front
of a trivial upstream: one uvicorn process answering every path at once with a
fixed JSON body (201 with an ``id`` for POST, 200 for GET), so what is measured is
the gateway (authentication, rate limit, middleware, proxy) and not a service.
The client sends ``--requests`` requests with ``--concurrency`` in flight, a
customer-shaped ``POST /api/v1/tickets`` by default, with an admin key (the key
table needs PostgreSQL: a throwaway database on ``DATABASE_URL``'s server or
127.0.0.1:5432, dropped at the end). The key's rate limit is lifted.

Figures: CPU µs (user + system) of the gateway process per proxied request over
the measured window, after ``--warmup`` requests; latency p50/p99 seen by the
client; requests per second. The client runs on the same cores, so req/s and
latency depend on the machine's load much more than the CPU figure.

Usage: ``.venv/bin/python bench/gateway_overhead.py [--requests 5000] [--concurrency 8]
[--method POST|GET] [--json out.json] [--smoke]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import smoke

from gateway.config import SCHEMA
from shared.db import run_migrations
from shared.runtime import migrations_dir
from shared.testing.infra import create_database, drop_database, maintenance_url

ROOT = Path(__file__).resolve().parents[1]
KEY = "bench-gateway-admin-0123456789abcdef"
BODY = json.dumps(
    {"contact_email": "a@example.com", "subject": "Printer on fire", "severity": "high"}
).encode()
UPSTREAM = """
import uvicorn
CREATED = b'{"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","status":"new"}'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    post = scope["method"] == "POST"
    await send({"type": "http.response.start", "status": 201 if post else 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": CREATED})
uvicorn.run(app, host="127.0.0.1", port=int(__import__("sys").argv[1]), log_level="warning",
            access_log=False)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _gateway_env(*, database_url: str, port: int, upstream: str) -> dict[str, str]:
    env = {**os.environ, "GATEWAY_DATABASE__URL": database_url, "GATEWAY_PORT": str(port)}
    for name in ("INTAKE", "ENTITLEMENT", "SLA_CLOCK", "ESCALATION", "NOTIFICATION"):
        env[f"GATEWAY_{name}_URL"] = upstream
    env["GATEWAY_ADMIN_API_KEY"] = KEY
    env["GATEWAY_LOG_LEVEL"] = "WARNING"
    unlimited = {"per_second": 1e9, "burst": 10**9}
    env["GATEWAY_RATE_LIMITS"] = json.dumps({"admin": unlimited, "customer": unlimited})
    return env


@contextlib.contextmanager
def _processes(database_url: str, profile: Path | None) -> Iterator[tuple[str, psutil.Process]]:
    """The upstream and the gateway as processes; yield the gateway's URL and process."""
    up_port, gw_port = _free_port(), _free_port()
    upstream = subprocess.Popen([sys.executable, "-c", UPSTREAM, str(up_port)])
    env = _gateway_env(
        database_url=database_url, port=gw_port, upstream=f"http://127.0.0.1:{up_port}"
    )
    # cProfile writes its file when uvicorn returns from a SIGTERM (graceful shutdown).
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    command = [sys.executable, *profiler, "-m", "gateway", "api"]
    gateway = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        yield f"http://127.0.0.1:{gw_port}", psutil.Process(gateway.pid)
    finally:
        for proc in (gateway, upstream):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _wait_ready(client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if (await client.get("/health/live")).status_code == 200:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError("the gateway did not start within 60 s")


async def _customer_key(client: httpx.AsyncClient) -> str:
    """A customer key: the hot path's caller (an admin's POSTs would each write an audit row)."""
    r = await client.post(
        "/api/v1/api-keys",
        json={"name": "bench", "role": "customer", "customer_id": str(uuid.uuid4())},
        headers={"authorization": f"Bearer {KEY}"},
    )
    r.raise_for_status()
    key: str = r.json()["key"]
    return key


async def _send(
    client: httpx.AsyncClient, *, key: str, method: str, count: int, concurrency: int
) -> tuple[list[float], dict[int, int]]:
    """Send ``count`` requests, ``concurrency`` at a time; latencies (ms) and status counts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    remaining = count
    headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            r = await client.request(
                method,
                "/api/v1/tickets",
                content=BODY if method == "POST" else None,
                headers=headers,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, statuses


def _cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


async def _measure(url: str, gateway: psutil.Process, args: argparse.Namespace) -> dict[str, Any]:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        await _wait_ready(client)
        key = await _customer_key(client)
        sending = {"key": key, "method": args.method, "concurrency": args.concurrency}
        await _send(client, count=args.warmup, **sending)
        cpu_before, started = _cpu_seconds(gateway), time.perf_counter()
        latencies, statuses = await _send(client, count=args.requests, **sending)
        elapsed, cpu = time.perf_counter() - started, _cpu_seconds(gateway) - cpu_before
    ordered = sorted(latencies)
    return {
        "method": args.method,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "statuses": statuses,
        "cpu_us_per_request": round(cpu / args.requests * 1e6),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2),
        "requests_per_second": round(args.requests / elapsed),
        "load_average": os.getloadavg()[0],
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    server = maintenance_url()
    database_url = await create_database(server, prefix="support_gwbench")
    try:
        migrations = migrations_dir("gateway")
        await asyncio.to_thread(
            run_migrations, script_location=migrations, url=database_url, schema=SCHEMA
        )
        with _processes(database_url, args.profile) as (url, gateway):
            return await _measure(url, gateway, args)
    finally:
        await drop_database(server, database_url)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--method", choices=["POST", "GET"], default="POST")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--profile", type=Path, help="run the gateway under cProfile, to FILE")
    return smoke.parse(parser, requests=50, warmup=10, concurrency=4)


if __name__ == "__main__":
    arguments = _arguments()
    figures = asyncio.run(main(arguments))
    print(json.dumps(figures, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n")
