"""Inbound mail per second: over SMTP to intake's listener, and on to a ticket each.

Starts the whole platform as ``make run`` does (every service, the gateway and intake's
SMTP listener as processes) on a throwaway database and a fresh Tansu broker, registers
one customer and contact per message (a standard customer may hold one open ticket),
then sends the real ``new_ticket_cp1251.eml`` fixture from each contact with a fresh
Message-ID over ``--sessions`` SMTP sessions at once, and prints:

- messages per second accepted by the listener (each committed before its 250);
- messages per second through to a ticket (from the first send until every message's
  record says ``ticket_created``): parse, screen, entitlement, admission, outbox.

Usage: ``.venv/bin/python bench/mail_intake.py [--count 50] [--sessions 4] [--smoke]``.
Uses ``DATABASE_URL``'s server (or 127.0.0.1:5432) for the throwaway database.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import aiosmtplib
import httpx
import smoke

from deskstack.stack import RunningStack, throwaway_stack
from shared.testing.mailfix import fixture, rewrite_headers

SUPPORT = "support@support-desk.local"


async def contacts(api: httpx.AsyncClient, count: int) -> list[str]:
    sem = asyncio.Semaphore(8)

    async def one(i: int) -> str:
        async with sem:
            r = await api.post(
                "/api/v1/customers", json={"name": f"Mail {i}", "warranty_until": "2099-12-31"}
            )
            r.raise_for_status()
            email = f"mail-{i}-{uuid.uuid4().hex[:6]}@bench.example"
            c = await api.post(
                f"/api/v1/customers/{r.json()['id']}/contacts", json={"name": "B", "email": email}
            )
            c.raise_for_status()
            return email

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def send_all(port: int, messages: list[tuple[str, bytes]], sessions: int) -> None:
    """Each session delivers its share of the messages, one after another."""

    async def session(share: list[tuple[str, bytes]]) -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False, timeout=60)
        await client.connect()
        for sender, raw in share:
            await client.sendmail(sender, [SUPPORT], raw)
        await client.quit()

    await asyncio.gather(*(session(messages[i::sessions]) for i in range(sessions)))


async def settled(api: httpx.AsyncClient, count: int, timeout: float) -> int:
    """Wait until ``count`` records say ticket_created; return how many do."""
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        done, cursor = 0, None
        while True:
            params = {
                "status": "ticket_created",
                "limit": "200",
                **({"cursor": cursor} if cursor else {}),
            }
            page = (await api.get("/api/v1/intake/mail", params=params)).json()
            done += len(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        if done >= count:
            return done
        await asyncio.sleep(0.2)
    return done


async def run(stack: RunningStack, count: int, sessions: int) -> None:
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, headers=stack.admin_headers(), timeout=60
    ) as api:
        senders = await contacts(api, count)
        template = fixture("new_ticket_cp1251.eml")
        messages = [
            (s, rewrite_headers(template, {"From": s, "Message-ID": f"<{uuid.uuid4()}@bench>"}))
            for s in senders
        ]
        start = time.perf_counter()
        await send_all(stack.smtp_port, messages, sessions)
        accepted = time.perf_counter() - start
        done = await settled(api, count, timeout=max(120.0, count * 2.0))
        through = time.perf_counter() - start
    print(f"messages: {count} over {sessions} SMTP sessions ({len(template)} bytes each)")
    print(f"accepted by the listener: {count / accepted:.1f} messages/s ({accepted:.2f} s)")
    print(
        f"through to a ticket:      {done / through:.1f} messages/s ({through:.2f} s, {done} tickets)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50, help="messages to send")
    parser.add_argument("--sessions", type=int, default=4, help="SMTP sessions at once")
    args = smoke.parse(parser, count=3, sessions=2)
    with throwaway_stack(prefix="support_bench_mail") as stack:
        asyncio.run(run(stack, args.count, args.sessions))


if __name__ == "__main__":
    main()
