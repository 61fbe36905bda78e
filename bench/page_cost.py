"""What a page view costs the server: CPU per view of the portal's pages, all stack processes.

Issue 25's closing figure. It starts the platform on a throwaway database and broker
(``deskstack.stack.throwaway_stack``; ``DATABASE_URL``'s server or 127.0.0.1:5432),
creates a standard customer with a contact and a few tickets (each with comments and
its SLA timers), signs the contact in through the real flow (the sign-in form, the
link from the stack's mail catcher), then for each page:

1. measures the idle CPU of every process of the stack (services, the gateway, the
   PostgreSQL backends of the stack's database; method and error in
   ``bench/stackcost/cpu.py``) over ``--idle`` seconds;
2. requests the page ``--views`` times, one after another, with the session cookie,
   and reports the CPU per view (idle subtracted) and the median latency.

Pages: the portal's ticket list (``/portal``) and a ticket's page
(``/portal/tickets/{id}``); for scale, two bare endpoints measured the same way:
``GET /api/v1/tickets/{id}`` with the same cookie (the JSON read one page makes
several of) and the gateway's ``/health/live`` (no service, no database). The
ratio column is each page against the JSON read.

The desk's pages (the queue at ``/desk`` and a ticket's page) are measured the same
way, as an engineer signed in through the real invitation and password. Usage:
``.venv/bin/python bench/page_cost.py [--views 100] [--idle 5] [--json out.json] [--smoke]``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import smoke
from stackcost.cpu import CpuMeter

from deskstack.stack import RunningStack, throwaway_stack
from shared.settings import libpq_url
from shared.testing.builders import make_customer_contact, move
from shared.testing.infra import maintenance_url
from shared.testing.web import staff_client, wait_for_link

Paths = Callable[[dict[str, str]], str]


@dataclass(frozen=True)
class Measured:
    """One page's figures."""

    name: str
    cpu_ms_per_view: float
    p50_ms: float
    views: int


PAGES: list[tuple[str, str, Paths]] = [
    ("portal: ticket list", "contact", lambda ids: "/portal"),
    ("portal: ticket page", "contact", lambda ids: f"/portal/tickets/{ids['ticket']}"),
    ("desk: queue", "staff", lambda ids: "/desk"),
    ("desk: ticket page", "staff", lambda ids: f"/desk/tickets/{ids['ticket']}"),
    ("bare: GET /api/v1/tickets/{id}", "contact", lambda ids: f"/api/v1/tickets/{ids['ticket']}"),
    ("bare: GET /health/live", "contact", lambda ids: "/health/live"),
]
"""Each page: its name, who views it (the contact or an engineer), its path."""
BASELINE = "bare: GET /api/v1/tickets/{id}"
ROLES = ("customer", "agent")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=100, help="requests of each page")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle measurement")
    parser.add_argument("--tickets", type=int, default=5, help="tickets of the contact")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return smoke.parse(parser, views=3, idle=0.5, tickets=1)


async def _seed(api: httpx.AsyncClient, count: int) -> tuple[str, dict[str, str]]:
    """A business-tier contact (no open-ticket limit) with ``count`` tickets in work."""
    _, contact = await make_customer_contact(api, "business")
    ids: dict[str, str] = {}
    for n in range(count):
        r = await api.post(
            "/api/v1/tickets",
            json={
                "contact_email": contact["email"],
                "subject": f"Posting fails, case {n}",
                "description": "Posting a document fails with error 42.",
                "severity": "high",
                "channel": "web",
            },
        )
        r.raise_for_status()
        ids["ticket"] = r.json()["id"]
        await move(api, ids["ticket"], "take", assignee="bench-agent")
        for text in ("Which version do you run?", "3.2, build 118."):
            comment = {"body": text, "public": True}
            if text.startswith("3"):
                comment["actor"] = {"kind": "customer", "contact_email": contact["email"]}
            await api.post(f"/api/v1/tickets/{ids['ticket']}/comments", json=comment)
    await asyncio.sleep(2)  # sla-clock has every ticket's timers
    return str(contact["email"]), ids


async def _sign_in(stack: RunningStack, email: str) -> httpx.AsyncClient:
    """An HTTP client holding the contact's session cookie (form, mail, link)."""
    client = httpx.AsyncClient(base_url=stack.gateway_url, timeout=30)
    r = await client.post("/portal/signin", data={"email": email})
    r.raise_for_status()
    link = await wait_for_link(stack.mail_dir, email, "/portal/signin/")
    r = await client.get(urlsplit(link).path)
    assert r.status_code == 303, r.text
    return client


async def _measure(
    meter: CpuMeter, name: str, call: Callable[[], Awaitable[httpx.Response]], args: Any
) -> Measured:
    for _ in range(5):  # warm code paths and connections
        (await call()).raise_for_status()
    start, began = meter.mark(), time.monotonic()
    await asyncio.sleep(args.idle)
    idle = sum((await meter.since(start)).values()) / (time.monotonic() - began)
    latencies = []
    start, began = meter.mark(), time.monotonic()
    for _ in range(args.views):
        sent = time.perf_counter()
        (await call()).raise_for_status()
        latencies.append(time.perf_counter() - sent)
    await asyncio.sleep(0.5)  # backends' last samples
    spent = sum((await meter.since(start)).values()) - idle * (time.monotonic() - began)
    return Measured(
        name, 1000 * spent / args.views, 1000 * statistics.median(latencies), args.views
    )


async def run(stack: RunningStack, args: argparse.Namespace) -> list[Measured]:
    async with (
        httpx.AsyncClient(
            base_url=stack.gateway_url, headers=stack.admin_headers(), timeout=30
        ) as api,
        staff_client(api, stack.gateway_url, stack.mail_dir) as (engineer, _),
    ):
        email, ids = await _seed(api, args.tickets)
        contact = await _sign_in(stack, email)
        clients = {"contact": contact, "staff": engineer}
        roots = {name: proc.pid for name, proc in stack.procs.items()}
        database = urlsplit(libpq_url(stack.database_url)).path.lstrip("/")
        out = []
        try:
            async with CpuMeter(roots, database, maintenance_url()) as meter:
                for name, who, path in PAGES:
                    url, client = path(ids), clients[who]
                    call = functools.partial(client.get, url)
                    out.append(await _measure(meter, name, call, args))
        finally:
            await contact.aclose()
    return out


def report(figures: list[Measured]) -> None:
    base = next((m.cpu_ms_per_view for m in figures if m.name == BASELINE), 0.0)
    print(f"{'page':<36} {'CPU ms/view':>12} {'p50 ms':>8} {'x JSON read':>12}")
    for m in figures:
        ratio = f"{m.cpu_ms_per_view / base:.1f}" if base > 0 else "-"
        print(f"{m.name:<36} {m.cpu_ms_per_view:>12.2f} {m.p50_ms:>8.1f} {ratio:>12}")


def main() -> None:
    args = parse_args()
    # What a view costs, not how often one person may ask: no rate limit gets in the way.
    unlimited = json.dumps({r: {"per_second": 100_000, "burst": 100_000} for r in ROLES})
    extra_env = {"gateway": {"GATEWAY_RATE_LIMITS": unlimited}}
    with throwaway_stack(prefix="support_pagecost", extra_env=extra_env) as stack:
        figures = asyncio.run(run(stack, args))
    report(figures)
    if args.json:
        args.json.write_text(json.dumps([m.__dict__ for m in figures], indent=2))


if __name__ == "__main__":
    main()
