"""Fixtures of notification's integration tests: a private database, the app, real receivers.

The database holds only the notification schema, so no other process's worker claims
these deliveries. The app runs its lifespan (engine, routes) without consumer, relay or
worker; tests feed envelopes to the handlers and run worker rounds themselves.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import text

from notification.adapters.subscriptions import forget_subscriptions
from notification.app import create_app
from notification.config import SCHEMA, Settings
from notification.handlers import NotificationHandlers
from notification.worker import DeliveryWorker
from shared.db import run_migrations
from shared.events.base import Envelope, EventData, current_causation, current_correlation
from shared.events.tickets import TicketCreated
from shared.infra.mailcatcher import MailCatcher
from shared.infra.net import free_port
from shared.messaging.handlers import inbox_name
from shared.runtime import ServiceRuntime, migrations_dir
from shared.settings import DatabaseSettings
from shared.testing.infra import create_database, drop_database
from shared.testing.receiver import WebhookReceiver

TOKEN = "integration-token"


@pytest.fixture(scope="session")
def notification_database_url(postgres_server_url: str) -> Iterator[str]:
    url = asyncio.run(create_database(postgres_server_url, prefix="notification_test"))
    run_migrations(script_location=migrations_dir("notification"), url=url, schema=SCHEMA)
    yield url
    asyncio.run(drop_database(postgres_server_url, url))


@pytest.fixture(scope="session")
def catcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailCatcher]:
    mail = MailCatcher(tmp_path_factory.mktemp("mail"), port=free_port()).start()
    yield mail
    mail.stop()


@pytest.fixture(scope="session")
def settings(notification_database_url: str, catcher: MailCatcher) -> Settings:
    return Settings(
        database=DatabaseSettings(url=notification_database_url),
        run_consumer=False,
        run_relay=False,
        run_worker=False,
        internal_token=TOKEN,
        smtp_url=catcher.smtp_url,
        allow_private_webhooks=True,
        email_backoff_base_seconds=0.01,
        webhook_backoff_base_seconds=0.01,
        email_max_attempts=3,
        webhook_max_attempts=2,
        webhook_disable_after_failures=3,
        registration_wait_seconds=600,
        lease_seconds=0.5,
    )


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
def runtime(app: FastAPI) -> ServiceRuntime[Any]:
    return app.state.runtime  # type: ignore[no-any-return]


class Feed:
    """Applies every handler of an event as the consumer does (inbox claim, one commit)."""

    def __init__(self, runtime: ServiceRuntime[Any], settings: Settings) -> None:
        self.runtime = runtime
        # The app's subscription cache: what the API and the worker change, it forgets.
        cache = runtime.state.subscriptions
        self.registry = NotificationHandlers(settings, subscriptions=cache).registry()

    async def __call__(self, data: EventData, subject: Any) -> Envelope:
        envelope = Envelope.wrap(data, source="test", subject=str(subject))
        await self.replay(envelope)
        return envelope

    async def replay(self, envelope: Envelope) -> None:
        corr = current_correlation.set(envelope.id)
        cause = current_causation.set(envelope.id)
        try:
            async with self.runtime.uow() as uow:
                for handler in self.registry.get(envelope.type, ()):
                    name = inbox_name(handler)
                    if await uow.inbox.claim(envelope.id, handler=name, event_type=envelope.type):
                        await handler(envelope, uow)
                await uow.commit()
        finally:
            current_correlation.reset(corr)
            current_causation.reset(cause)


@pytest.fixture
def feed(runtime: ServiceRuntime[Any], settings: Settings) -> Feed:
    return Feed(runtime, settings)


@pytest_asyncio.fixture(loop_scope="session")
async def worker(runtime: ServiceRuntime[Any], settings: Settings) -> AsyncIterator[DeliveryWorker]:
    w = DeliveryWorker(runtime, settings)
    yield w
    await w.aclose()


async def rows(runtime: ServiceRuntime[Any], sql: str, **params: Any) -> list[Any]:
    async with runtime.uow() as uow:
        return list((await uow.session.execute(text(sql), params)).all())


async def make_all_due(runtime: ServiceRuntime[Any]) -> None:
    async with runtime.uow() as uow:
        await uow.session.execute(
            text(
                f"UPDATE \"{SCHEMA}\".delivery SET next_attempt_at = now() - interval '1 second' "
                "WHERE status IN ('pending', 'sending')"
            )
        )
        await uow.commit()


def api(app: FastAPI, role: str = "admin", customer: uuid.UUID | None = None) -> httpx.AsyncClient:
    headers = {"x-internal-token": TOKEN, "x-principal-id": "k", "x-principal-role": role}
    if customer:
        headers["x-principal-customer"] = str(customer)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://notification", headers=headers
    )


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver(default_status=200)
    yield r
    r.close()


def mail_files(catcher: MailCatcher) -> list[Path]:
    return sorted(Path(catcher.directory).glob("*.eml"))


@pytest_asyncio.fixture(loop_scope="session", autouse=True)
async def _fresh_deliveries(runtime: ServiceRuntime[Any]) -> None:
    """Each test starts with no deliveries, so a worker round claims only its own."""
    async with runtime.uow() as uow:
        await uow.session.execute(
            text(f'TRUNCATE "{SCHEMA}".delivery_attempt, "{SCHEMA}".delivery, "{SCHEMA}".outbox')
        )
        await uow.session.execute(text(f'DELETE FROM "{SCHEMA}".webhook_subscription'))
        await uow.session.execute(
            text(f'TRUNCATE "{SCHEMA}".failing_address, "{SCHEMA}".sender_answer')
        )
        await uow.commit()
    forget_subscriptions(runtime)


def created(customer: uuid.UUID, **kw: Any) -> TicketCreated:
    """A ticket.created of ``customer`` (a new ticket each call)."""
    ticket_id = uuid.uuid4()
    fields: dict[str, Any] = {
        "ticket_id": ticket_id,
        "customer_id": customer,
        "registration_number": f"TP-2026-{ticket_id.int % 10**6:06d}",
        "severity": "medium",
        "tier": "basic",
        "channel": "api",
        "subject": "It fails",
        "received_at": datetime.now(UTC),
    }
    return TicketCreated(**{**fields, **kw})
