"""POST /api/v1/sla/simulate in process (no database): roles, answers, problems."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from shared.auth import Role
from shared.testing.auth import TEST_TOKEN, principal_headers
from shared.testing.builders import policy_document
from sla_clock.adapters.policies import EntitlementPolicies
from sla_clock.app import create_app
from sla_clock.config import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

PROGRAMME = policy_document(
    version="programme-sim",
    schedules={"premium": "24x7", "standard": "8x5"},
    targets={"premium": {"critical": ("20min", "3h")}, "standard": {"high": ("4h", "8d")}},
)


def _entitlement(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=PROGRAMME)


@pytest_asyncio.fixture(loop_scope="session")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        Settings(
            run_consumer=False, run_relay=False, run_scheduler=False, internal_token=TEST_TOKEN
        ),
        policies=EntitlementPolicies(
            base_url="http://entitlement",
            version="programme-sim",
            headers={},
            transport=httpx.MockTransport(_entitlement),
        ),
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sla",
        headers=principal_headers(Role.agent),
    ) as c:
        yield c


BODY: dict[str, Any] = {
    "tier": "premium",
    "severity": "critical",
    "received_at": "2026-03-01T03:00:00+00:00",
    "as_of": "2026-03-02T00:00:00+00:00",
    "history": [
        {"kind": "taken_into_work", "at": "2026-03-01T03:30:00+00:00"},
        {"kind": "waiting", "at": "2026-03-01T04:00:00+00:00", "reason": "logs"},
        {"kind": "resumed", "at": "2026-03-01T05:00:00+00:00"},
        {"kind": "resolved", "at": "2026-03-01T06:30:00+00:00"},
    ],
}


async def test_runs_the_history_under_the_programme(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/sla/simulate", json=BODY)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["policy_version"] == "programme-sim"
    response, resolution = body["timers"]
    assert (response["outcome"], response["due_at"]) == ("breached", "2026-03-01T03:20:00+00:00")
    assert (resolution["outcome"], resolution["due_at"]) == ("met", "2026-03-01T07:00:00+00:00")
    assert resolution["pauses"][0]["working_minutes"] == 60
    assert sum(i["minutes"] for i in resolution["intervals"]) == 180


async def test_a_schedule_override_puts_the_tier_on_8x5(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/sla/simulate", json={**BODY, "schedule": {"kind": "8x5"}})
    assert r.status_code == 200, r.text
    response = r.json()["timers"][0]
    # Sunday 06:00 MSK: counting starts Monday 09:00 MSK.
    assert response["due_at"] == "2026-03-02T06:20:00+00:00"
    assert response["skipped_days"] == [{"date": "2026-03-01", "reason": "weekend", "name": None}]


async def test_an_inline_contract_policy_is_used(client: httpx.AsyncClient) -> None:
    contract = policy_document(
        version="contract-7",
        schedules={"premium": "24x7"},
        targets={"premium": {"critical": ("1h", "8h")}},
    )
    r = await client.post("/api/v1/sla/simulate", json={**BODY, "policy": contract})
    assert r.status_code == 200, r.text
    assert r.json()["policy_version"] == "contract-7"
    assert r.json()["timers"][0]["outcome"] == "met"


@pytest.mark.parametrize("role", [Role.admin, Role.manager, Role.agent])
async def test_staff_may_simulate(client: httpx.AsyncClient, role: Role) -> None:
    r = await client.post("/api/v1/sla/simulate", json=BODY, headers=principal_headers(role))
    assert r.status_code == 200


@pytest.mark.parametrize("role", [Role.customer, Role.bot])
async def test_customers_may_not(client: httpx.AsyncClient, role: Role) -> None:
    r = await client.post(
        "/api/v1/sla/simulate", json=BODY, headers=principal_headers(role, uuid.uuid4())
    )
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"history": [{"kind": "teleported", "at": "2026-03-01T04:00:00+00:00"}]}, "kind"),
        ({"history": [{"kind": "resolved", "at": "2026-03-01T04:00:00"}]}, "at"),
        ({"history": [{"kind": "severity_changed", "at": "2026-03-01T04:00:00Z"}]}, "severity"),
        ({"schedule": {"kind": "9x9"}}, "schedule"),
        ({"tier": "standard", "severity": "medium"}, "tier"),
        ({"policy": {"version": "x", "schedules": {}, "targets": {}}}, "policy"),
    ],
)
async def test_bad_input_is_a_problem(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    r = await client.post("/api/v1/sla/simulate", json={**BODY, **change})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in r.text
