"""Fixtures of intake's mail integration tests: a private database and a real HTTP entitlement.

The database holds only the intake schema, so no other test's process takes these
messages. Entitlement is a small real HTTP server (the client's time-outs, status codes
and problem bodies are the real ones) that knows the contacts a test registers.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.app import create_app
from intake.config import SCHEMA, Settings
from shared import pgconnect
from shared.db import run_migrations
from shared.runtime import migrations_dir
from shared.settings import DatabaseSettings, KafkaSettings
from shared.testing.auth import TEST_TOKEN
from shared.testing.infra import create_database, drop_database


class EntitlementServer:
    """Answers ``GET /api/v1/entitlements?contact_email=`` like entitlement does."""

    def __init__(self) -> None:
        self.contacts: dict[str, uuid.UUID] = {}
        self.down = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlparse(self.path)
                email = (parse_qs(url.query).get("contact_email") or [""])[0].lower()
                status, body = outer.answer(url.path, email)
                data = json.dumps(body).encode()
                self.send_response(status)
                kind = "application/problem+json" if status >= 400 else "application/json"
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def contact(self, customer_id: uuid.UUID | None = None) -> tuple[str, uuid.UUID]:
        """A new contact's address (of a new customer unless given)."""
        customer = customer_id or uuid.uuid4()
        email = f"c{uuid.uuid4().hex[:10]}@acme.example"
        self.contacts[email] = customer
        return email, customer

    def answer(self, path: str, email: str) -> tuple[int, dict[str, Any]]:
        if self.down:
            return 503, {"type": "/problems/service-unavailable", "status": 503}
        if path != "/api/v1/entitlements":
            return 404, {"type": "/problems/not-found", "status": 404, "detail": path}
        if email not in self.contacts:
            return 404, {
                "type": "/problems/unknown-contact",
                "status": 404,
                "detail": f"{email} is not the email of an active contact of any customer",
            }
        return 200, {
            "customer_id": str(self.contacts[email]),
            "contact_id": str(uuid.uuid5(uuid.NAMESPACE_URL, email)),
            "tier": "standard",
            "policy_version": "test",
            "max_open_tickets": 50,
            "priority": 4,
            "features": {"critical_incidents": True},
        }

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="session")
def entitlement_server() -> Iterator[EntitlementServer]:
    server = EntitlementServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mail_database_url(postgres_server_url: str) -> Iterator[str]:
    """A database of its own with only intake's schema."""
    url = asyncio.run(create_database(postgres_server_url, prefix="intake_mail_test"))
    run_migrations(script_location=migrations_dir("intake"), url=url, schema=SCHEMA)
    yield url
    asyncio.run(drop_database(postgres_server_url, url))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def mail_engine(mail_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = pgconnect.create_engine(mail_database_url, pool_size=5)
    yield engine
    await engine.dispose()


def mail_settings(database_url: str, entitlement_url: str, **over: Any) -> Settings:
    return Settings(
        database=DatabaseSettings(url=database_url),
        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1"),
        run_consumer=False,
        run_relay=False,
        internal_token=TEST_TOKEN,
        entitlement_url=entitlement_url,
        entitlement_timeout_seconds=5,
        mail_poll_seconds=0.2,
        support_addresses="support@support-desk.local",
        **over,
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def mail_api(
    mail_database_url: str, entitlement_server: EntitlementServer
) -> AsyncIterator[httpx.AsyncClient]:
    """intake's app (its mail processor running) on the private database."""
    app = create_app(mail_settings(mail_database_url, entitlement_server.url))
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            yield client
