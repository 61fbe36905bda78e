"""Fixtures of escalation's integration tests: a private database, the app in process.

Events are delivered to the app's own handler registry the way the consumer applies
them (inbox claim, handler, commit, one transaction per handler), so redelivery and
replay behave as in production; the API is called with the gateway's headers.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from escalation.app import create_app
from escalation.config import SCHEMA, Settings
from escalation.scheduler import OlaScheduler
from shared.clock import FrozenClock
from shared.db import run_migrations
from shared.events.base import Envelope, EventData
from shared.messaging.handlers import inbox_name
from shared.runtime import ServiceRuntime, migrations_dir
from shared.settings import DatabaseSettings
from shared.testing.infra import create_database, drop_database

TOKEN = "escalation-test-token"
START = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 03:00 Moscow: out of hours


def headers(role: str = "admin", customer: uuid.UUID | None = None) -> dict[str, str]:
    """What the gateway sends for a caller of ``role`` (bound to ``customer``)."""
    out = {"x-internal-token": TOKEN, "x-principal-role": role, "x-principal-id": f"key-{role}"}
    if customer is not None:
        out["x-principal-customer"] = str(customer)
    return out


@pytest.fixture(scope="session")
def escalation_database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh database with only the escalation schema (no other scheduler fires here)."""
    url = asyncio.run(create_database(postgres_server_url, prefix="escalation_test"))
    run_migrations(script_location=migrations_dir("escalation"), url=url, schema=SCHEMA)
    yield url
    asyncio.run(drop_database(postgres_server_url, url))


class Desk:
    """The escalation app in process, a frozen clock, and a way to deliver events."""

    def __init__(self, client: httpx.AsyncClient, runtime: ServiceRuntime[Any], clock: FrozenClock):
        self.api = client
        self.runtime = runtime
        self.clock = clock
        self.ola = OlaScheduler(uow_factory=runtime.uow, clock=clock)

    async def deliver(self, envelope: Envelope) -> None:
        """Apply the handlers as the consumer does: in its unit of work (asyncpg's own
        connection: the runtime's ``direct_consumer``), claiming the inbox first."""
        for handler in self.runtime.handlers.get(envelope.type, ()):
            async with self.runtime.consumer_uow() as uow:
                name = inbox_name(handler)  # the consumer's claim name
                if await uow.inbox.claim(envelope.id, handler=name, event_type=envelope.type):
                    await handler(envelope, uow)
                    await uow.commit()

    async def send(
        self, data: EventData, *, subject: uuid.UUID | str, source: str = "test"
    ) -> Envelope:
        envelope = Envelope.wrap(data, source=source, subject=str(subject), time=self.clock.now())
        await self.deliver(envelope)
        return envelope

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.runtime.uow() as uow:
            return list((await uow.session.execute(text(sql), params)).all())

    async def outbox(self, ticket_id: uuid.UUID, event_type: str) -> list[dict[str, Any]]:
        rows = await self.rows(
            "SELECT payload FROM escalation.outbox WHERE key = :k AND event_type = :t ORDER BY seq",
            k=str(ticket_id),
            t=event_type,
        )
        return [r.payload["data"] for r in rows]


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def desk(escalation_database_url: str) -> AsyncIterator[Desk]:
    clock = FrozenClock(START)
    settings = Settings(
        database=DatabaseSettings(url=escalation_database_url, pool_size=5),
        run_consumer=False,
        run_relay=False,
        run_scheduler=False,
        log_json=False,
        log_level="WARNING",
        internal_token=TOKEN,
    )
    app = create_app(settings, clock=clock)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://escalation"
        ) as client,
    ):
        yield Desk(client, app.state.runtime, clock)
