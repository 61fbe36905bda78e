"""Keys (binding, listing, rotation, revocation, last use), 401s, the audit log, rate limits."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gateway.config import Settings
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN

from .conftest import (
    ADMIN,
    NO_SUCH_CUSTOMER,
    _upstream,
    auth,
    new_key,
    seen,
    serve,
    service_audit,
)

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


class TestKeyBinding:
    @pytest.mark.parametrize("role", ["customer", "bot"])
    async def test_customer_keys_must_be_bound(self, gateway: httpx.AsyncClient, role: str) -> None:
        r = await gateway.post("/api/v1/api-keys", json={"name": "x", "role": role}, headers=auth())

        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert "customer_id" in r.text

    async def test_the_customer_must_exist(self, gateway: httpx.AsyncClient) -> None:
        seen.clear()
        r = await gateway.post(
            "/api/v1/api-keys",
            json={"name": "x", "role": "bot", "customer_id": str(NO_SUCH_CUSTOMER)},
            headers=auth(),
        )

        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "body.customer_id"
        [asked] = seen  # entitlement, over the internal hop, as the gateway's system principal
        assert (asked.url.port, asked.headers["x-principal-role"]) == (8102, "system")
        assert asked.headers["x-internal-token"] == TEST_TOKEN

    @pytest.mark.parametrize("role", ["system", "agent", "manager"])
    async def test_vendor_keys_are_never_bound(self, gateway: httpx.AsyncClient, role: str) -> None:
        r = await gateway.post(
            "/api/v1/api-keys",
            json={"name": "x", "role": role, "customer_id": str(uuid.uuid4())},
            headers=auth(),
        )

        assert r.status_code == 422


class TestMalformedAuthorization:
    @pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer a b", "Bearer ключ", "x"])
    async def test_is_401_problem(self, gateway: httpx.AsyncClient, header: str) -> None:
        r = await gateway.get("/api/v1/tickets", headers={"Authorization": header.encode()})

        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "/problems/malformed-authorization"


class TestKeyLifecycle:
    async def test_listing_shows_no_secret_and_the_last_use(
        self, gateway: httpx.AsyncClient
    ) -> None:
        key, key_id = await new_key(gateway, "agent")
        assert (await gateway.get("/api/v1/tickets", headers=auth(key))).status_code == 201

        listed = await gateway.get("/api/v1/api-keys", headers=auth())
        [mine] = [k for k in listed.json() if k["id"] == key_id]

        assert listed.status_code == 200
        assert key not in listed.text
        assert "digest" not in mine
        assert "key" not in mine
        assert mine["prefix"] == key[:11]
        assert mine["last_used_at"] is not None

    async def test_rotation_keeps_the_old_secret_for_the_grace(
        self, gateway: httpx.AsyncClient
    ) -> None:
        old, key_id = await new_key(gateway, "agent")

        r = await gateway.post(
            f"/api/v1/api-keys/{key_id}/rotation", json={"grace_seconds": 3600}, headers=auth()
        )
        new = r.json()["key"]

        assert r.status_code == 200, r.text
        assert new != old
        for key in (old, new):
            assert (await gateway.get("/api/v1/tickets", headers=auth(key))).status_code == 201

    async def test_rotation_without_grace_ends_the_old_secret(
        self, gateway: httpx.AsyncClient
    ) -> None:
        old, key_id = await new_key(gateway, "agent")

        r = await gateway.post(
            f"/api/v1/api-keys/{key_id}/rotation", json={"grace_seconds": 0}, headers=auth()
        )

        assert (await gateway.get("/api/v1/tickets", headers=auth(old))).status_code == 401
        new = r.json()["key"]
        assert (await gateway.get("/api/v1/tickets", headers=auth(new))).status_code == 201

    async def test_revoking_ends_both_secrets(self, gateway: httpx.AsyncClient) -> None:
        old, key_id = await new_key(gateway, "agent")
        new = (await gateway.post(f"/api/v1/api-keys/{key_id}/rotation", headers=auth())).json()[
            "key"
        ]

        await gateway.delete(f"/api/v1/api-keys/{key_id}", headers=auth())

        for key in (old, new):
            r = await gateway.get("/api/v1/tickets", headers=auth(key))
            assert r.status_code == 401
            assert r.json()["type"] == "/problems/invalid-api-key"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def all_up(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose five services all answer (``gateway`` has notification down)."""
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        log_json=False,
    )
    async with serve(settings, httpx.MockTransport(_upstream)) as client:
        yield client


def _service_entry(at: datetime, path: str) -> dict[str, Any]:
    """An entry as a service's ``/internal/audit`` answers it."""
    return {
        "id": str(uuid7_at(at)),
        "at": at.isoformat(),
        "service": "intake",
        "key_id": None,
        "key_name": "svc",
        "role": "manager",
        "method": "POST",
        "path": path,
        "target_id": None,
        "request_id": f"r-{uuid.uuid4().hex[:6]}",
    }


def uuid7_at(at: datetime) -> uuid.UUID:
    """A UUIDv7 of instant ``at`` (random tail), as ``shared.events.base.new_id`` makes."""
    ms = int(at.timestamp() * 1000)
    tail = uuid.uuid4().int & ((1 << 74) - 1)
    value = (
        (ms << 80) | (0x7 << 76) | ((tail >> 62) << 64) | (0b10 << 62) | (tail & ((1 << 62) - 1))
    )
    return uuid.UUID(int=value)


class TestAudit:
    async def test_key_changes_are_on_record_with_their_target_refusals_are_not(
        self, all_up: httpx.AsyncClient
    ) -> None:
        manager, manager_id = await new_key(all_up, "manager")
        agent, agent_id = await new_key(all_up, "agent")
        refused = await all_up.post(
            "/api/v1/api-keys", json={"name": "y", "role": "admin"}, headers=auth(agent)
        )
        invalid = await all_up.post(
            "/api/v1/api-keys", json={"name": "", "role": "admin"}, headers=auth()
        )
        await all_up.post(f"/api/v1/api-keys/{agent_id}/rotation", headers=auth())
        await all_up.post("/api/v1/customers", json={"name": "A"}, headers=auth(manager))

        issued = (
            await all_up.get("/api/v1/audit", params={"target_id": agent_id}, headers=auth())
        ).json()["items"]
        by_agent = (
            await all_up.get("/api/v1/audit", params={"key_id": agent_id}, headers=auth())
        ).json()["items"]
        by_manager = (
            await all_up.get("/api/v1/audit", params={"key_id": manager_id}, headers=auth())
        ).json()["items"]

        assert (refused.status_code, invalid.status_code) == (403, 422)
        assert [(e["method"], e["path"], e["role"], e["service"]) for e in issued] == [
            ("POST", f"/api/v1/api-keys/{agent_id}/rotation", "admin", "gateway"),
            ("POST", "/api/v1/api-keys", "admin", "gateway"),
        ]
        assert all(e["key_name"] == "seeded admin" and e["request_id"] for e in issued)
        assert by_agent == []  # its refused attempt changed nothing
        assert by_manager == []  # the customer is the service's to record, not the gateway's

    async def test_forwards_the_key_name_of_audited_callers_only(
        self, all_up: httpx.AsyncClient
    ) -> None:
        manager, _ = await new_key(all_up, "manager")
        agent, _ = await new_key(all_up, "agent")
        seen.clear()
        await all_up.post("/api/v1/customers", json={}, headers=auth(manager))
        await all_up.post("/api/v1/tickets", json={}, headers=auth(agent))
        await all_up.post(
            "/api/v1/tickets", json={}, headers={**auth(agent), "x-principal-name": "forged"}
        )

        names = [r.headers.get("x-principal-name") for r in seen]
        assert names[0] is not None
        assert names[0].startswith("manager ")
        assert names[1:] == [None, None]

    async def test_merges_every_service_newest_first_and_pages(
        self, all_up: httpx.AsyncClient
    ) -> None:
        now = datetime.now(UTC)
        older = _service_entry(now - timedelta(hours=2), "/api/v1/customers")
        newer = _service_entry(now + timedelta(hours=1), "/api/v1/staff")
        service_audit[8101] = [older]
        service_audit[8104] = [newer]
        for _ in range(3):
            await new_key(all_up, "agent")

        pages, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await all_up.get("/api/v1/audit", params=params, headers=auth())).json()
            pages.append(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        service_audit.clear()

        entries = [e for page in pages for e in page]
        ids = [e["id"] for e in entries]
        assert all(len(page) <= 2 for page in pages)
        assert ids == sorted(ids, reverse=True)
        assert len(set(ids)) == len(ids)
        assert entries[0]["id"] == newer["id"]
        assert entries[-1]["id"] == older["id"]
        assert {e["service"] for e in entries} == {"intake", "gateway"}

    async def test_a_service_that_does_not_answer_fails_the_read_naming_it(
        self, gateway: httpx.AsyncClient
    ) -> None:
        r = await gateway.get("/api/v1/audit", headers=auth())

        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["service"] == "notification"

    async def test_is_closed_to_agents(self, all_up: httpx.AsyncClient) -> None:
        agent, _ = await new_key(all_up, "agent")

        assert (await all_up.get("/api/v1/audit", headers=auth(agent))).status_code == 403


class TestRateLimit:
    async def test_an_empty_bucket_is_429_with_retry_after(
        self, gateway: httpx.AsyncClient
    ) -> None:
        bot, _ = await new_key(gateway, "bot", uuid.uuid4())  # burst 3 in this module's settings

        answers = [await gateway.get("/api/v1/tickets", headers=auth(bot)) for _ in range(4)]

        assert [r.status_code for r in answers] == [201, 201, 201, 429]
        assert [r.headers["RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
        assert all(r.headers["RateLimit-Limit"] == "3" for r in answers)
        refused = answers[-1]
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["type"] == "/problems/rate-limited"

    async def test_other_keys_keep_their_own_bucket(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/api/v1/tickets", headers=auth())

        assert r.status_code == 201
        assert int(r.headers["RateLimit-Remaining"]) > 3


class TestApiDocument:
    async def test_merges_routed_service_paths_with_renamed_schemas(
        self, gateway: httpx.AsyncClient
    ) -> None:
        doc = (await gateway.get("/openapi.json")).json()

        tickets = doc["paths"]["/api/v1/tickets"]["get"]
        ref = tickets["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/intake.TicketRead"
        assert tickets["x-service"] == "intake"
        assert "/health/live" in doc["paths"]  # the gateway's own, not a service's
        assert "/api/v1/api-keys" in doc["paths"]
        assert "/api/v1/audit" in doc["paths"]
        assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        assert doc["security"] == [{"bearer": []}]
        assert doc["paths"]["/health/live"]["get"]["security"] == []
        assert "/api/v1/nowhere" not in doc["paths"]  # no service owns it at the gateway
        assert any(
            p.startswith("intake ") and p.endswith(" /api/v1/nowhere")
            for p in doc["x-unrouted-paths"]
        )

    async def test_swagger_ui_at_docs(self, gateway: httpx.AsyncClient) -> None:
        r = await gateway.get("/docs")

        assert r.status_code == 200
        assert "/openapi.json" in r.text


class TestHostilePaths:
    @pytest.mark.parametrize("path", ["/api/v1/tickets/%00", "/api/v1/tickets/a%0Ab"])
    async def test_control_characters_are_400_at_the_gateway(
        self, gateway: httpx.AsyncClient, path: str
    ) -> None:
        r = await gateway.get(path, headers=auth())

        assert r.status_code == 400
        assert r.json()["type"] == "/problems/invalid-path"
