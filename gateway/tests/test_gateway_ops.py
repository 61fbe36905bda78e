"""The ops page's files and the stream's answers that need no broker: 401, 404, 503."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from gateway.config import Settings
from gateway.stream_hub import StreamSettings
from shared.settings import DatabaseSettings, KafkaSettings
from shared.testing.auth import TEST_TOKEN

from .conftest import ADMIN, auth, new_key, serve

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def no_broker(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose broker address answers nothing (port 1); every customer exists."""
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", request_timeout_ms=1000),
        stream=StreamSettings(start_timeout_seconds=2),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        log_json=False,
    )
    async with serve(settings, httpx.MockTransport(lambda r: httpx.Response(200, json={}))) as c:
        yield c


class TestOpsPage:
    async def test_without_a_staff_session_the_page_sends_to_the_desks_sign_in(
        self, no_broker: httpx.AsyncClient
    ) -> None:
        r = await no_broker.get("/ops")

        assert r.status_code == 303
        assert r.headers["location"] == "/desk/signin?next=/ops"

    async def test_only_the_pages_own_assets_are_served(self, no_broker: httpx.AsyncClient) -> None:
        script = await no_broker.get("/ops/assets/ops.js")
        other = await no_broker.get("/ops/assets/index.py")
        climbing = await no_broker.get("/ops/assets/..%2Fapp.py")

        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        assert "sessionStorage" not in script.text  # no key is kept in the page any more
        assert 'credentials: "same-origin"' in script.text
        assert (other.status_code, climbing.status_code) == (404, 404)
        assert other.headers["content-type"] == "application/problem+json"


class TestStreamWithoutBroker:
    async def test_no_key_is_401(self, no_broker: httpx.AsyncClient) -> None:
        r = await no_broker.get("/api/v1/stream")

        assert r.status_code == 401

    async def test_a_customer_key_asking_for_another_customer_is_404_before_the_broker(
        self, no_broker: httpx.AsyncClient
    ) -> None:
        key, _ = await new_key(no_broker, "customer", uuid.UUID(int=7))

        r = await no_broker.get(f"/api/v1/stream?customer={uuid.UUID(int=8)}", headers=auth(key))

        assert r.status_code == 404

    async def test_an_unreachable_broker_is_503_problem_and_the_rest_still_answers(
        self, no_broker: httpx.AsyncClient
    ) -> None:
        r = await no_broker.get("/api/v1/stream", headers=auth())
        keys = await no_broker.get("/api/v1/api-keys", headers=auth())

        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
        assert "broker" in r.json()["detail"]
        assert keys.status_code == 200

    async def test_a_bad_filter_is_422(self, no_broker: httpx.AsyncClient) -> None:
        r = await no_broker.get("/api/v1/stream?line=4", headers=auth())

        assert r.status_code == 422
