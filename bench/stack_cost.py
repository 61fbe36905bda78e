"""What a ticket costs the whole stack: CPU per ticket, latencies, and capacity against a yardstick.

Issue 14's instrument. By default it starts its own stack as ``make run`` does (every
service and the gateway as processes, a throwaway database, a Tansu broker on a free
port), so runs never collide; ``--gateway URL`` uses a running stack instead. Then:

1. creates a premium customer, a contact and a customer API key (the stack started
   here lifts the customer rate limit, 5/s by default, so the load is not refused);
2. measures the idle CPU of every process of the stack over ``--idle`` seconds
   (services, broker, and the PostgreSQL backends serving the stack's database:
   see ``stackcost/cpu.py`` for the method and its error);
3. posts tickets open loop at ``--rate`` per second for ``--seconds`` and reports
   CPU per ticket (idle subtracted), POST p50/p99 and POST -> first
   ``sla.timer.scheduled`` p50/p99 (read from ``support.sla.v1``), both measured
   from each request's scheduled send instant;
4. posts tickets open loop again for ``--quarter`` seconds at a quarter of the
   capacity step 3 implies (the machine's cores ÷ CPU per ticket), half of them from
   a customer whose tickets breach their response target within seconds, and reports
   issue 27's latency goals there: POST and POST -> timer p99, breach ->
   ``escalation.raised`` p99 and event -> ``notification.sent`` p99
   (``stackcost/chain.py``);
5. runs ``wrk -c32`` against a bare FastAPI + asyncpg INSERT endpoint it starts,
   then through the gateway, and reports the ratio of successful requests/s, and the
   bare endpoint's CPU per request: the yardstick issue 27's goals are stated in (a
   ticket in bare requests, idle in bare requests per second), measured in the same
   run so that the machine's speed cancels out.

Usage: ``.venv/bin/python bench/stack_cost.py [--rate 30 --seconds 20 --idle 10 --wrk 10]
[--settle 10] [--smoke] [--json out.json] [--profile DIR] [--profile-idle DIR]``; for a
running stack add ``--gateway URL --admin-key KEY --bootstrap HOST:PORT
[--pids NAME=PID,... --database NAME]`` (without pids/database, CPU is not measured). Uses ``DATABASE_URL``'s server (or 127.0.0.1:5432) for throwaway databases.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import smoke
from pydantic import BaseModel
from stackcost import chain, pgstats, profile
from stackcost.closed import Closed, bare_endpoint, wrk
from stackcost.cpu import CpuMeter
from stackcost.load import OpenLoop, open_loop, tail_window
from stackcost.report import Figures, load_average, pct

from deskstack.services import by_name, migrate_all
from deskstack.stack import TEST_ENV, RunningStack
from shared.events.topics import ALL_TOPICS
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.settings import KafkaSettings, libpq_url
from shared.testing.builders import make_customer_contact
from shared.testing.infra import create_database, drop_database, maintenance_url
from shared.testing.observer import FETCH_WAIT_MS, TopicObserver

UNLIMITED = json.dumps({"customer": {"per_second": 1_000_000, "burst": 1_000_000}})


@dataclass
class Target:
    """The stack under measurement: where to send, what to read, which processes to count."""

    gateway_url: str
    admin_key: str
    bootstrap: str
    server: str  # maintenance database URL of the PostgreSQL server
    roots: dict[str, int] = field(default_factory=dict)
    database: str | None = None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=30.0, help="tickets per second (open loop)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the open-loop load")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    parser.add_argument("--wrk", type=int, default=10, help="seconds of each wrk run (0: skip)")
    parser.add_argument(
        "--settle",
        type=float,
        default=10.0,
        help="seconds after the warm-up ticket, before idle (the consumers sleep 5 s after "
        "their last record: idle is the stack at rest)",
    )
    parser.add_argument(
        "--quarter",
        type=float,
        default=20.0,
        help="seconds of a second open loop at a quarter of the measured capacity (0: skip)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--profile", type=Path, help="py-spy each Python process under load into this folder"
    )
    parser.add_argument(
        "--profile-idle", type=Path, help="py-spy each Python process while idle into this folder"
    )
    parser.add_argument("--gateway", help="use the running stack behind this gateway URL")
    parser.add_argument("--admin-key", help="an admin API key of that stack")
    parser.add_argument("--bootstrap", help="that stack's Kafka bootstrap servers")
    parser.add_argument("--pids", default="", help="that stack's processes: name=pid,...")
    parser.add_argument("--database", help="that stack's database name (its backends count)")
    args = smoke.parse(parser, rate=2.0, seconds=2.0, idle=1.0, wrk=1, settle=1.0, quarter=2.0)
    if args.gateway and not (args.admin_key and args.bootstrap):
        parser.error("--gateway needs --admin-key and --bootstrap")
    return args


def make_run_env() -> dict[str, dict[str, str]]:
    """Undo ``RunningStack``'s test speed-ups (faster polling): measure the stack as ``make run`` runs it."""
    out: dict[str, dict[str, str]] = {}
    for name, env in TEST_ENV.items():
        spec = by_name(name)
        settings = importlib.import_module(f"{spec.module}.config").Settings
        out[name] = {k: _default(settings, k.removeprefix(spec.prefix)) for k in env}
    return out


def _default(settings: type[BaseModel], variable: str) -> str:
    """The default of the setting an environment variable names (``WEB__ATTEMPTS_PER_IP``: nested)."""
    first, *rest = variable.lower().split("__")
    value = settings.model_fields[first].get_default(call_default_factory=True)
    for part in rest:
        value = getattr(value, part)
    return str(value)


@contextmanager
def own_stack(server: str | None = None) -> Iterator[Target]:
    """Start the platform on a throwaway database and broker; drop everything on exit.

    The database is on ``server`` (a maintenance database URL), else ``DATABASE_URL``'s
    server or 127.0.0.1:5432.
    """
    server = server or maintenance_url()
    # Before the database and the broker exist: nothing is left behind if it fails.
    extra = make_run_env()
    # Merged into the gateway's own entries: TEST_ENV has some, and replacing the dict
    # dropped the lifted limit (the load then measured 429s).
    extra["gateway"] = {**extra.get("gateway", {}), "GATEWAY_RATE_LIMITS": UNLIMITED}
    database_url = asyncio.run(create_database(server, prefix="support_cost"))
    port = free_port()
    broker = start_tansu(port)
    bootstrap = f"127.0.0.1:{port}"
    stack = RunningStack(
        database_url=database_url, bootstrap=bootstrap, idempotence=False, extra_env=extra
    )
    try:
        migrate_all(database_url)
        asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), ALL_TOPICS))
        stack.start_all()
        roots = {name: proc.pid for name, proc in stack.procs.items()} | {"tansu": broker.pid}
        database = urlsplit(libpq_url(database_url)).path.lstrip("/")
        yield Target(stack.gateway_url, stack.admin_key, bootstrap, server, roots, database)
    finally:
        stack.stop_all()
        broker.terminate()
        broker.wait(10)
        asyncio.run(drop_database(server, database_url))


def given_stack(args: argparse.Namespace) -> Target:
    roots = {k: int(v) for k, _, v in (p.partition("=") for p in args.pids.split(",") if p)}
    return Target(
        args.gateway, args.admin_key, args.bootstrap, maintenance_url(), roots, args.database
    )


async def customer_key(target: Target) -> tuple[str, dict[str, Any]]:
    """A premium customer's API key and the body of a ticket from its contact."""
    headers = {"Authorization": f"Bearer {target.admin_key}"}
    async with httpx.AsyncClient(base_url=target.gateway_url, headers=headers) as api:
        customer, contact = await make_customer_contact(api, "premium")
        r = await api.post(
            "/api/v1/api-keys",
            json={"name": "stack-cost", "role": "customer", "customer_id": customer["id"]},
        )
        r.raise_for_status()
    body = {"contact_email": contact["email"], "subject": "Benchmark incident", "severity": "high"}
    return str(r.json()["key"]), body


FLUSH_WAIT = 1.2  # s; the PostgreSQL window is the load's plus this


async def _db_counters(target: Target) -> pgstats.DbCounters | None:
    return await pgstats.read(target.server, target.database) if target.database else None


async def _db_delta(
    target: Target, before: pgstats.DbCounters | None
) -> tuple[dict[str, int] | None, pgstats.DbCounters | None]:
    """The counters' change since ``before``, and the reading it was taken from."""
    await asyncio.sleep(FLUSH_WAIT)  # backends flush their counters at most once a second
    now = await _db_counters(target)
    return (now.minus(before) if now and before else None), now


def spies(target: Target, seconds: float, out: Path | None) -> list[subprocess.Popen[bytes]]:
    """py-spy on each Python process of the stack for ``seconds`` (none without ``out``)."""
    return profile.start(target.roots, seconds=seconds, out=out) if out else []


async def joined(procs: list[subprocess.Popen[bytes]]) -> None:
    await asyncio.gather(*(asyncio.to_thread(proc.wait) for proc in procs))


async def measure_cpu(
    target: Target, args: argparse.Namespace, key: str, body: dict[str, Any]
) -> tuple[Figures, OpenLoop]:
    """The idle window, then the open-loop load, with the stack's CPU over each."""
    figures = Figures()
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
    async with (
        CpuMeter(target.roots, target.database, target.server) as meter,
        httpx.AsyncClient(
            base_url=target.gateway_url, headers=headers, limits=limits, timeout=30
        ) as api,
    ):
        await api.post("/api/v1/tickets", json=body)  # warm the connection and code paths
        await asyncio.sleep(args.settle)  # the warm-up ticket and the consumer groups settle
        db = await _db_counters(target)
        start, began = meter.mark(), time.monotonic()
        idle_spies = spies(target, args.idle, args.profile_idle)
        await asyncio.sleep(args.idle)
        idle = await meter.since(start)
        await joined(idle_spies)
        idle_seconds = time.monotonic() - began
        db_idle, db = await _db_delta(target, db)
        start, began = meter.mark(), time.monotonic()
        load_spies = spies(target, args.seconds, args.profile)
        run = await open_loop(
            api, bootstrap=target.bootstrap, body=body, rate=args.rate, seconds=args.seconds
        )
        await asyncio.sleep(2)  # the consumers downstream of the timers (escalation, notification)
        await joined(load_spies)
        loaded = await meter.since(start)
        load_seconds = time.monotonic() - began
        db_load, _ = await _db_delta(target, db)
    tickets = max(1, len(run.scheduled_at))
    if db_idle is not None and db_load is not None:
        figures.notes["postgres_per_ticket"] = pgstats.per_ticket(
            db_idle, idle_seconds, db_load, load_seconds + FLUSH_WAIT, tickets
        )
    figures.idle_cpu_by_group = {g: 1000 * s / idle_seconds for g, s in idle.items()}
    figures.load_cpu_by_group = {
        g: 1000 * (s - idle.get(g, 0.0) / idle_seconds * load_seconds) / tickets
        for g, s in loaded.items()
    }
    figures.figures["idle_cpu_ms_per_s"] = sum(figures.idle_cpu_by_group.values())
    figures.figures["cpu_ms_per_ticket"] = sum(figures.load_cpu_by_group.values())
    figures.notes["load_window_s"] = round(load_seconds, 2)
    # Under overload most requests fail yet cost work: per request sent is the steadier figure.
    per_sent = figures.figures["cpu_ms_per_ticket"] * tickets / max(1, run.sent)
    figures.notes["cpu_ms_per_request_sent"] = round(per_sent, 2)
    # Idle subtraction assumes the pollers keep their idle pace; a starved stack does not.
    raw = 1000 * sum(loaded.values()) / max(1, run.sent)
    figures.notes["cpu_ms_per_request_sent_idle_included"] = round(raw, 2)
    return figures, run


def latency_figures(figures: Figures, run: OpenLoop, args: argparse.Namespace) -> None:
    ms = 1000.0
    figures.figures["post_p50_ms"] = pct(run.post_latencies, 0.5) * ms
    figures.figures["post_p99_ms"] = pct(run.post_latencies, 0.99) * ms
    figures.figures["timer_p50_ms"] = pct(run.timer_lags, 0.5) * ms
    figures.figures["timer_p99_ms"] = pct(run.timer_lags, 0.99) * ms
    figures.notes["sent"] = f"{run.sent} at {args.rate:g}/s for {args.seconds:g} s"
    figures.notes["created"] = len(run.scheduled_at)
    figures.notes["errors"] = run.errors
    figures.notes["tickets_without_timer"] = run.missing_timers
    if run.errors:
        figures.notes["warning"] = (
            "requests failed: the stack did not keep up with the rate; CPU per ticket divides by "
            "the tickets created, and includes the work spent on the failed ones"
        )


async def closed_loop(
    figures: Figures, target: Target, key: str, body: dict[str, Any], seconds: int
) -> None:
    """wrk against the bare endpoint first (the stack idle), then through the gateway."""
    bare_db = await create_database(target.server, prefix="bench_bare")
    name = urlsplit(libpq_url(bare_db)).path.lstrip("/")
    try:
        with bare_endpoint(libpq_url(bare_db)) as (url, pid):
            # Its CPU too (the process and its PostgreSQL backends, as for the stack): the
            # yardstick's cost per transaction on this machine, in this run.
            async with CpuMeter({"bare": pid}, name, target.server) as meter:
                start = meter.mark()
                bare = await asyncio.to_thread(wrk, url, body, key=None, seconds=seconds)
                used = sum((await meter.since(start)).values())
    finally:
        await drop_database(target.server, bare_db)
    if bare.requests:
        ratios(figures, 1000 * used / bare.requests)
    await asyncio.sleep(2)
    gateway = await asyncio.to_thread(
        wrk, f"{target.gateway_url}/api/v1/tickets", body, key=key, seconds=seconds
    )
    record_closed(figures, bare=bare, gateway=gateway)


def ratios(figures: Figures, per_request: float) -> None:
    """Issue 27's figures: the ticket and idle as bare requests of this run (machine speed
    cancels out), and the capacity they imply on this machine's cores."""
    figures.figures["bare_cpu_ms_per_request"] = per_request
    ticket = figures.figures.get("cpu_ms_per_ticket")
    if ticket and per_request > 0:
        figures.figures["ticket_in_bare"] = ticket / per_request
    idle = figures.figures.get("idle_cpu_ms_per_s")
    if idle is not None and per_request > 0:
        figures.figures["idle_in_bare_per_s"] = idle / per_request


def capacity(figures: Figures) -> float | None:
    """Tickets per second the machine's cores could carry at this run's CPU per ticket."""
    ticket = figures.figures.get("cpu_ms_per_ticket")
    if not ticket or ticket <= 0:
        return None
    tps = 1000.0 * (os.cpu_count() or 1) / ticket
    figures.figures["capacity_tps"] = tps
    figures.figures["quarter_rate"] = tps / 4
    return tps


async def quarter_load(
    figures: Figures,
    target: Target,
    key: str,
    body: dict[str, Any],
    seconds: float,
    fallback_rate: float,
) -> None:
    """Issue 27's latency goals: open loop at a quarter of the capacity just measured.

    Half the tickets are ordinary, half breach their response target within seconds
    (``stackcost/chain.py``), so the same phase measures POST, POST -> timer, breach ->
    escalation and event -> email; a breaching ticket costs more than an ordinary one, so
    the load is, if anything, above a quarter.
    """
    tps = capacity(figures)
    if tps is None:  # a starved or tiny run measured no positive CPU per ticket
        tps = 4 * fallback_rate
        figures.notes["quarter_rate"] = "capacity not measured: the quarter runs at --rate"
    admin = {"Authorization": f"Bearer {target.admin_key}"}
    async with httpx.AsyncClient(base_url=target.gateway_url, headers=admin, timeout=30) as api:
        breach_key, breach_body = await chain.breaching_customer(api)
    async with (
        TopicObserver(target.bootstrap, chain.TOPICS) as observer,
        _client(target, key) as plain_api,
        _client(target, breach_key) as breach_api,
    ):
        # One observer for both halves and the chain: the bench's own polling stays small.
        # The halves take turns (the breaching one half a period later): together they
        # are one evenly spaced load at a quarter of capacity, as the 30/s load is, not
        # two tickets at once every other period.
        plain, breaching = await asyncio.gather(
            *(
                open_loop(
                    api,
                    bootstrap=target.bootstrap,
                    body=posted,
                    rate=tps / 8,
                    seconds=seconds,
                    observer=observer,
                    phase=phase,
                )
                for api, posted, phase in ((plain_api, body, 0.0), (breach_api, breach_body, 0.5))
            )
        )
        tickets = set(breaching.scheduled_at)
        with contextlib.suppress(TimeoutError):  # what never came is counted below
            await observer.wait_for(chain.escalated(tickets), count=len(tickets), timeout=60)
        await asyncio.sleep(3)  # the escalations' emails
        downstream = chain.chain_of(list(observer.seen), tickets)
        admitted, announced = chain.hops(
            list(observer.seen), plain.scheduled_at | breaching.scheduled_at
        )
    quarter_figures(figures, plain, breaching, downstream)
    hop_notes(figures, admitted, announced)
    figures.notes["quarter"] = quarter_note(plain, breaching, downstream, tps / 4, seconds)


def quarter_note(
    plain: OpenLoop, breaching: OpenLoop, downstream: chain.Chain, rate: float, seconds: float
) -> str:
    """What the quarter phase sent, what failed, and what of the chain came through."""
    errors = {
        k: plain.errors.get(k, 0) + breaching.errors.get(k, 0)
        for k in plain.errors | breaching.errors
    }
    return (
        f"{plain.sent + breaching.sent} sent at {rate:.1f}/s for {seconds:g} s "
        f"(half breaching), errors {errors}; {downstream.breached} breached, "
        f"{downstream.unescalated} of them not escalated; {len(downstream.sent_lags)} sent"
    )


def quarter_figures(
    figures: Figures, plain: OpenLoop, breaching: OpenLoop, downstream: chain.Chain
) -> None:
    """The quarter phase's four p99s, and each half's and each email source's apart."""
    posts = plain.post_latencies + breaching.post_latencies
    timers = plain.timer_lags + breaching.timer_lags
    figures.figures["quarter_post_p99_ms"] = pct(posts, 0.99) * 1000
    figures.figures["quarter_timer_p99_ms"] = pct(timers, 0.99) * 1000
    seen = plain.timer_seen_lags + breaching.timer_seen_lags
    figures.notes["quarter_timer_seen"] = (
        f"POST -> timer as this bench's observer got it (plus its {FETCH_WAIT_MS} ms fetch "
        f"wait): p50 {pct(seen, 0.5) * 1000:.0f} ms, p99 {pct(seen, 0.99) * 1000:.0f} ms"
    )
    figures.notes["quarter_tail"] = "POST -> timer: " + tail_window(
        plain.timer_lags_at + breaching.timer_lags_at
    )
    figures.figures["quarter_breach_p99_ms"] = pct(downstream.breach_lags, 0.99) * 1000
    figures.figures["quarter_sent_p99_ms"] = pct(downstream.sent_lags, 0.99) * 1000
    for half, run in (("plain", plain), ("breaching", breaching)):
        figures.notes[f"quarter_{half}"] = (
            f"POST p99 {pct(run.post_latencies, 0.99) * 1000:.0f} ms, "
            f"POST -> timer p99 {pct(run.timer_lags, 0.99) * 1000:.0f} ms"
        )
    figures.notes["quarter_sent_by_source"] = {
        kind: f"n={len(lags)} p50 {pct(lags, 0.5) * 1000:.0f} ms, p99 {pct(lags, 0.99) * 1000:.0f} ms"
        for kind, lags in sorted(downstream.sent_lags_by_source.items())
    }


def hop_notes(figures: Figures, admitted: list[float], announced: list[float]) -> None:
    """Where POST -> timer's time goes: intake's half and sla-clock's half."""
    figures.notes["quarter_hops"] = (
        f"POST -> ticket.created published p50 {pct(admitted, 0.5) * 1000:.0f} ms, "
        f"p99 {pct(admitted, 0.99) * 1000:.0f} ms; ticket.created -> sla.timer.scheduled "
        f"published p50 {pct(announced, 0.5) * 1000:.0f} ms, p99 {pct(announced, 0.99) * 1000:.0f} ms"
    )


def _client(target: Target, key: str) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.AsyncClient(base_url=target.gateway_url, headers=headers, timeout=30)


def record_closed(figures: Figures, *, bare: Closed, gateway: Closed) -> None:
    figures.figures["bare_rps"] = bare.ok_per_second
    figures.figures["gateway_rps"] = gateway.ok_per_second
    figures.figures["wrk_ratio"] = gateway.ok_per_second / bare.ok_per_second
    for name, run in (("bare", bare), ("gateway", gateway)):
        figures.notes[f"wrk_{name}"] = (
            f"{run.requests} answers in {run.seconds:.1f} s, {run.non_2xx} non-2xx, "
            f"{run.socket_errors} socket errors"
        )


async def measure(target: Target, args: argparse.Namespace) -> Figures:
    key, body = await customer_key(target)
    load_before = load_average()
    figures, run = await measure_cpu(target, args, key, body)
    latency_figures(figures, run, args)
    if args.quarter:
        await quarter_load(figures, target, key, body, args.quarter, args.rate)
    else:
        capacity(figures)
    if args.wrk and shutil.which("wrk"):
        await closed_loop(figures, target, key, body, args.wrk)
    elif args.wrk:
        figures.notes["wrk"] = "not installed (Debian: apt-get install wrk); closed loop skipped"
    figures.notes["load_average_before"] = load_before
    figures.notes["load_average_after"] = load_average()
    if not target.roots and not target.database:
        figures.notes["cpu"] = "not measured: give --pids and --database for a running stack"
    return figures


def main() -> None:
    args = parse_args()
    if args.gateway:
        figures = asyncio.run(measure(given_stack(args), args))
    else:
        with own_stack() as target:
            figures = asyncio.run(measure(target, args))
    print(figures.table())
    for folder in (args.profile_idle, args.profile):
        for path in sorted(folder.glob("*.txt")) if folder else ():
            print(profile.summarise(path))
    if args.json:
        figures.write_json(args.json)


if __name__ == "__main__":
    main()
