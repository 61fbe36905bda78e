"""The gateway against real PostgreSQL, with upstreams replaced by an in-process transport."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.config import Settings
from shared.settings import DatabaseSettings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

ADMIN = "gw-test-admin-key-4f1c"
seen: list[httpx.Request] = []


def _upstream(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    if request.url.host == "127.0.0.1" and request.url.port == 1:  # the "down" service
        raise httpx.ConnectError("connection refused", request=request)
    return httpx.Response(
        201,
        json={"path": request.url.path, "query": str(request.url.query, "ascii")},
        headers={"x-upstream": "yes", "server": "upstream"},
    )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def gateway(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        notification_url="http://127.0.0.1:1",
        log_json=False,
    )
    app = create_app(settings, upstream_transport=httpx.MockTransport(_upstream))
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://gw"
        ) as client,
    ):
        yield client


def _auth(key: str = ADMIN) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class TestAuthentication:
    async def test_missing_key_is_401_problem(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/tickets")

        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "/problems/missing-api-key"
        assert "Authorization: Bearer" in r.json()["detail"]

    async def test_unknown_key_is_401_problem(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/tickets", headers=_auth("sd_nope_nope"))

        assert r.status_code == 401
        assert r.json()["type"] == "/problems/invalid-api-key"

    async def test_issued_key_works_until_revoked(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.post(
            "/api/v1/api-keys", json={"name": "bot", "role": "bot"}, headers=_auth()
        )
        assert r.status_code == 201, r.text
        key, key_id = r.json()["key"], r.json()["id"]

        assert (await gateway.get("/api/v1/tickets", headers=_auth(key))).status_code == 201
        revoked = await gateway.delete(f"/api/v1/api-keys/{key_id}", headers=_auth())
        assert revoked.status_code == 204
        after_revoke = await gateway.get("/api/v1/tickets", headers=_auth(key))
        assert after_revoke.status_code == 401

    async def test_only_admins_issue_keys(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.post(
            "/api/v1/api-keys", json={"name": "agent", "role": "agent"}, headers=_auth()
        )
        agent_key = r.json()["key"]

        refused = await gateway.post(
            "/api/v1/api-keys", json={"name": "x", "role": "admin"}, headers=_auth(agent_key)
        )

        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/admin-only"

    async def test_key_request_with_unknown_field_is_422_naming_it(
        self, gateway: httpx.AsyncClient
    ) -> None:
        r = await gateway.post(
            "/api/v1/api-keys", json={"name": "x", "role": "bot", "is_root": True}, headers=_auth()
        )

        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["body.is_root"]


class TestForwarding:
    async def test_forwards_path_query_and_principal(self, gateway: httpx.AsyncClient) -> None:
        seen.clear()
        r = await gateway.post(
            "/api/v1/tickets?x=1", json={"a": 1}, headers={**_auth(), "x-request-id": "req-42"}
        )

        assert r.status_code == 201
        assert r.json() == {"path": "/api/v1/tickets", "query": "x=1"}
        assert r.headers["x-request-id"] == "req-42"
        assert r.headers["x-upstream"] == "yes"
        [upstream] = seen
        assert upstream.url.host == "127.0.0.1"
        assert upstream.url.port == 8101
        assert upstream.headers["x-request-id"] == "req-42"
        assert upstream.headers["x-principal-role"] == "admin"
        assert "authorization" not in upstream.headers  # the key never leaves the gateway
        assert json.loads(upstream.content) == {"a": 1}

    async def test_generates_a_request_id_when_none_is_given(
        self, gateway: httpx.AsyncClient
    ) -> None:
        r = await gateway.get("/api/v1/customers", headers=_auth())

        assert len(r.headers["x-request-id"]) == 36

    async def test_service_down_is_503_naming_it(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/notifications/observed", headers=_auth())

        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["service"] == "notification"
        assert "notification" in r.json()["detail"]

    async def test_serves_the_event_catalogue_without_a_key(
        self, gateway: httpx.AsyncClient
    ) -> None:
        r = await gateway.get("/asyncapi.json")

        assert r.status_code == 200
        assert r.json()["asyncapi"] == "3.0.0"
        assert "ticket_created" in r.json()["channels"]["support.tickets.v1"]["messages"]

    async def test_unknown_route_is_404_problem(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/nothing-here", headers=_auth())

        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
