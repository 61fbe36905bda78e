"""The notification API: every route's roles, customer scoping, validation as problem+json."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.events.tickets import TicketCreated

from .conftest import Feed, api

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

ROUTES = [
    ("GET", "/api/v1/notifications"),
    ("GET", f"/api/v1/tickets/{uuid.uuid4()}/notifications"),
    ("POST", "/api/v1/webhooks"),
    ("GET", "/api/v1/webhooks"),
    ("GET", f"/api/v1/webhooks/{uuid.uuid4()}"),
    ("DELETE", f"/api/v1/webhooks/{uuid.uuid4()}"),
    ("GET", f"/api/v1/webhooks/{uuid.uuid4()}/deliveries"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_route_refuses_calls_that_bypass_the_gateway(
    app: FastAPI, method: str, path: str
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://n"
    ) as client:
        r = await client.request(method, path, json={})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/api/v1/webhooks", f"/api/v1/webhooks/{uuid.uuid4()}"])
async def test_an_agent_may_read_notifications_but_not_manage_webhooks(
    app: FastAPI, path: str
) -> None:
    async with api(app, "agent") as agent:
        assert (await agent.get("/api/v1/notifications")).status_code == 200
        assert (await agent.get(path)).status_code == 403


async def _ticket(feed: Feed, customer: uuid.UUID) -> uuid.UUID:
    from datetime import UTC, datetime

    tid = uuid.uuid4()
    await feed(
        TicketCreated(
            ticket_id=tid,
            customer_id=customer,
            registration_number="TP-2026-000010",
            severity="medium",
            tier="basic",
            channel="api",
            subject="s",
            contact_email="c@x.io",
            received_at=datetime.now(UTC),
        ),
        tid,
    )
    return tid


async def test_bound_keys_see_only_their_customer(app: FastAPI, feed: Feed) -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    tid = await _ticket(feed, mine)
    async with api(app, "bot", mine) as own, api(app, "customer", other) as foreign:
        r = await own.get(f"/api/v1/tickets/{tid}/notifications")
        assert r.status_code == 200
        assert [n["template"] for n in r.json()] == ["ticket_registered"]
        assert (await foreign.get(f"/api/v1/tickets/{tid}/notifications")).status_code == 404
        r = await foreign.get("/api/v1/notifications", params={"ticket": str(tid)})
        assert r.json() == []
        r = await own.get("/api/v1/notifications", params={"recipient": "C@x.io"})
        assert [n["ticket_id"] for n in r.json()] == [str(tid)]


async def test_subscription_lifecycle_and_scope(app: FastAPI) -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    body: dict[str, Any] = {"url": "http://127.0.0.1:9/h", "event_types": ["ticket.created"]}
    async with api(app, "bot", mine) as own, api(app, "bot", other) as foreign, api(app) as admin:
        r = await own.post("/api/v1/webhooks", json={**body, "customer_id": str(other)})
        assert r.status_code == 404
        r = await own.post("/api/v1/webhooks", json=body)
        assert r.status_code == 201
        created = r.json()
        assert created["customer_id"] == str(mine)
        assert created["secret"].startswith("whsec_")
        sub = created["id"]
        assert "secret" not in (await own.get(f"/api/v1/webhooks/{sub}")).json()
        assert (await foreign.get(f"/api/v1/webhooks/{sub}")).status_code == 404
        assert (await foreign.delete(f"/api/v1/webhooks/{sub}")).status_code == 404
        assert (await foreign.get(f"/api/v1/webhooks/{sub}/deliveries")).status_code == 404
        assert sub not in [w["id"] for w in (await foreign.get("/api/v1/webhooks")).json()]
        assert sub in [w["id"] for w in (await admin.get("/api/v1/webhooks")).json()]
        assert (await own.get(f"/api/v1/webhooks/{sub}/deliveries")).json() == []
        assert (await own.delete(f"/api/v1/webhooks/{sub}")).status_code == 204
        assert (await own.get(f"/api/v1/webhooks/{sub}")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://127.0.0.1:9/h", "event_types": ["nope"]}, "event_types"),
        ({"url": "ftp://example.com/h", "event_types": ["*"]}, "url"),
        ({"url": "http://127.0.0.1:9/h", "event_types": []}, "body.event_types"),
        ({"url": "http://127.0.0.1:9/h"}, "body.event_types"),
    ],
)
async def test_bad_subscriptions_answer_422_naming_the_field(
    app: FastAPI, body: dict[str, Any], field: str
) -> None:
    async with api(app) as admin:
        r = await admin.post("/api/v1/webhooks", json=body)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_private_receivers_are_refused_unless_allowed(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.runtime.settings, "allow_private_webhooks", False)
    async with api(app) as admin:
        for url in ("http://127.0.0.1:8080/h", "http://localhost/h", "http://169.254.169.254/"):
            r = await admin.post("/api/v1/webhooks", json={"url": url, "event_types": ["*"]})
            assert r.status_code == 422, url
            assert r.json()["type"].endswith("unsafe-webhook-url")
