"""Through the whole stack: 401s, hostile input the fuzzer found, and the rate-limit headers."""

from __future__ import annotations

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.testing.builders import make_customer_contact

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize(
    ("authorization", "slug"),
    [
        (None, "missing-api-key"),
        ("Bearer sd_00000000_wrong", "invalid-api-key"),
        ("Basic YWRtaW46YWRtaW4=", "malformed-authorization"),
        ("Bearer two words", "malformed-authorization"),
    ],
)
async def test_no_wrong_or_malformed_key_is_401_problem(
    stack: RunningStack, authorization: str | None, slug: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        r = await client.get("/api/v1/tickets", headers=headers)

    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == f"/problems/{slug}"


async def test_a_revoked_key_is_401(stack: RunningStack, api: httpx.AsyncClient) -> None:
    issued = (await api.post("/api/v1/api-keys", json={"name": "gone", "role": "agent"})).json()
    await api.delete(f"/api/v1/api-keys/{issued['id']}")

    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        r = await client.get(
            "/api/v1/tickets", headers={"Authorization": f"Bearer {issued['key']}"}
        )

    assert r.status_code == 401
    assert r.json()["type"] == "/problems/invalid-api-key"


async def test_every_authenticated_answer_carries_the_rate_limit(api: httpx.AsyncClient) -> None:
    r = await api.get("/api/v1/tiers")

    assert r.status_code == 200
    assert int(r.headers["RateLimit-Limit"]) >= int(r.headers["RateLimit-Remaining"]) >= 0
    assert int(r.headers["RateLimit-Reset"]) >= 0


class TestFuzzFindings:
    async def test_an_empty_idempotency_key_is_422(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api)
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": contact["email"], "subject": "x", "severity": "low"},
            headers={"Idempotency-Key": ""},
        )

        assert r.status_code == 422
        assert "idempotency" in r.text.lower()

    async def test_a_nul_character_in_an_article_is_422(self, api: httpx.AsyncClient) -> None:
        r = await api.post(
            "/api/v1/kb/articles",
            json={"kind": "known_error", "title": "t", "body": "b", "tags": ["a\u0000b"]},
        )

        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"

    async def test_a_nul_character_in_a_chat_id_is_422(self, api: httpx.AsyncClient) -> None:
        r = await api.post(
            "/api/v1/intake/chat", json={"chat_id": "a\u0000b", "text": "hi", "message_id": "1"}
        )

        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "chat_id"

    @pytest.mark.parametrize("path", ["/api/v1/tickets/%00", "/api/v1/customers/%1b[2J"])
    async def test_control_characters_in_the_path_are_400_at_the_gateway(
        self, api: httpx.AsyncClient, path: str
    ) -> None:
        r = await api.get(path)

        assert r.status_code == 400
        assert r.json()["type"] == "/problems/invalid-path"
