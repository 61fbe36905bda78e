"""Keys (binding, listing, rotation, revocation, last use), 401s, the audit log, rate limits."""

from __future__ import annotations

import uuid

import httpx
import pytest

from shared.testing.auth import TEST_TOKEN

from .conftest import NO_SUCH_CUSTOMER, auth, new_key, seen

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


class TestAudit:
    async def test_records_admin_changes_and_key_management_not_agents(
        self, gateway: httpx.AsyncClient
    ) -> None:
        manager, manager_id = await new_key(gateway, "manager")
        agent, agent_id = await new_key(gateway, "agent")
        await gateway.post("/api/v1/customers", json={"name": "A"}, headers=auth(manager))
        await gateway.post("/api/v1/tickets", json={}, headers=auth(agent))
        await gateway.post(
            "/api/v1/api-keys", json={"name": "y", "role": "admin"}, headers=auth(agent)
        )

        by_manager = await gateway.get(
            "/api/v1/audit", params={"key_id": manager_id}, headers=auth(manager)
        )
        by_agent = (
            await gateway.get("/api/v1/audit", params={"key_id": agent_id}, headers=auth())
        ).json()["items"]
        issued = (
            await gateway.get("/api/v1/audit", params={"target_id": agent_id}, headers=auth())
        ).json()["items"]

        assert by_manager.status_code == 200
        [entry] = by_manager.json()["items"]
        assert (entry["method"], entry["path"], entry["status"]) == (
            "POST",
            "/api/v1/customers",
            201,
        )
        assert (entry["role"], entry["key_name"]) == ("manager", entry["key_name"])
        assert [(e["path"], e["status"]) for e in by_agent] == [("/api/v1/api-keys", 403)]
        assert [(e["method"], e["role"], e["status"]) for e in issued] == [("POST", "admin", 201)]

    async def test_pages_newest_first_and_is_closed_to_agents(
        self, gateway: httpx.AsyncClient
    ) -> None:
        for _ in range(3):
            await new_key(gateway, "agent")
        agent, _ = await new_key(gateway, "agent")

        first = (await gateway.get("/api/v1/audit", params={"limit": 2}, headers=auth())).json()
        second = (
            await gateway.get(
                "/api/v1/audit", params={"limit": 2, "cursor": first["next_cursor"]}, headers=auth()
            )
        ).json()
        refused = await gateway.get("/api/v1/audit", headers=auth(agent))

        times = [e["at"] for e in first["items"] + second["items"]]
        assert times == sorted(times, reverse=True)
        assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
        assert refused.status_code == 403


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
