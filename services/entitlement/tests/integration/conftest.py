"""Fixtures of entitlement's integration tests: the app in-process on the session database."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from entitlement.app import create_app
from entitlement.config import Settings
from shared.auth import Role
from shared.clock import Clock
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN, principal_headers


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Api:
    """A client on the in-process app plus builders of unique test data."""

    def __init__(self, client: httpx.AsyncClient, engine: AsyncEngine, app: Any = None) -> None:
        self.http = client
        self.engine = engine
        self.app = app

    async def customer(self, **overrides: Any) -> dict[str, Any]:
        r = await self.http.post(
            "/api/v1/customers", json={"name": unique("Customer"), **overrides}
        )
        assert r.status_code == 201, r.text
        body: dict[str, Any] = r.json()
        return body

    async def contact(self, customer_id: str, **overrides: Any) -> dict[str, Any]:
        body = {"name": "Contact", "email": f"{unique('c')}@example.com", **overrides}
        r = await self.http.post(f"/api/v1/customers/{customer_id}/contacts", json=body)
        assert r.status_code == 201, r.text
        contact: dict[str, Any] = r.json()
        return contact

    async def contract(self, customer_id: str, **body: Any) -> dict[str, Any]:
        r = await self.http.post(f"/api/v1/customers/{customer_id}/contracts", json=body)
        assert r.status_code == 201, r.text
        contract: dict[str, Any] = r.json()
        return contract

    async def entitlement(self, **params: str) -> dict[str, Any]:
        r = await self.http.get("/api/v1/entitlements", params=params)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    async def events(self, event_type: str, subject: str) -> list[dict[str, Any]]:
        """Return the data of events of ``event_type`` about ``subject`` in the outbox, in order."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT payload FROM entitlement.outbox "
                        "WHERE event_type = :t AND payload->>'subject' = :s ORDER BY seq"
                    ),
                    {"t": event_type, "s": subject},
                )
            ).all()
        return [row.payload["data"] for row in rows]


def settings_for(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "run_consumer": False,
        "run_relay": False,
        "run_expiry_job": False,
        "run_maintenance_job": False,
        "log_json": False,
        "internal_token": TEST_TOKEN,
        "log_level": "WARNING",
        **overrides,
    }
    return Settings(database=DatabaseSettings(url=database_url, pool_size=5), **values)


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def ent(database_url: str, engine: AsyncEngine) -> AsyncIterator[Api]:
    """The entitlement app (system clock, no relay, no expiry job) behind an httpx client."""
    app = create_app(settings_for(database_url))
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://entitlement",
            headers=principal_headers(Role.admin),
        ) as client,
    ):
        yield Api(client, engine, app)


@pytest.fixture
def open_app(database_url: str, engine: AsyncEngine) -> Callable[..., Any]:
    """Open another in-process app, e.g. with a frozen clock and the expiry job on."""

    @contextlib.asynccontextmanager
    async def _open(*, clock: Clock, **overrides: Any) -> AsyncIterator[Api]:
        app = create_app(settings_for(database_url, **overrides), clock=clock)
        async with (
            LifespanManager(app) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app),
                base_url="http://entitlement",
                headers=principal_headers(Role.admin),
            ) as client,
        ):
            yield Api(client, engine, app)

    return _open


@pytest.fixture
def new_name() -> Callable[[str], str]:
    """A unique name with a readable prefix."""
    return unique
