"""A key revoked or rotated on one gateway replica is refused by another within a second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from gateway.config import Settings
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN

from .conftest import ADMIN, _upstream, auth, new_key, serve

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def replicas(database_url: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two gateways on one database, each with its own key cache and listener."""
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        log_json=False,
    )
    async with (
        serve(settings, httpx.MockTransport(_upstream)) as a,
        serve(settings, httpx.MockTransport(_upstream)) as b,
    ):
        yield [a, b]


async def refused_after(client: httpx.AsyncClient, key: str, since: float) -> float:
    """Seconds from ``since`` until ``client`` answers 401 for ``key`` (fails after 1 s)."""
    while (await client.get("/api/v1/tickets", headers=auth(key))).status_code != 401:
        assert time.monotonic() - since < 1.0, "the other replica still admits the key"
        await asyncio.sleep(0.02)
    return time.monotonic() - since


class TestKeyChangesReachEveryReplica:
    async def test_a_revocation_on_one_replica_is_refused_by_the_other(
        self, replicas: list[httpx.AsyncClient]
    ) -> None:
        a, b = replicas
        key, key_id = await new_key(a, "agent")
        for _ in range(3):  # B has looked the key up and caches it (10 s by default)
            assert (await b.get("/api/v1/tickets", headers=auth(key))).status_code == 201

        revoked = time.monotonic()
        assert (await a.delete(f"/api/v1/api-keys/{key_id}", headers=auth())).status_code == 204

        assert await refused_after(b, key, revoked) < 1.0

    async def test_a_rotation_without_grace_ends_the_old_secret_on_the_other(
        self, replicas: list[httpx.AsyncClient]
    ) -> None:
        a, b = replicas
        key, key_id = await new_key(a, "agent")
        assert (await b.get("/api/v1/tickets", headers=auth(key))).status_code == 201

        rotated = time.monotonic()
        r = await a.post(
            f"/api/v1/api-keys/{key_id}/rotation", json={"grace_seconds": 0}, headers=auth()
        )
        assert r.status_code in (200, 201), r.text

        assert await refused_after(b, key, rotated) < 1.0
        fresh = r.json()["key"]
        assert (await b.get("/api/v1/tickets", headers=auth(fresh))).status_code == 201
