"""Fixtures of sla-clock's integration tests: a private database, tickets as envelopes.

The scheduler fires every due alarm in its schema, so these tests use a database of
their own (only the sla_clock schema): no other test's alarms, and no other process's
scheduler (the e2e stack's) can fire theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.auth import Role
from shared.clock import Clock
from shared.db import run_migrations, sessionmaker
from shared.events.base import Envelope, current_causation, current_correlation
from shared.events.tickets import (
    TicketCorrectiveAction,
    TicketCreated,
    TicketHardwareFault,
    TicketSeverityChanged,
    TicketStatusChanged,
)
from shared.runtime import migrations_dir
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN, principal_headers
from shared.testing.builders import policy_document
from shared.testing.infra import create_database, drop_database
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.app import create_app
from sla_clock.config import SCHEMA, Settings
from sla_clock.handlers import make_handlers

ON_CALL = policy_document(
    version="on-call-test",
    schedules={"premium": "24x7"},
    targets={
        "premium": {"critical": ("20min", "3h"), "high": ("30min", "4h"), "medium": ("2h", "32h")}
    },
    warning_percents=[50, 75, 90],
)
"""The policy these tests' tickets carry unless a test gives its own."""


@pytest.fixture(scope="session")
def sla_database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh database with only the sla_clock schema, for sla-clock's tests alone."""
    url = asyncio.run(create_database(postgres_server_url, prefix="sla_clock_test"))
    run_migrations(script_location=migrations_dir("sla_clock"), url=url, schema=SCHEMA)
    yield url
    asyncio.run(drop_database(postgres_server_url, url))


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def sla_engine(sla_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(sla_database_url, pool_size=10)
    yield engine
    await engine.dispose()


class Desk:
    """Feeds ticket events to sla-clock's handler, one committed transaction each."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine)
        self.handlers = make_handlers()
        [self.handler] = {h for hs in self.handlers.values() for h in hs}

    def uow(self, *, direct: bool = False) -> SlaUnitOfWork:
        return SlaUnitOfWork(self.sessions, schema=SCHEMA, source="sla-clock", direct=direct)

    async def deliver(self, envelope: Envelope) -> None:
        """Apply the handler as the consumer does: causation and correlation set, on
        asyncpg's own connection (the runtime's ``direct_consumer``), after an inbox claim
        that takes the ticket's lock. The claim's handler name is new each time, so a
        redelivery gets past it and the ticket's history is what absorbs it."""
        corr = current_correlation.set(envelope.correlationid or envelope.id)
        cause = current_causation.set(envelope.id)
        try:
            async with self.uow(direct=True) as uow:
                locks = uow.claim_locks([envelope.subject])
                handler = f"desk.{uuid.uuid4().hex}"
                await uow.inbox.claim(envelope.id, handler=handler, locks=locks)
                await self.handler(envelope, uow)
                await uow.commit()
        finally:
            current_correlation.reset(corr)
            current_causation.reset(cause)

    async def created(
        self,
        *,
        at: datetime,
        tier: str = "premium",
        severity: str = "critical",
        policy: dict[str, Any] | None = None,
        customer_id: uuid.UUID | None = None,
    ) -> tuple[uuid.UUID, Envelope]:
        ticket_id = uuid.uuid4()
        envelope = wrap(
            TicketCreated(
                ticket_id=ticket_id,
                customer_id=customer_id or uuid.uuid4(),
                status="new",
                occurred_at=at,
                registration_number=f"TP-{ticket_id.hex[:6]}",
                severity=severity,
                tier=tier,
                channel="api",
                subject="It is down",
                received_at=at,
                policy=policy or ON_CALL,
                policy_version=(policy or ON_CALL)["version"],
            ),
            ticket_id,
        )
        await self.deliver(envelope)
        return ticket_id, envelope

    async def move(
        self, ticket_id: uuid.UUID, frm: str, to: str, at: datetime, reason: str | None = None
    ) -> Envelope:
        envelope = wrap(
            TicketStatusChanged(
                ticket_id=ticket_id,
                status=to,
                occurred_at=at,
                from_status=frm,
                to_status=to,
                reason=reason,
            ),
            ticket_id,
        )
        await self.deliver(envelope)
        return envelope

    async def severity(
        self, ticket_id: uuid.UUID, severity: str, at: datetime, tier: str | None = None
    ) -> None:
        await self.deliver(
            wrap(
                TicketSeverityChanged(
                    ticket_id=ticket_id,
                    occurred_at=at,
                    severity=severity,
                    previous_severity="medium",
                    tier=tier,
                ),
                ticket_id,
            )
        )

    async def corrective(self, ticket_id: uuid.UUID, kind: str, at: datetime) -> None:
        await self.deliver(
            wrap(TicketCorrectiveAction(ticket_id=ticket_id, occurred_at=at, kind=kind), ticket_id)
        )

    async def hardware(self, ticket_id: uuid.UUID, at: datetime) -> None:
        await self.deliver(
            wrap(TicketHardwareFault(ticket_id=ticket_id, occurred_at=at, reason="PSU"), ticket_id)
        )

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())

    async def events(self, ticket_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
        """The sla events staged in the outbox for a ticket, in order: (type, data)."""
        rows = await self.rows(
            "SELECT event_type, payload FROM sla_clock.outbox WHERE key = :k ORDER BY seq",
            k=str(ticket_id),
        )
        return [(r.event_type, r.payload["data"]) for r in rows]

    async def alarms(self, ticket_id: uuid.UUID) -> list[Any]:
        return await self.rows(
            "SELECT * FROM sla_clock.timer_alarm WHERE ticket_id = :t ORDER BY fire_at, id",
            t=ticket_id,
        )


def wrap(data: Any, ticket_id: uuid.UUID) -> Envelope:
    return Envelope.wrap(data, source="intake", subject=str(ticket_id))


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def desk(sla_engine: AsyncEngine) -> Desk:
    return Desk(sla_engine)


def settings_for(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "run_consumer": False,
        "run_relay": False,
        "run_scheduler": False,
        "log_json": False,
        "internal_token": TEST_TOKEN,
        "log_level": "WARNING",
        "scheduler_poll_seconds": 0.05,
        **overrides,
    }
    return Settings(database=DatabaseSettings(url=database_url, pool_size=5), **values)


@contextlib.asynccontextmanager
async def open_app(
    database_url: str, *, clock: Clock | None = None, **overrides: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """The sla-clock app in process (no consumer, no relay), with an injected clock."""
    app = create_app(settings_for(database_url, **overrides), clock=clock)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://sla",
            headers=principal_headers(Role.admin),
        ) as client,
    ):
        yield client, app.state.runtime


@pytest.fixture
def sla_app(sla_database_url: str) -> Any:
    """Open the app in process: ``async with sla_app(clock=..., run_scheduler=True)``."""

    def _open(**kwargs: Any) -> Any:
        return open_app(sla_database_url, **kwargs)

    return _open
