"""CPU per request with traces exported and without, each as a ratio to a bare endpoint.

Three endpoints of one in-process FastAPI app, measured in the same run so the
machine's speed cancels out:

- **bare**: ``GET /bare`` answers ``{}``: no middleware, no SQL (the unit);
- **off**: ``GET /work`` with the platform's request middleware and three SQL
  statements on a real asyncpg connection, tracing off (no SDK provider: the
  OpenTelemetry API's no-op, what a process without ``OTEL_EXPORTER_OTLP_ENDPOINT`` runs);
- **on**: the same request with the SDK installed as ``configure_tracing`` installs it:
  a batching OTLP/HTTP exporter (to a local receiver that discards the spans), and
  asyncpg and httpx instrumented, so each request records its server span, FastAPI's
  own child spans and three SQL spans, and the exporter serialises and posts them.

CPU is ``time.process_time()`` of the whole process, the exporter's thread included;
the figure is CPU microseconds per request. Rounds alternate off and on so that drift
(a warm cache, another process) hits both; the median round is printed.
Needs PostgreSQL (``DATABASE_URL``'s server or 127.0.0.1:5432; only ``SELECT``s).
Usage: ``.venv/bin/python bench/tracing_overhead.py [--requests 300] [--rounds 5] [--smoke]``
(the defaults take a few seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import asyncpg
import httpx
import smoke
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.util._once import Once

from shared import pgconnect
from shared.observability.metrics import MetricsMiddleware
from shared.observability.tracing import instrument_libraries, uninstrument_libraries
from shared.testing.infra import maintenance_url


class _Discard(BaseHTTPRequestHandler):
    """An OTLP/HTTP endpoint that reads each export and answers 200."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def _app(conn: asyncpg.Connection) -> FastAPI:
    app = FastAPI()
    app.add_middleware(MetricsMiddleware)
    lock = asyncio.Lock()  # one connection: the statements of a request run in turn

    @app.get("/bare")
    async def bare() -> dict[str, Any]:
        return {}

    @app.get("/work")
    async def work() -> dict[str, Any]:
        async with lock:
            one = await conn.fetchval("SELECT 1")
            now = await conn.fetchval("SELECT now()")
            rows = await conn.fetch("SELECT generate_series(1, 3) AS n")
        return {"one": one, "now": now.isoformat(), "rows": len(rows)}

    return app


@contextmanager
def _tracing(endpoint: str) -> Iterator[TracerProvider]:
    """Install the SDK as ``configure_tracing`` does, for the block; put the no-op back."""
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    previous, once = trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE
    trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = None, Once()
    trace.set_tracer_provider(provider)
    instrument_libraries(provider)
    try:
        yield provider
    finally:
        uninstrument_libraries()
        provider.shutdown()  # exports what is left: its CPU belongs to this round
        trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = previous, once


async def _cpu_per_request(client: httpx.AsyncClient, path: str, requests: int) -> float:
    """CPU microseconds per request of ``requests`` sequential GETs of ``path``."""
    started = time.process_time()
    for _ in range(requests):
        reply = await client.get(path)
        assert reply.status_code == 200, reply.text
    return (time.process_time() - started) / requests * 1e6


async def _round(client: httpx.AsyncClient, endpoint: str, requests: int) -> dict[str, float]:
    bare = await _cpu_per_request(client, "/bare", requests)
    off = await _cpu_per_request(client, "/work", requests)
    with _tracing(endpoint) as provider:
        on = await _cpu_per_request(client, "/work", requests)
        provider.force_flush()
    return {"bare": bare, "off": off, "on": on}


async def main(requests: int, rounds: int) -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Discard)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{receiver.server_address[1]}/v1/traces"
    conn = await pgconnect.connect(maintenance_url())
    try:
        transport = httpx.ASGITransport(app=_app(conn))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await _round(client, endpoint, max(requests // 5, 20))  # warm-up
            results = [await _round(client, endpoint, requests) for _ in range(rounds)]
    finally:
        await conn.close()
        receiver.shutdown()
    _report(results, requests)


def _report(results: list[dict[str, float]], requests: int) -> None:
    median = {k: statistics.median(r[k] for r in results) for k in ("bare", "off", "on")}
    print(f"{len(results)} rounds of {requests} requests each; medians, CPU per request:")
    print(f"  bare endpoint          {median['bare']:8.0f} µs   1.00 × bare")
    for name, label in (("off", "tracing off"), ("on", "spans exported")):
        print(f"  {label:<22} {median[name]:8.0f} µs   {median[name] / median['bare']:.2f} × bare")
    extra = median["on"] - median["off"]
    print(f"  export on costs {extra:.0f} µs per request ({extra / median['off']:+.0%} over off)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint a round")
    parser.add_argument("--rounds", type=int, default=5)
    args = smoke.parse(parser, requests=20, rounds=1)
    asyncio.run(main(args.requests, args.rounds))
