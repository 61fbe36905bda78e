"""Builders for end-to-end tests: unique customers, contacts and tickets through the gateway."""

from __future__ import annotations

import uuid
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


async def make_contact(api: httpx.AsyncClient, customer_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Contact", "email": f"{unique('c')}@example.com", **overrides}
    r = await api.post(f"/api/v1/customers/{customer_id}/contacts", json=body)
    assert r.status_code == 201, r.text
    contact: dict[str, Any] = r.json()
    return contact


async def make_ticket(api: httpx.AsyncClient, contact_email: str, **overrides: Any) -> dict[str, Any]:
    body = {"contact_email": contact_email, "subject": "Cannot post documents", "severity": "high", **overrides}
    r = await api.post("/api/v1/tickets", json=body)
    assert r.status_code == 201, r.text
    ticket: dict[str, Any] = r.json()
    return ticket
