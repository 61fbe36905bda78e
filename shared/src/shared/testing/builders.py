"""Builders for end-to-end tests: unique customers, contacts and tickets through the gateway."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def make_customer(api: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    body = {"name": unique("Customer"), **overrides}
    r = await api.post("/api/v1/customers", json=body)
    assert r.status_code == 201, r.text
    customer: dict[str, Any] = r.json()
    return customer


async def make_contact(
    api: httpx.AsyncClient, customer_id: str, **overrides: Any
) -> dict[str, Any]:
    body = {"name": "Contact", "email": f"{unique('c')}@example.com", **overrides}
    r = await api.post(f"/api/v1/customers/{customer_id}/contacts", json=body)
    assert r.status_code == 201, r.text
    contact: dict[str, Any] = r.json()
    return contact


async def make_ticket(
    api: httpx.AsyncClient, contact_email: str, **overrides: Any
) -> dict[str, Any]:
    body = {
        "contact_email": contact_email,
        "subject": "Cannot post documents",
        "severity": "high",
        **overrides,
    }
    r = await api.post("/api/v1/tickets", json=body)
    assert r.status_code == 201, r.text
    ticket: dict[str, Any] = r.json()
    return ticket


async def make_contract(
    api: httpx.AsyncClient, customer_id: str, tier: str, **overrides: Any
) -> dict[str, Any]:
    """Sign a contract for ``tier`` (the customer needs a trained specialist)."""
    body = {"tier": tier, "starts_on": "2026-01-01", "ends_on": "2099-12-31", **overrides}
    r = await api.post(f"/api/v1/customers/{customer_id}/contracts", json=body)
    assert r.status_code == 201, r.text
    contract: dict[str, Any] = r.json()
    return contract


async def make_tiny_policy_customer(
    api: httpx.AsyncClient, *, response: str, resolution: str
) -> dict[str, Any]:
    """A premium customer whose contract carries a 24x7 policy with critical targets such
    as ``"5s"``, so a test sees warnings and breaches within seconds; returns the customer."""
    customer = await make_customer(api, trained_specialists=1)
    today = datetime.now(UTC).date()
    await make_contract(
        api,
        customer["id"],
        "premium",
        starts_on=(today - timedelta(days=1)).isoformat(),
        ends_on=(today + timedelta(days=365)).isoformat(),
        policy={
            "schedule": {"kind": "24x7"},
            "targets": {"critical": {"response": response, "resolution": resolution}},
        },
    )
    return customer


async def make_customer_contact(
    api: httpx.AsyncClient, tier: str = "basic", **contact: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new customer of ``tier`` (basic, standard by warranty, higher by contract) and one contact."""
    if tier == "basic":
        customer = await make_customer(api)
    elif tier == "standard":
        customer = await make_customer(api, warranty_until="2099-12-31")
    else:
        customer = await make_customer(api, trained_specialists=1)
        await make_contract(api, customer["id"], tier)
    return customer, await make_contact(api, customer["id"], **contact)


def act_as_customer(contact_email: str) -> dict[str, Any]:
    """The ``actor`` body member of a customer's contact (see services/intake/README.md)."""
    return {"kind": "customer", "contact_email": contact_email}


async def move(api: httpx.AsyncClient, ticket_id: str, action: str, **body: Any) -> httpx.Response:
    """Post one lifecycle move of a ticket."""
    return await api.post(
        f"/api/v1/tickets/{ticket_id}/transitions", json={"action": action, **body}
    )


async def make_key(api: httpx.AsyncClient, role: str, customer_id: str | None = None) -> str:
    """A new API key of ``role`` (bound to ``customer_id``), issued with the admin client."""
    body: dict[str, Any] = {"name": unique(f"e2e {role}"), "role": role}
    if customer_id is not None:
        body["customer_id"] = customer_id
    r = await api.post("/api/v1/api-keys", json=body)
    assert r.status_code == 201, r.text
    key: str = r.json()["key"]
    return key


@contextlib.asynccontextmanager
async def key_client(
    api: httpx.AsyncClient, role: str, customer_id: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the same gateway with a new key of ``role`` (bound to ``customer_id``)."""
    key = await make_key(api, role, customer_id)
    async with httpx.AsyncClient(
        base_url=api.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    ) as client:
        yield client


def policy_document(
    *,
    schedules: dict[str, str],
    targets: dict[str, dict[str, tuple[str | None, str | None]]],
    version: str = "test-policy",
    warning_percents: list[int] | None = None,
    severity_caps: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Build a small policy document (the shape ``ticket.created.policy`` carries).

    Tests name only the tiers and severities they check, each schedule by its kind
    (``"24x7"``, ``"8x5"``) and each target pair as ``(response, resolution)`` in the
    rules' notation; the programme's own numbers are entitlement's to test.
    """
    doc: dict[str, Any] = {
        "version": version,
        "schedules": {tier: {"kind": kind} for tier, kind in schedules.items()},
        "targets": {
            tier: {
                severity: {"response": response, "resolution": resolution}
                for severity, (response, resolution) in by_severity.items()
            }
            for tier, by_severity in targets.items()
        },
    }
    if warning_percents is not None:
        doc["warning_percents"] = warning_percents
    if severity_caps is not None:
        doc["severity_caps"] = severity_caps
    return doc
