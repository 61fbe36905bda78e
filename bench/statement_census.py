"""What PostgreSQL is asked per ticket: statements and transactions, by service and by text.

Usage: ``.venv/bin/python bench/statement_census.py [--rate 30 --seconds 10]
[--log /var/log/postgresql/postgresql-15-main.log]``. It starts a stack as
``stack_cost.py`` does, posts one warm-up ticket and lets it settle, then turns on
``log_statement = 'all'`` (``ALTER SYSTEM``, reset in a ``finally``: it needs a
superuser, and the server's log on this machine's Debian layout), posts tickets open
loop, waits for the consumers downstream, and counts the log lines of the stack's
own throwaway database. A statement is what the server executed: an ``executemany``
of eight rows counts eight, ``BEGIN`` and ``COMMIT`` one each.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections import Counter
from pathlib import Path

import asyncpg
import httpx
import stack_cost
from stackcost.load import open_loop

LOG = Path("/var/log/postgresql/postgresql-15-main.log")
LINE = re.compile(r"^\S+ \S+ \S+ \[\d+\] \S+@(\S+) LOG:  (?:statement|execute [^:]*): (.*)$")
SCHEMA = re.compile(r'"?(intake|sla_clock|escalation|notification|entitlement|gateway)"?\.')


async def _log_everything(server: str, on: bool) -> None:
    conn = await asyncpg.connect(server)
    try:
        setting = "SET log_statement = 'all'" if on else "RESET log_statement"
        await conn.execute(f"ALTER SYSTEM {setting}")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


async def _load(target: stack_cost.Target, args: argparse.Namespace) -> int:
    key, body = await stack_cost.customer_key(target)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=target.gateway_url, headers=headers, timeout=30) as api:
        await api.post("/api/v1/tickets", json=body)
        await asyncio.sleep(8)  # the warm-up ticket's work, all of it, before the window
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
    for line in lines:
        match = LINE.match(line)
        if match is None or match[1] != database:
            continue
        sql = re.sub(r"\$\d+", "?", match[2])
        owner = SCHEMA.search(sql)
        bare = sql.rstrip(";").strip().upper()
        kind = "BEGIN/COMMIT" if bare in ("BEGIN", "COMMIT", "ROLLBACK") else "other"
        by_service[owner[1] if owner else kind] += 1
        by_text[sql[:110]] += 1
    total = sum(by_service.values())
    out = [f"tickets: {tickets}", f"statements per ticket: {total / tickets:.1f}"]
    out += [f"  {name:<14} {count / tickets:6.2f}" for name, count in by_service.most_common()]
    out += ["most frequent, per ticket:"]
    out += [f"  {count / tickets:5.2f}  {text}" for text, count in by_text.most_common(30)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--log", type=Path, default=LOG, help="the PostgreSQL server's log")
    args = parser.parse_args()
    if not args.log.exists():
        raise SystemExit(f"{args.log} not found: give the server's log with --log")
    with stack_cost.own_stack() as target:
        offset = args.log.stat().st_size
        tickets = asyncio.run(_load(target, args))
        with args.log.open(errors="replace") as log:
            log.seek(offset)
            lines = log.readlines()
        assert target.database is not None
        print(census(lines, target.database, max(1, tickets)))


if __name__ == "__main__":
    main()
