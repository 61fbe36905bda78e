"""Entitlement's audit log: an admin's or manager's change commits its own entry.

The app in process on the session database; the principal headers are the gateway's.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.audit import encode_name
from shared.auth import Role
from shared.testing.auth import principal_headers

from .conftest import Api

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


def _as(role: Role, name: str = "Ops lead, Moscow", **kw: Any) -> dict[str, str]:
    return {
        **principal_headers(role, key_id=str(uuid.uuid4()), **kw),
        "x-principal-name": encode_name(name),
        "x-request-id": f"rid-{uuid.uuid4().hex[:10]}",
    }


async def _entries(ent: Api, **params: str) -> list[dict[str, Any]]:
    r = await ent.http.get("/internal/audit", params=params, headers=_as(Role.manager))
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_a_managers_create_and_update_are_on_record_with_target_and_name(ent: Api) -> None:
    create, patch = _as(Role.manager, "Анна (ops)"), _as(Role.manager)

    created = await ent.http.post("/api/v1/customers", json={"name": "Audited"}, headers=create)
    customer = created.json()["id"]
    updated = await ent.http.patch(
        f"/api/v1/customers/{customer}", json={"name": "Audited 2"}, headers=patch
    )

    assert (created.status_code, updated.status_code) == (201, 200)
    [first] = await _entries(ent, request_id=create["x-request-id"])
    [second] = await _entries(ent, request_id=patch["x-request-id"])
    assert (first["method"], first["path"], first["target_id"]) == (
        "POST",
        "/api/v1/customers",
        customer,
    )
    assert (first["key_name"], first["role"], first["service"]) == (
        "Анна (ops)",
        "manager",
        "entitlement",
    )
    assert first["key_id"] == create["x-principal-id"]
    assert (second["method"], second["target_id"]) == ("PATCH", customer)
    assert second["id"] > first["id"]


async def test_refused_and_invalid_changes_leave_no_entry(ent: Api) -> None:
    customer = await ent.customer()
    agent, invalid, ghost = _as(Role.agent), _as(Role.admin), _as(Role.admin)

    refused = await ent.http.post("/api/v1/customers", json={"name": "No"}, headers=agent)
    bad = await ent.http.post(
        f"/api/v1/customers/{customer['id']}/contacts", json={"name": "X"}, headers=invalid
    )
    missing = await ent.http.patch(
        f"/api/v1/customers/{uuid.uuid4()}", json={"name": "Nobody"}, headers=ghost
    )

    assert (refused.status_code, bad.status_code, missing.status_code) == (403, 422, 404)
    for headers in (agent, invalid, ghost):
        assert await _entries(ent, request_id=headers["x-request-id"]) == []


async def test_other_roles_changes_are_not_audited(ent: Api) -> None:
    """A customer adds its own contact: a change, but only admin and manager ones are on record."""
    customer = await ent.customer()
    agent = _as(Role.agent)

    r = await ent.http.post(
        f"/api/v1/customers/{customer['id']}/contacts",
        json={"name": "C", "email": f"{uuid.uuid4().hex[:8]}@example.com"},
        headers=_as(Role.customer, customer_id=customer["id"]),
    )
    r2 = await ent.http.get("/api/v1/customers", headers=agent)

    assert (r.status_code, r2.status_code) == (201, 200)
    assert await _entries(ent, request_id=agent["x-request-id"]) == []
    assert all(e["role"] in ("admin", "manager") for e in await _entries(ent, limit="500"))


@pytest.mark.parametrize("role", [Role.agent, Role.system, Role.customer, Role.bot])
async def test_the_internal_audit_route_is_closed_to_other_roles(ent: Api, role: Role) -> None:
    bound = {"customer_id": str(uuid.uuid4())} if role in (Role.customer, Role.bot) else {}

    r = await ent.http.get("/internal/audit", headers=_as(role, **bound))

    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"


async def test_the_internal_audit_route_needs_the_internal_token(ent: Api) -> None:
    r = await ent.http.get(
        "/internal/audit", headers={**_as(Role.admin), "x-internal-token": "guess"}
    )

    assert r.status_code == 401
