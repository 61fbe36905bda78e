"""Benchmark entitlement checks (``GET /api/v1/entitlements?contact_email=``) through the service.

Run with ``.venv/bin/python bench/entitlement_checks.py [seconds] [--smoke]`` from the
repository root (``--smoke``: 0.2 s per phase over 510 customers, 10 through the API). It
creates a throwaway database on the server of ``DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``), migrates the entitlement schema, loads
20,200 customers (200 through the API with contracts, own policies and calendar overrides;
20,000 copied into the tables, a quarter with contracts, 4 contacts each), then measures:

0. the uncached path: the check use case with the cache off (one indexed query);
1. service time: the check use case as served (cache kept fresh by LISTEN/NOTIFY);
2. in-process HTTP (httpx ASGITransport, no sockets), sequential: framework + use case;
3. real HTTP: uvicorn in a child process on a free port, 32 concurrent keep-alive clients.

It prints checks per second and latency percentiles for each, then drops the database.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import smoke
import uvicorn
from asgi_lifespan import LifespanManager

from entitlement.app import create_app
from entitlement.config import SCHEMA, Settings
from entitlement.usecases import checks
from shared.auth import HEADER_ROLE, Role, system_principal_headers
from shared.db import run_migrations_async
from shared.infra.net import free_port
from shared.runtime import migrations_dir
from shared.settings import DatabaseSettings
from shared.testing.infra import create_database, drop_database, maintenance_url


@dataclass(frozen=True)
class Sizes:
    """The data set: customers copied in, customers created through the API, hot contacts."""

    customers: int = 20_000
    through_api: int = 200
    hot: int = 5_000


SMOKE = Sizes(customers=500, through_api=10, hot=100)
CLIENTS = 32
SEED = 2026
# Services answer only calls that carry the gateway's internal token (shared.auth).
TOKEN = "bench-internal-token"
# An admin principal: the data set is created through the API as well as read.
ADMIN = system_principal_headers("bench", TOKEN) | {HEADER_ROLE: Role.admin}
PRINCIPAL = "".join(f"{name}: {value}\r\n" for name, value in ADMIN.items())


async def load(client: httpx.AsyncClient, url: str, sizes: Sizes) -> list[str]:
    """Create the data set; return contact emails.

    A few hundred customers go through the API (contracts with their own policy, calendar
    overrides: every kind of answer), the bulk is copied straight into the tables.
    """
    rng = random.Random(SEED)
    today = datetime.now(UTC).date()
    emails = await load_through_api(client, rng, today, sizes.through_api)
    await insert_bulk(url, *bulk_rows(rng, today, emails, sizes.customers))
    return emails


async def load_through_api(
    client: httpx.AsyncClient, rng: random.Random, today: date, count: int
) -> list[str]:
    emails: list[str] = []
    for n in range(count):
        r = await client.post(
            "/api/v1/customers",
            json={"name": f"API customer {n}", "trained_specialists": 1, "products": ["Docs"]},
        )
        customer_id = r.json()["id"]
        body: dict[str, Any] = {
            "tier": rng.choice(["extended", "business", "premium"]),
            "starts_on": (today - timedelta(days=30)).isoformat(),
            "ends_on": (today + timedelta(days=300)).isoformat(),
            "shortened_pre_holidays": n % 3 == 0,
        }
        if n % 2 == 0:
            body["policy"] = {"targets": {"critical": {"response": "15min", "resolution": "2h"}}}
        await client.post(f"/api/v1/customers/{customer_id}/contracts", json=body)
        if n % 4 == 0:
            await client.put(
                f"/api/v1/customers/{customer_id}/calendar",
                json={"timezone": "Asia/Yekaterinburg", "extra_days_off": ["2027-01-11"]},
            )
        email = f"api-{n}@example.com"
        await client.post(
            f"/api/v1/customers/{customer_id}/contacts", json={"name": "C", "email": email}
        )
        emails.append(email)

    return emails


Rows = list[tuple[Any, ...]]


def bulk_rows(
    rng: random.Random, today: date, emails: list[str], count: int
) -> tuple[Rows, Rows, Rows]:
    """Customers, contacts (their emails appended to ``emails``) and contracts to copy in."""
    customers: Rows = []
    contacts: Rows = []
    contracts: Rows = []
    for n in range(count):
        customer_id = uuid.uuid4()
        warranty = today + timedelta(days=rng.randint(-300, 300))
        customers.append((customer_id, f"Bulk customer {n}", 1, warranty, ["Docs"]))
        for c in range(4):
            email = f"bulk-{n}-{c}@example.com"
            contacts.append((uuid.uuid4(), customer_id, "C", email, f"chat-{n}-{c}"))
            emails.append(email)
        if n % 4 == 0:
            tier = rng.choice(["extended", "business", "premium"])
            rank = {"extended": 3, "business": 4, "premium": 5}[tier]
            starts, ends = today - timedelta(days=60), today + timedelta(days=rng.randint(-30, 300))
            contracts.append(
                (
                    uuid.uuid4(),
                    customer_id,
                    tier,
                    rank,
                    starts,
                    ends,
                    datetime.combine(starts, datetime.min.time(), UTC),
                    datetime.combine(ends + timedelta(days=1), datetime.min.time(), UTC),
                )
            )
    return customers, contacts, contracts


async def insert_bulk(url: str, customers: Rows, contacts: Rows, contracts: Rows) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.executemany(
            f'INSERT INTO "{SCHEMA}".customer (id, name, trained_specialists, warranty_until, products) '
            "VALUES ($1, $2, $3, $4, $5)",
            customers,
        )
        await conn.executemany(
            f'INSERT INTO "{SCHEMA}".contact (id, customer_id, name, email, chat_id) VALUES ($1, $2, $3, $4, $5)',
            contacts,
        )
        await conn.executemany(
            f'INSERT INTO "{SCHEMA}".contract (id, customer_id, tier, tier_rank, starts_on, ends_on, '
            "starts_at, ends_at, policy_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'default-2026.1')",
            contracts,
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def serve(url: str, port: int) -> None:
    """Run the service under uvicorn (child process)."""
    settings = Settings(
        database=DatabaseSettings(url=url, pool_size=20),
        run_relay=False,
        run_consumer=False,
        run_expiry_job=False,
        log_level="WARNING",
        log_json=False,
        internal_token=TOKEN,
    )
    uvicorn.run(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )


async def wait_listening(port: int) -> None:
    for _ in range(500):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.02)
    raise RuntimeError("the service did not start")


async def hammer(port: int, emails: list[str], seconds: float) -> tuple[list[float], float]:
    """HTTP/1.1 keep-alive GETs from CLIENTS connections; minimal client-side cost."""
    latencies: list[float] = []
    await asyncio.sleep(1.0)  # the cache listener connects
    stop_at = time.perf_counter() + seconds

    async def client(n: int) -> None:
        rng = random.Random(SEED + n)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop_at:
                email = rng.choice(emails)
                t = time.perf_counter()
                writer.write(
                    f"GET /api/v1/entitlements?contact_email={email} HTTP/1.1\r\n"
                    f"Host: bench\r\n{PRINCIPAL}\r\n".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 200"), head
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - t)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return latencies, time.perf_counter() - start


def report(label: str, latencies: list[float], elapsed: float) -> None:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    print(
        f"{label:<44} {len(latencies) / elapsed:>9,.0f} checks/s   "
        f"mean {statistics.fmean(latencies) * 1000:.3f} ms  p50 {pct(0.5):.3f}  "
        f"p99 {pct(0.99):.3f} ms  (n={len(latencies):,})"
    )


async def sequential(
    check: Callable[[str], Awaitable[None]], emails: list[str], seconds: float
) -> tuple[list[float], float]:
    rng = random.Random(SEED)
    latencies: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        email = rng.choice(emails)
        t0 = time.perf_counter()
        await check(email)
        latencies.append(time.perf_counter() - t0)
    return latencies, time.perf_counter() - start


async def in_process_phases(app: Any, url: str, seconds: float, sizes: Sizes) -> list[str]:
    """Load the data, then phases 0-2 inside this process; return the hot contacts."""
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://entitlement",
            headers=ADMIN,
        ) as asgi,
    ):
        t0 = time.perf_counter()
        emails = await load(asgi, url, sizes)
        print(
            f"loaded {sizes.customers:,} customers / {len(emails):,} contacts in {time.perf_counter() - t0:.1f} s"
        )
        runtime = app.state.runtime

        async def use_case(email: str) -> None:
            await checks.entitlement_for_contact(
                email=email, chat_id=None, at=datetime.now(UTC), uow=runtime.uow()
            )

        async def in_process(email: str) -> None:
            r = await asgi.get("/api/v1/entitlements", params={"contact_email": email})
            assert r.status_code == 200, r.text

        cache = runtime.state.entitlement_cache
        while not cache.enabled:  # noqa: ASYNC110 - the listener connects by itself
            await asyncio.sleep(0.01)
        cache.enabled = False
        await sequential(use_case, emails, 0.5)  # warm the pool and the policy documents
        report(
            "0. uncached (one indexed query, sequential)",
            *await sequential(use_case, emails, seconds),
        )
        cache.enabled = True
        hot = random.Random(SEED).sample(emails, sizes.hot)  # the contacts opening tickets now
        for email in hot:
            await use_case(email)
        report("1. service time (use case, sequential)", *await sequential(use_case, hot, seconds))
        report("2. in-process HTTP (ASGI, sequential)", *await sequential(in_process, hot, seconds))
        print(f"cache: {cache.hits:,} hits, {cache.misses:,} misses, generation {cache.generation}")
    return hot


async def uvicorn_phase(url: str, port: int, hot: list[str], seconds: float) -> None:
    """3. Real HTTP: uvicorn in its own process (as deployed), raw keep-alive clients here."""
    ctx = multiprocessing.get_context("spawn")
    server_proc = ctx.Process(target=serve, args=(url, port), daemon=True)
    server_proc.start()
    try:
        await wait_listening(port)
        latencies = await hammer(port, hot, seconds)
        report(f"3. uvicorn process, {CLIENTS} concurrent keep-alive clients", *latencies)
    finally:
        server_proc.terminate()
        server_proc.join(10)


async def main(seconds: float, sizes: Sizes) -> None:
    server = maintenance_url()
    url = await create_database(server, prefix="bench_entitlement")
    try:
        await run_migrations_async(
            script_location=migrations_dir("entitlement"), url=url, schema=SCHEMA
        )
        port = free_port()
        settings = Settings(
            database=DatabaseSettings(url=url, pool_size=20),
            run_relay=False,
            run_consumer=False,
            run_expiry_job=False,
            log_level="WARNING",
            log_json=False,
            port=port,
            internal_token=TOKEN,
        )
        hot = await in_process_phases(create_app(settings), url, seconds, sizes)
        await uvicorn_phase(url, port, hot, seconds)
    finally:
        await drop_database(server, url)


if __name__ == "__main__":
    argv, is_smoke = smoke.positional()
    seconds = float(argv[0]) if argv else 0.2 if is_smoke else 5.0
    asyncio.run(main(seconds, SMOKE if is_smoke else Sizes()))
