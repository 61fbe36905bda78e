"""The intake FastAPI app and its runtime."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from uuid import UUID

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from intake.adapters.blobs import build_store
from intake.adapters.entitlement import EntitlementClient, ReadModelEntitlements
from intake.adapters.entitlement_signal import ChangeSignal
from intake.adapters.mail_listener import MailListener
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.routes import router
from intake.config import SCHEMA, Settings
from intake.domain.config import IntakeConfig
from intake.handlers import TOPICS, build_handlers
from intake.metrics import queue_sampler
from intake.uow import AttachmentStore
from intake.usecases import lifecycle
from intake.usecases.mail_attachments import StoreMailAttachments
from intake.usecases.mail_processing import MailContext, ProcessMail
from shared.auth import system_principal_headers
from shared.clock import Clock
from shared.events.contracts import CHANGE_CHANNEL
from shared.observability.tracing import inject_headers
from shared.poller import DurablePoller
from shared.runtime import ServiceRuntime, build_app
from shared.web.balanced import balanced_transport, first_url


@dataclass
class IntakeState:
    """What intake's runtime holds besides the shared resources (read by the routes)."""

    config: IntakeConfig
    http: httpx.AsyncClient | None = None
    entitlements: EntitlementClient | None = None
    attachments: AttachmentStore | None = None
    # Entitlement's change signal as this process hears it (the read model's freshness).
    entitlement_signal: ChangeSignal | None = None


IntakeRuntime = ServiceRuntime[IntakeUnitOfWork, Settings, IntakeState]
AUTO_CLOSE_BATCH = 50  # tickets closed per transaction
MAIL_BATCH = 10  # inbound messages leased per pass (each is processed in its own transactions)
MAIL_LISTENER = "inbound mail listener"  # a dedicated LISTEN connection (budget)


async def _open_clients(runtime: IntakeRuntime) -> None:
    settings = runtime.settings
    http = httpx.AsyncClient(
        # One URL, or every replica's, comma-separated: taken in turn, with failover.
        base_url=first_url(settings.entitlement_url),
        transport=balanced_transport(
            settings.entitlement_url,
            inner=httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=50)
            ),
        ),
        timeout=settings.entitlement_timeout_seconds,
        # The internal hop: entitlement trusts only the platform's token, and intake asks
        # as a vendor integration (system), never as the customer whose ticket it admits.
        headers=system_principal_headers("intake", settings.internal_token),
        event_hooks={"request": [inject_headers]},
    )
    runtime.state.http = http
    if settings.entitlement_read_model:
        signal = ChangeSignal(settle_seconds=settings.entitlement_signal_settle_seconds)
        runtime.state.entitlement_signal = signal
        runtime.state.entitlements = ReadModelEntitlements(
            http,
            engine=lambda: _engine_of(runtime),
            signal=signal,
            now=runtime.clock.now,
            tiers_cache_seconds=settings.tiers_cache_seconds,
        )
    else:
        runtime.state.entitlements = EntitlementClient(
            http, tiers_cache_seconds=settings.tiers_cache_seconds
        )
    runtime.state.attachments = build_store(
        settings.attachments, sessions=lambda: _sessions_of(runtime)
    )


def _sessions_of(runtime: IntakeRuntime) -> async_sessionmaker[AsyncSession]:
    if runtime.sessions is None:
        raise RuntimeError("intake's database is not open (lifespan not started)")
    return runtime.sessions


def _engine_of(runtime: IntakeRuntime) -> AsyncEngine:
    if runtime.engine is None:
        raise RuntimeError("intake's database is not open (lifespan not started)")
    return runtime.engine


async def _close_clients(runtime: IntakeRuntime) -> None:
    if runtime.state.http is not None:
        await runtime.state.http.aclose()


async def auto_close_job(runtime: IntakeRuntime, stop: asyncio.Event) -> None:
    """Close resolved tickets whose agreed time passed: durable (the instant is a column),
    safe in several replicas (SKIP LOCKED), and driven by the runtime's injectable clock."""

    poller = DurablePoller(
        "auto-close",
        uow=runtime.uow,
        jobs=[lifecycle.AutoClose()],
        clock=runtime.clock,
        batch=AUTO_CLOSE_BATCH,
        poll_seconds=runtime.settings.auto_close_poll_seconds,
    )
    await poller.run(stop)


def mail_context(runtime: IntakeRuntime, *, scope: UUID | None = None) -> MailContext:
    """What processing a message needs: entitlement, the rules, own addresses, the store."""
    settings = runtime.settings

    def store() -> AttachmentStore:
        if runtime.state.attachments is None:
            raise RuntimeError("intake's attachment store is not open (lifespan not started)")
        return runtime.state.attachments

    return MailContext(
        entitlements=_entitlements_of(runtime),
        config=runtime.state.config,
        own_addresses=settings.support_address_list(),
        attachments=StoreMailAttachments(runtime.uow, store, settings.attachments.limits()),
        scope=scope,
    )


async def mail_job(runtime: IntakeRuntime, stop: asyncio.Event) -> None:
    """Process pending inbound mail: woken by the commit that stored it (LISTEN), else
    polled; safe in several replicas (each message is leased with SKIP LOCKED)."""
    poller = DurablePoller(
        "inbound-mail",
        uow=runtime.uow,
        jobs=[ProcessMail(runtime.uow, lambda: mail_context(runtime), runtime.clock)],
        clock=runtime.clock,
        batch=MAIL_BATCH,
        poll_seconds=runtime.settings.mail_poll_seconds,
        # The SMTP and IMAP processes announce stored mail with a NOTIFY: while it cannot
        # be heard, the poll stays at its interval.
        hearing=lambda: listener.listening,
    )
    assert runtime.engine is not None
    signal = runtime.state.entitlement_signal
    listener = MailListener(
        runtime.engine,
        wake=poller.wake,
        # The entitlement read model's freshness rides on the same connection.
        also={CHANGE_CHANNEL: signal.heard} if signal else None,
        live=(lambda up: signal.connected() if up else signal.lost()) if signal else None,
    )

    async def keep_listening() -> None:
        while not stop.is_set():
            await listener.ensure()
            # A lost connection is retried soon: until then the read model is not used.
            wait = 30 if listener.listening or signal is None else 2
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)

    watcher = asyncio.create_task(keep_listening())
    try:
        await poller.run(stop)
    finally:
        watcher.cancel()
        with contextlib.suppress(BaseException):
            await watcher
        await listener.close()


def _entitlements_of(runtime: IntakeRuntime) -> EntitlementClient:
    """The entitlement client, which opens with the lifespan (the tier-change handler asks it)."""
    client = runtime.state.entitlements
    if client is None:
        raise RuntimeError("intake's entitlement client is not open (lifespan not started)")
    return client


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the app; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    runtime = ServiceRuntime(
        name="intake",
        schema=SCHEMA,
        settings=settings,
        uow_class=IntakeUnitOfWork,
        state=IntakeState(
            config=IntakeConfig(
                registration_prefix=settings.registration_prefix,
                auto_close_working_days=settings.auto_close_working_days,
                auto_close_after_seconds=settings.auto_close_after_seconds,
                kb_suggestions=settings.kb_suggestions,
            )
        ),
        topics=TOPICS,
        clock=clock,
        background=[auto_close_job, mail_job],
        dedicated_connections={MAIL_LISTENER: 1},
        on_start=[_open_clients],
        on_stop=[_close_clients],
    )
    # The tier-change and maintenance handlers ask entitlement, whose client opens with the
    # lifespan.
    runtime.handlers = build_handlers(
        lambda: _entitlements_of(runtime), lambda: runtime.state.config
    )
    app = build_app(runtime, title="intake", routers=[router])
    app.state.scrape.on_scrape(queue_sampler(runtime))
    # The raw-mail route processes a message at once, with the processor's own context.
    app.state.mail_context = lambda scope=None: mail_context(runtime, scope=scope)
    return app
