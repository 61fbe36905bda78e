"""The gateway against real PostgreSQL, with upstreams replaced by an in-process transport."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from shared.testing.auth import TEST_TOKEN

from .conftest import auth, seen

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


class TestAuthentication:
    async def test_missing_key_is_401_problem(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/tickets")

        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "/problems/missing-api-key"
        assert "Authorization: Bearer" in r.json()["detail"]

    async def test_unknown_key_is_401_problem(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/tickets", headers=auth("sd_nope_nope"))

        assert r.status_code == 401
        assert r.json()["type"] == "/problems/invalid-api-key"

    async def test_issued_key_works_until_revoked(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.post(
            "/api/v1/api-keys",
            json={"name": "bot", "role": "customer", "customer_id": str(uuid.uuid4())},
            headers=auth(),
        )
        assert r.status_code == 201, r.text
        key, key_id = r.json()["key"], r.json()["id"]

        assert (await gateway.get("/api/v1/tickets", headers=auth(key))).status_code == 201
        revoked = await gateway.delete(f"/api/v1/api-keys/{key_id}", headers=auth())
        assert revoked.status_code == 204
        after_revoke = await gateway.get("/api/v1/tickets", headers=auth(key))
        assert after_revoke.status_code == 401

    async def test_only_admins_issue_keys(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.post(
            "/api/v1/api-keys", json={"name": "agent", "role": "agent"}, headers=auth()
        )
        agent_key = r.json()["key"]

        refused = await gateway.post(
            "/api/v1/api-keys", json={"name": "x", "role": "admin"}, headers=auth(agent_key)
        )

        assert refused.status_code == 403
        assert refused.json()["type"] == "/problems/role-not-allowed"

    async def test_key_request_with_unknown_field_is_422_naming_it(
        self, gateway: httpx.AsyncClient
    ) -> None:
        r = await gateway.post(
            "/api/v1/api-keys", json={"name": "x", "role": "bot", "is_root": True}, headers=auth()
        )

        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["body.is_root"]


class TestForwarding:
    async def test_forwards_path_query_and_principal(self, gateway: httpx.AsyncClient) -> None:
        seen.clear()
        r = await gateway.post(
            "/api/v1/tickets?x=1", json={"a": 1}, headers={**auth(), "x-request-id": "req-42"}
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
        assert upstream.headers["x-internal-token"] == TEST_TOKEN
        assert "authorization" not in upstream.headers  # the key never leaves the gateway
        assert json.loads(upstream.content) == {"a": 1}

    async def test_forwards_a_non_ascii_header_value_as_its_bytes(
        self, gateway: httpx.AsyncClient
    ) -> None:
        """obs-text in a header (here an Idempotency-Key) is the service's to refuse, not a 500."""
        seen.clear()
        r = await gateway.post(
            "/api/v1/tickets",
            json={},
            headers={
                **auth(),
                "idempotency-key": b"key-\x80\xff",
                "x-principal-role": "admin-spoofed",
            },
        )

        assert r.status_code == 201, r.text
        [upstream] = seen
        assert (b"idempotency-key", b"key-\x80\xff") in upstream.headers.raw
        assert upstream.headers.get_list("x-principal-role") == ["admin"]
        assert len(upstream.headers.get_list("x-request-id")) == 1

    async def test_generates_a_request_id_when_none_is_given(
        self, gateway: httpx.AsyncClient
    ) -> None:
        r = await gateway.get("/api/v1/customers", headers=auth())

        assert len(r.headers["x-request-id"]) == 36

    async def test_service_down_is_503_naming_it(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/webhooks", headers=auth())

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
        r = await gateway.get("/api/v1/nothing-here", headers=auth())

        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
