"""The access matrix: every route of the gateway's merged OpenAPI document, every role.

Generated from ``GET /openapi.json``: a documented route missing from
``docs/access-table.yaml`` fails the test. For each route and each role (admin,
manager, agent, system, and a customer and a bot key of customer A) the status
class must match the table: an allowed role never gets 401/403 (nor a 5xx),
a refused role gets 403. Then customer A's keys against customer B's ids: 404.
Requests carry random ids and empty bodies, so an allowed call answers 404/422
(or 200 for a read) without changing anything that matters.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deskstack import access
from deskstack.stack import RunningStack
from shared.auth import Role
from shared.testing.builders import make_contact, make_contract, make_customer, make_ticket

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

TABLE = access.load()
METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"\{([^}]+)\}")


@dataclass
class World:
    """Two customers, A (whose keys we hold) and B (whose ids we aim at), and a key per role."""

    keys: dict[Role, str]
    a: dict[str, Any]
    b_ids: dict[str, str]
    b_contact_email: str


async def _key(api: httpx.AsyncClient, role: Role, customer_id: str | None = None) -> str:
    body: dict[str, Any] = {"name": f"matrix {role}", "role": role}
    if customer_id:
        body["customer_id"] = customer_id
    r = await api.post("/api/v1/api-keys", json=body)
    assert r.status_code == 201, r.text
    key: str = r.json()["key"]
    return key


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(stack: RunningStack, api: httpx.AsyncClient) -> World:
    a = await make_customer(api, warranty_until="2099-12-31")
    b = await make_customer(api, warranty_until="2099-12-31", trained_specialists=1)
    await make_contact(api, a["id"])
    b_contact = await make_contact(api, b["id"])
    b_contract = await make_contract(api, b["id"], "extended")
    b_ticket = await make_ticket(api, b_contact["email"])
    keys = {Role.admin: stack.admin_key}
    for role in (Role.manager, Role.agent, Role.system):
        keys[role] = await _key(api, role)
    for role in (Role.customer, Role.bot):
        keys[role] = await _key(api, role, a["id"])
    return World(
        keys=keys,
        a=a,
        b_ids={
            "customer_id": b["id"],
            "contact_id": b_contact["id"],
            "contract_id": b_contract["id"],
            "ticket_id": b_ticket["id"],
        },
        b_contact_email=b_contact["email"],
    )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def gateway(stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def documented(gateway: httpx.AsyncClient) -> set[access.Route]:
    r = await gateway.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "x-missing-services" not in doc, doc.get("x-missing-services")
    assert "x-unrouted-paths" not in doc, doc.get("x-unrouted-paths")  # see routing.ROUTES
    return {
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in METHODS
    }


async def _call(
    gateway: httpx.AsyncClient, method: str, path: str, key: str | None, **kwargs: Any
) -> httpx.Response:
    """One request; an empty rate-limit bucket is waited out (the limit is not under test)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if method in {"POST", "PUT", "PATCH"} and "params" not in kwargs:
        kwargs.setdefault("json", {})
    for _ in range(30):
        r = await gateway.request(method, path, headers=headers, **kwargs)
        if r.status_code != 429:
            return r
        await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
    return r


def _fill(path: str, ids: dict[str, str] | None = None) -> str | None:
    """``path`` with its parameters: B's ids when given (None if one has none), else random."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if ids is not None:
            return ids[name]
        return str(uuid.uuid4()) if name.endswith("_id") else "default"

    try:
        return PARAM.sub(value, path)
    except KeyError:
        return None


async def test_every_documented_route_is_in_the_table(documented: set[access.Route]) -> None:
    missing = sorted(documented - set(TABLE))
    stale = sorted(
        r
        for r in set(TABLE) - documented
        if not (TABLE[r].public or TABLE[r].internal or TABLE[r].page)
    )

    assert not missing, f"routes of /openapi.json missing from docs/access-table.yaml: {missing}"
    assert not stale, f"routes of docs/access-table.yaml not in /openapi.json: {stale}"


async def test_each_role_gets_what_the_table_says(
    gateway: httpx.AsyncClient, world: World, documented: set[access.Route]
) -> None:
    wrong: list[str] = []
    for method, path in sorted(documented & set(TABLE)):
        rule, url = TABLE[(method, path)], _fill(path)
        assert url is not None
        if rule.public:
            r = await _call(gateway, method, url, None)
            if r.status_code >= 400:
                wrong.append(f"{method} {url} without a key: {r.status_code}")
            continue
        for role, key in world.keys.items():
            r = await _call(gateway, method, url, key)
            allowed = role in rule.roles
            ok = (
                r.status_code not in (401, 403) and r.status_code < 500
                if allowed
                else (r.status_code == 403)
            )
            if not ok:
                wrong.append(f"{method} {url} as {role}: {r.status_code} {r.text[:200]}")

    assert not wrong, "\n".join(wrong)


async def test_customer_keys_get_404_for_another_customers_ids(
    gateway: httpx.AsyncClient, world: World
) -> None:
    wrong: list[str] = []
    checked = 0
    for (method, path), rule in sorted(TABLE.items()):
        url = _fill(path, world.b_ids)
        # A page takes a browser session, not a key (its 404 is the browser tests').
        if rule.scope != "own" or "{" not in path or url is None or rule.page:
            continue
        for role in (Role.customer, Role.bot):
            if role not in rule.roles:
                continue
            checked += 1
            r = await _call(gateway, method, url, world.keys[role])
            if r.status_code != 404:
                wrong.append(f"{method} {url} as A's {role}: {r.status_code} {r.text[:200]}")

    assert checked >= 20, checked  # every customer-, contact-, contract- and ticket-id route
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [Role.customer, Role.bot])
async def test_customer_keys_list_and_look_up_only_their_own(
    gateway: httpx.AsyncClient, world: World, role: Role
) -> None:
    key, b = world.keys[role], world.b_ids["customer_id"]

    customers = await _call(gateway, "GET", "/api/v1/customers?limit=500", key)
    tickets_of_b = await _call(gateway, "GET", f"/api/v1/tickets?customer_id={b}", key)
    own_tickets = await _call(gateway, "GET", "/api/v1/tickets", key)
    contact_of_b = await _call(
        gateway, "GET", "/api/v1/entitlements", key, params={"contact_email": world.b_contact_email}
    )
    report = await _call(gateway, "GET", f"/api/v1/sla/report?customer={b}", key)

    assert [c["id"] for c in customers.json()["items"]] == [world.a["id"]]
    assert tickets_of_b.status_code == 404
    assert world.b_ids["ticket_id"] not in own_tickets.text
    assert contact_of_b.status_code == 404
    assert report.status_code == 200
    assert report.json()["customer_id"] == world.a["id"]


async def test_services_answer_nothing_but_health_without_the_gateway(stack: RunningStack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        for service in ("intake", "entitlement", "sla-clock", "escalation", "notification"):
            base = stack.url(service)
            spoofed = {"x-principal-role": "admin", "x-internal-token": "guess"}
            api = await client.get(f"{base}/api/v1/tickets", headers=spoofed)
            spec = await client.get(f"{base}/openapi.json")
            live = await client.get(f"{base}/health/live")
            assert (api.status_code in (401, 404), spec.status_code, live.status_code) == (
                True,
                401,
                200,
            ), service
