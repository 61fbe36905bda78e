"""Fixtures of the gateway's tests: real PostgreSQL, upstreams replaced in process."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.config import Settings
from gateway.ratelimit import Limit
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN

ADMIN = "gw-test-admin-key-4f1c"
NO_SUCH_CUSTOMER = uuid.UUID(int=404)
seen: list[httpx.Request] = []
# What each service's ``GET /internal/audit`` holds, by port (tests append entries).
service_audit: dict[int, list[dict[str, Any]]] = {}


SERVICE_SPEC = {
    "openapi": "3.1.0",
    "paths": {
        "/api/v1/tickets": {
            "get": {
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/TicketRead"}
                            }
                        }
                    }
                }
            }
        },
        "/health/live": {"get": {"responses": {"200": {}}}},
        "/api/v1/nowhere": {"get": {"responses": {"200": {}}}},
    },
    "components": {"schemas": {"TicketRead": {"type": "object"}}},
}


def _upstream(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    if request.url.host == "127.0.0.1" and request.url.port == 1:  # the "down" service
        raise httpx.ConnectError("connection refused", request=request)
    if request.url.path == "/internal/audit":
        return _service_audit(request)
    if request.url.path == f"/api/v1/customers/{NO_SUCH_CUSTOMER}":
        return httpx.Response(404, json={"detail": "no such customer"})
    if request.url.path == "/openapi.json":
        if request.headers.get("x-internal-token") != TEST_TOKEN:
            return httpx.Response(401)
        return httpx.Response(200, json=SERVICE_SPEC)
    return httpx.Response(
        201,
        json={"path": request.url.path, "query": str(request.url.query, "ascii")},
        headers={"x-upstream": "yes", "server": "upstream"},
    )


def _service_audit(request: httpx.Request) -> httpx.Response:
    """A service's audit page: its entries older than the cursor, newest first."""
    if request.headers.get("x-principal-role") not in ("admin", "manager"):
        return httpx.Response(403, json={"detail": "role-not-allowed"})
    limit = int(request.url.params.get("limit", "50"))
    cursor = request.url.params.get("cursor")
    entries = sorted(service_audit.get(request.url.port or 0, []), key=lambda e: e["id"])[::-1]
    if cursor:
        entries = [e for e in entries if uuid.UUID(e["id"]) < uuid.UUID(cursor)]
    page = entries[:limit]
    more = len(entries) > limit
    return httpx.Response(
        200, json={"items": page, "next_cursor": page[-1]["id"] if more else None}
    )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def gateway(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        rate_limits={"bot": Limit(per_second=0.01, burst=3)},
        notification_url="http://127.0.0.1:1",
        log_json=False,
    )
    async with serve(settings, httpx.MockTransport(_upstream)) as client:
        yield client


@contextlib.asynccontextmanager
async def serve(
    settings: Settings, upstreams: httpx.AsyncBaseTransport
) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a started gateway whose upstream calls go to ``upstreams``."""
    app = create_app(settings, upstream_transport=upstreams)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://gw"
        ) as client,
    ):
        yield client


async def new_key(
    gateway: httpx.AsyncClient, role: str, customer_id: uuid.UUID | None = None
) -> tuple[str, str]:
    """Issue a key of ``role`` (bound to ``customer_id``); return (key, key id)."""
    body: dict[str, str] = {"name": f"{role} {uuid.uuid4().hex[:6]}", "role": role}
    if customer_id is not None:
        body["customer_id"] = str(customer_id)
    r = await gateway.post("/api/v1/api-keys", json=body, headers=auth())
    assert r.status_code == 201, r.text
    return r.json()["key"], r.json()["id"]


def auth(key: str = ADMIN) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
