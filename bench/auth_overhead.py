"""The gateway's authorisation overhead per request.

Three figures, in process (no network, so the overhead is not hidden in noise):

1. the gateway's ``authenticate`` dependency alone (Authorization parsing, SHA-256
   of the key, the per-replica key cache, the last-use check, the token bucket),
   timed over many calls on a warm cache;
2. a service's ``require(...)`` dependency alone (internal-token comparison,
   principal headers, role check);
3. a whole gateway request ``GET /api/v1/tickets`` with a key, against the same
   forwarding without any authentication work (a bench-only route calling the same
   ``forward`` with a fixed principal); upstreams are an in-process transport
   answering at once, so the difference is what authorisation adds per request.

Needs PostgreSQL (``DATABASE_URL``'s server or 127.0.0.1:5432) for the key table;
the throwaway database is dropped at the end.
Usage: ``.venv/bin/python bench/auth_overhead.py [--calls 20000] [--requests 3000] [--smoke]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import smoke
from asgi_lifespan import LifespanManager
from fastapi import FastAPI, Request, Response

from deskstack.services import migrate_all
from gateway.app import create_app
from gateway.auth import authenticate
from gateway.config import Settings
from gateway.keys import Principal
from gateway.ratelimit import Limit
from gateway.routing import forward
from shared.auth import Role, require
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN, principal_headers
from shared.testing.infra import create_database, drop_database, maintenance_url

KEY = "bench-admin-key-0123456789abcdef"
UNLIMITED = {"admin": Limit(per_second=1e9, burst=10**9)}


def _request(app: FastAPI, headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {"type": "http", "method": "GET", "path": "/api/v1/tickets", "headers": raw}
    scope.update(app=app, query_string=b"", root_path="", state={})
    return Request(scope)


async def _per_call(fn: Callable[[], Awaitable[Any] | Any], calls: int) -> float:
    """Mean microseconds per call of ``fn`` (awaited when it returns an awaitable)."""
    started = time.perf_counter()
    for _ in range(calls):
        result = fn()
        if asyncio.iscoroutine(result):
            await result
    return (time.perf_counter() - started) / calls * 1e6


def _add_unauthenticated_route(app: FastAPI) -> None:
    """The same forwarding as ``/api/v1/...`` with a fixed principal: no auth work at all."""
    fixed = Principal(key_id=uuid.uuid4(), name="bench", role=Role.admin, customer_id=None)

    async def noauth(request: Request) -> Response:
        return await forward(
            request,
            service="intake",
            upstream=request.app.state.upstreams["intake"],
            principal=fixed,
            request_id="bench",
            internal_token=TEST_TOKEN,
        )

    # A plain Starlette route, as the gateway's own proxy route is (no dependency solving).
    app.add_route("/bench/noauth/{path:path}", noauth, methods=["GET"])


async def _latencies(
    client: httpx.AsyncClient, pairs: list[tuple[str, dict[str, str]]], n: int
) -> list[list[float]]:
    """Microseconds per request for each (path, headers), interleaved so drift hits both."""
    out: list[list[float]] = [[] for _ in pairs]
    for _ in range(n):
        for i, (path, headers) in enumerate(pairs):
            started = time.perf_counter()
            r = await client.get(path, headers=headers)
            out[i].append((time.perf_counter() - started) * 1e6)
            assert r.status_code == 200, r.text
    return out


async def bench(database_url: str, *, calls: int, requests: int) -> None:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=KEY,
        internal_token=TEST_TOKEN,
        rate_limits=UNLIMITED,
        log_json=False,
        log_level="WARNING",
    )
    app = create_app(
        settings, upstream_transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[]))
    )
    _add_unauthenticated_route(app)
    async with LifespanManager(app) as manager:
        auth_headers = {"authorization": f"Bearer {KEY}"}
        await authenticate(_request(app, auth_headers))  # warm the key cache and last use
        gateway_us = await _per_call(lambda: authenticate(_request(app, auth_headers)), calls)
        check = require(Role.agent)
        app.state.internal_token = TEST_TOKEN
        service_headers = principal_headers(Role.manager)
        service_us = await _per_call(lambda: check(_request(app, service_headers)), calls)
        build_us = await _per_call(lambda: _request(app, auth_headers), calls)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://gw"
        ) as client:
            pairs = [("/api/v1/tickets", auth_headers), ("/bench/noauth/tickets", {})]
            await _latencies(client, pairs, min(200, requests))  # warm-up
            with_auth, without = await _latencies(client, pairs, requests)
    print(
        f"gateway authenticate() alone: {gateway_us - build_us:.1f} us per request "
        f"(warm key cache, {calls} calls; request construction subtracted)"
    )
    print(f"service require() alone:      {service_us - build_us:.1f} us per request")
    med_a, med_b = statistics.median(with_auth), statistics.median(without)
    print(
        f"whole gateway request, median: {med_a:.0f} us with auth vs {med_b:.0f} us without "
        f"-> {med_a - med_b:.0f} us added ({requests} requests each, in-process upstream)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=3_000)
    args = smoke.parse(parser, calls=200, requests=20)
    server = maintenance_url()
    database_url = asyncio.run(create_database(server, prefix="support_bench"))
    try:
        migrate_all(database_url)
        asyncio.run(bench(database_url, calls=args.calls, requests=args.requests))
    finally:
        asyncio.run(drop_database(server, database_url))


if __name__ == "__main__":
    main()
