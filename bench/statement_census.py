"""What PostgreSQL is asked per ticket: statements and transactions, by service and by text.

Usage: ``.venv/bin/python bench/statement_census.py [--rate 30 --seconds 10]
[--log /var/log/postgresql/postgresql-15-main.log] [--private-server] [--smoke]``. It
starts a stack as ``stack_cost.py`` does, posts one warm-up ticket and lets it settle,
then turns on ``log_statement = 'all'`` (``ALTER SYSTEM``, reset in a ``finally``: it
needs a superuser, and the server's log on this machine's Debian layout; with
``--private-server``, which ``--smoke`` implies, it starts an embedded PostgreSQL of
its own in a temporary folder and reads that server's log, so the machine's server is
never reconfigured), posts tickets open
loop, waits for the consumers downstream, and counts the log lines of the stack's
own throwaway database. A statement is what the server executed: an ``executemany``
of eight rows counts eight, ``BEGIN`` and ``COMMIT`` one each.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import smoke
import stack_cost
from stackcost.load import open_loop

from shared.infra.postgres import start_embedded_postgres
from shared.settings import libpq_url, with_database

LOG = Path("/var/log/postgresql/postgresql-15-main.log")
LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] \S+@(\S+) LOG:  (?:statement|execute [^:]*): (.*)$")
# Debian's log_line_prefix, which LINE parses; a private server is given the same.
PREFIX = "%m [%p] %q%u@%d "
SCHEMA = re.compile(r'"?(intake|sla_clock|escalation|notification|entitlement|gateway)"?\.')


async def _log_everything(server: str, on: bool) -> None:
    conn = await asyncpg.connect(server)
    try:
        setting = "SET log_statement = 'all'" if on else "RESET log_statement"
        await conn.execute(f"ALTER SYSTEM {setting}")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


async def _set_prefix(server: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f"ALTER SYSTEM SET log_line_prefix = '{PREFIX}'")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


@contextmanager
def private_server() -> Iterator[tuple[str, Path]]:
    """An embedded PostgreSQL in a temporary folder: its maintenance URL and its log."""
    with tempfile.TemporaryDirectory(prefix="census-pg-") as tmp:
        uri, server = start_embedded_postgres(Path(tmp))
        try:
            url = with_database(libpq_url(uri), "postgres")
            asyncio.run(_set_prefix(url))
            yield url, Path(tmp) / "log"
        finally:
            server.cleanup()


async def _load(target: stack_cost.Target, args: argparse.Namespace) -> int:
    key, body = await stack_cost.customer_key(target)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=target.gateway_url, headers=headers, timeout=30) as api:
        await api.post("/api/v1/tickets", json=body)
        await asyncio.sleep(args.settle)  # the warm-up ticket's work, all of it, first
        await _log_everything(target.server, True)
        try:
            await asyncio.sleep(1)
            run = await open_loop(
                api, bootstrap=target.bootstrap, body=body, rate=args.rate, seconds=args.seconds
            )
            await asyncio.sleep(3)  # escalation and notification, downstream of the timers
        finally:
            await _log_everything(target.server, False)
    return len(run.scheduled_at)


def census(lines: list[str], database: str, tickets: int) -> str:
    by_service: Counter[str] = Counter()
    by_text: Counter[str] = Counter()
    statements: list[tuple[str, str]] = []  # (backend pid, SQL) of the stack's database
    for line in lines:
        match = LINE.match(line)
        if match is not None and match[2] == database:
            statements.append((match[1], re.sub(r"\$\d+", "?", match[3])))
    # A backend is one pooled connection of one process: the schema its statements name
    # is the service whose BEGIN and COMMIT it sends.
    owner_of: dict[str, str] = {}
    for pid, sql in statements:
        owner = SCHEMA.search(sql)
        if owner and pid not in owner_of:
            owner_of[pid] = owner[1]
    with_tx: Counter[str] = Counter()
    commits: Counter[str] = Counter()
    for pid, sql in statements:
        owner = SCHEMA.search(sql)
        bare = sql.rstrip(";").strip().upper()
        kind = "BEGIN/COMMIT" if bare in ("BEGIN", "COMMIT", "ROLLBACK") else "other"
        by_service[owner[1] if owner else kind] += 1
        by_text[sql[:110]] += 1
        with_tx[owner_of.get(pid, "unknown")] += 1
        commits[owner_of.get(pid, "unknown")] += bare == "COMMIT"
    total = sum(by_service.values())
    out = [f"tickets: {tickets}", f"statements per ticket: {total / tickets:.1f}"]
    out += [f"  {name:<14} {count / tickets:6.2f}" for name, count in by_service.most_common()]
    out += [
        "by service, its BEGIN/COMMIT and unqualified statements included (statements, commits):"
    ]
    out += [
        f"  {name:<14} {count / tickets:6.2f} {commits[name] / tickets:6.2f}"
        for name, count in with_tx.most_common()
    ]
    out += ["most frequent, per ticket:"]
    out += [f"  {count / tickets:5.2f}  {text}" for text, count in by_text.most_common(30)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--log", type=Path, default=LOG, help="the PostgreSQL server's log")
    parser.add_argument(
        "--private-server",
        action="store_true",
        help="start an embedded PostgreSQL of its own and read its log (--log is ignored)",
    )
    parser.add_argument(
        "--settle", type=float, default=8.0, help="seconds after the warm-up ticket"
    )
    args = smoke.parse(parser, rate=3.0, seconds=1.0, private_server=True, settle=2.0)
    if args.private_server:
        with private_server() as (server, log):
            count(args, log, server)
    elif not args.log.exists():
        raise SystemExit(f"{args.log} not found: give the server's log with --log")
    else:
        count(args, args.log, None)


def count(args: argparse.Namespace, log_path: Path, server: str | None) -> None:
    """Start the stack on ``server`` (None: the default one), load it, print the census."""
    with stack_cost.own_stack(server) as target:
        offset = log_path.stat().st_size
        tickets = asyncio.run(_load(target, args))
        with log_path.open(errors="replace") as log:
            log.seek(offset)
            lines = log.readlines()
        assert target.database is not None
        print(census(lines, target.database, max(1, tickets)))


if __name__ == "__main__":
    main()
