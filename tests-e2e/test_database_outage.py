"""The database refuses connections for 10 s: 503 problem+json meanwhile, full service after.

Runs on the session's stack; the database is made to refuse new connections
(``ALLOW_CONNECTIONS false``) and every open one is terminated, which is what a
restart or failover looks like to the services. Nothing accepted before the
outage is lost, and no service needs a restart to serve again.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from deskstack.stack import RunningStack
from shared.settings import libpq_url
from shared.testing.builders import make_contact, make_customer, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

OUTAGE_SECONDS = 10
# A read of each database-backed service, through the gateway (the tier catalogue is
# served from memory and stays up, as it should).
PROBES = ("/api/v1/tickets", "/api/v1/customers", "/api/v1/sla/report")


async def _refuse(admin: asyncpg.Connection, database: str, refuse: bool) -> None:
    await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(not refuse).lower()}')
    if refuse:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )


Status = tuple[str, int, str, str | None]  # what, status code, content type, retry-after


def _status(what: str, response: httpx.Response) -> Status:
    return (
        what,
        response.status_code,
        response.headers.get("content-type", ""),
        response.headers.get("retry-after"),
    )


async def _customer_contact(api: httpx.AsyncClient) -> dict[str, Any]:
    """A contact of a customer on an extended contract."""
    customer = await make_customer(api, trained_specialists=1)
    r = await api.post(
        f"/api/v1/customers/{customer['id']}/contracts",
        json={"tier": "extended", "starts_on": "2026-01-01", "ends_on": "2099-12-31"},
    )
    assert r.status_code == 201, r.text
    return await make_contact(api, customer["id"])


async def _during_the_outage(
    api: httpx.AsyncClient, stack: RunningStack, postgres_server_url: str, email: str
) -> list[Status]:
    """Refuse connections for OUTAGE_SECONDS, probing reads and a write all along."""
    database = urlsplit(stack.database_url).path.lstrip("/")
    admin = await asyncpg.connect(libpq_url(postgres_server_url))
    statuses: list[Status] = []
    try:
        await _refuse(admin, database, refuse=True)
        started = time.monotonic()
        while time.monotonic() - started < OUTAGE_SECONDS:
            for path in PROBES:
                statuses.append(_status(path, await api.get(path)))
            post = await api.post(
                "/api/v1/tickets",
                json={"contact_email": email, "subject": "during", "severity": "medium"},
            )
            statuses.append(_status("POST /tickets", post))
            await asyncio.sleep(0.5)
    finally:
        await _refuse(admin, database, refuse=False)
        await admin.close()
    return statuses


async def _wait_for_full_service(api: httpx.AsyncClient) -> float:
    """Every probe answers 200 within a few seconds; return how many it took."""
    back = time.monotonic()
    deadline = back + 10
    while True:
        answers = [(await api.get(path)).status_code for path in PROBES]
        if all(code == 200 for code in answers):
            return time.monotonic() - back
        assert time.monotonic() < deadline, f"not recovered: {answers}"
        await asyncio.sleep(0.2)


async def _wait_for_both_timers(api: httpx.AsyncClient, ticket: dict[str, Any]) -> None:
    deadline = time.monotonic() + 20
    while True:
        sla = await api.get(f"/api/v1/tickets/{ticket['id']}/sla")
        timers = sla.json().get("timers", []) if sla.status_code == 200 else []
        if {t["timer"] for t in timers} >= {"response", "resolution"}:
            return
        assert time.monotonic() < deadline, f"timers of {ticket['id']} missing: {sla.text}"
        await asyncio.sleep(0.2)


async def test_a_database_outage_answers_503_then_serves_again_and_loses_nothing(
    stack: RunningStack, api: httpx.AsyncClient, postgres_server_url: str
) -> None:
    contact = await _customer_contact(api)
    before = await make_ticket(api, contact["email"], severity="high")

    statuses = await _during_the_outage(api, stack, postgres_server_url, contact["email"])

    assert statuses
    failures = [
        s for s in statuses if s[1] != 503 or not s[2].startswith("application/problem+json")
    ]
    assert not failures, f"every request during the outage answers 503 problem+json: {failures[:5]}"
    no_retry = [s for s in statuses if not (s[3] and int(s[3]) > 0)]
    assert not no_retry, f"each 503 says when to retry: {no_retry[:5]}"

    # Full service again without a restart: every probe answers 200 within a few seconds.
    took = await _wait_for_full_service(api)
    print(  # noqa: T201 (the figure for the closing note)
        f"\ndatabase outage {OUTAGE_SECONDS} s: {len(statuses)} requests, all 503 problem+json; "
        f"full service {took:.2f} s after it came back"
    )
    after = await make_ticket(api, contact["email"], severity="high")

    # Nothing lost: both tickets have their two timers.
    for ticket in (before, after):
        await _wait_for_both_timers(api, ticket)
