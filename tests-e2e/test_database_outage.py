"""The database refuses connections for 10 s: 503 problem+json meanwhile, full service after.

Runs on the session's stack; the database is made to refuse new connections
(``ALLOW_CONNECTIONS false``) and every open one is terminated, which is what a
restart or failover looks like to the services. Nothing accepted before the
outage is lost, and no service needs a restart to serve again.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from shared.settings import libpq_url
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.stack import RunningStack

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


async def test_a_database_outage_answers_503_then_serves_again_and_loses_nothing(
    stack: RunningStack, api: httpx.AsyncClient, postgres_server_url: str
) -> None:
    customer = await make_customer(api, trained_specialists=1)
    r = await api.post(
        f"/api/v1/customers/{customer['id']}/contracts",
        json={"tier": "extended", "starts_on": "2026-01-01", "ends_on": "2099-12-31"},
    )
    assert r.status_code == 201, r.text
    contact = await make_contact(api, customer["id"])
    before = await make_ticket(api, contact["email"], severity="high")

    database = urlsplit(stack.database_url).path.lstrip("/")
    admin = await asyncpg.connect(libpq_url(postgres_server_url))
    statuses: list[tuple[str, int, str, str | None]] = []
    try:
        await _refuse(admin, database, refuse=True)
        started = time.monotonic()
        while time.monotonic() - started < OUTAGE_SECONDS:
            for path in PROBES:
                got = await api.get(path)
                statuses.append(
                    (
                        path,
                        got.status_code,
                        got.headers.get("content-type", ""),
                        got.headers.get("retry-after"),
                    )
                )
            post = await api.post(
                "/api/v1/tickets",
                json={"contact_email": contact["email"], "subject": "during", "severity": "medium"},
            )
            statuses.append(
                (
                    "POST /tickets",
                    post.status_code,
                    post.headers.get("content-type", ""),
                    post.headers.get("retry-after"),
                )
            )
            await asyncio.sleep(0.5)
    finally:
        await _refuse(admin, database, refuse=False)
        await admin.close()

    assert statuses
    failures = [
        s for s in statuses if s[1] != 503 or not s[2].startswith("application/problem+json")
    ]
    assert not failures, f"every request during the outage answers 503 problem+json: {failures[:5]}"
    no_retry = [s for s in statuses if not (s[3] and int(s[3]) > 0)]
    assert not no_retry, f"each 503 says when to retry: {no_retry[:5]}"

    # Full service again without a restart: every probe answers 200 within a few seconds.
    back = time.monotonic()
    deadline = back + 10
    while True:
        answers = [(await api.get(path)).status_code for path in PROBES]
        if all(code == 200 for code in answers):
            break
        assert time.monotonic() < deadline, f"not recovered: {answers}"
        await asyncio.sleep(0.2)
    print(  # noqa: T201 (the figure for the closing note)
        f"\ndatabase outage {OUTAGE_SECONDS} s: {len(statuses)} requests, all 503 problem+json; "
        f"full service {time.monotonic() - back:.2f} s after it came back"
    )
    after = await make_ticket(api, contact["email"], severity="high")

    # Nothing lost: both tickets have their two timers.
    for ticket in (before, after):
        deadline = time.monotonic() + 20
        while True:
            sla = await api.get(f"/api/v1/tickets/{ticket['id']}/sla")
            timers = sla.json().get("timers", []) if sla.status_code == 200 else []
            if {t["timer"] for t in timers} >= {"response", "resolution"}:
                break
            assert time.monotonic() < deadline, f"timers of {ticket['id']} missing: {sla.text}"
            await asyncio.sleep(0.2)
