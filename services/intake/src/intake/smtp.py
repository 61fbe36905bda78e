"""The inbound SMTP listener: ``python -m intake smtp`` (aiosmtpd).

It takes mail only for the support addresses (``INTAKE_SUPPORT_ADDRESSES``; any other
recipient is refused with ``550 5.1.1``), refuses a message over the size limit with
``552``, and commits each message to ``inbound_mail`` *before* it answers ``250``: a crash
after the answer loses nothing. When the database cannot take the message it answers
``451`` and the sending server tries again later, as SMTP servers do. Processing into
tickets happens in intake's API process (``usecases.mail_processing``), woken by the commit.

STARTTLS is offered when ``INTAKE_SMTP__TLS_CERTFILE`` and ``__TLS_KEYFILE`` are set.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from intake.adapters.uow import IntakeUnitOfWork
from intake.config import SCHEMA, Settings
from intake.usecases.mailbox import Accepted, accept
from shared.budget import ConnectionBudget
from shared.clock import Clock, SystemClock
from shared.db import create_engine, sessionmaker
from shared.logging import configure_logging, get_logger
from shared.settings import DatabaseSettings

log = get_logger(__name__)

LISTENER_POOL = 1
Store = Callable[[bytes, str | None, Sequence[str]], Awaitable[Accepted]]


class MailHandler:
    """aiosmtpd's handler: recipients checked, each message committed before the 250."""

    def __init__(self, store: Store, *, addresses: Collection[str]) -> None:
        self._store = store
        self._addresses = frozenset(a.lower() for a in addresses)
        self.accepted = 0  # messages stored, over the listener's life (tests, bench)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.strip().lower() not in self._addresses:
            known = ", ".join(sorted(self._addresses))
            return (
                f"550 5.1.1 <{address}>: no such mailbox here; this server takes mail "
                f"only for the support address ({known})"
            )
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw or "").encode("utf-8")
        try:
            stored = await self._store(data, envelope.mail_from, list(envelope.rcpt_tos))
        except Exception as exc:  # the database is away: the sender keeps it and retries
            log.warning("inbound mail not stored; answered 451", error=repr(exc))
            return "451 4.3.0 The message could not be stored just now; please try again later"
        self.accepted += 1
        if stored.duplicate:
            return f"250 2.0.0 Already received as {stored.id}; not stored twice"
        return f"250 2.0.0 Stored as {stored.id}"


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """A server context for STARTTLS when a certificate and key are configured."""
    smtp = settings.smtp
    if not (smtp.tls_certfile and smtp.tls_keyfile):
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(smtp.tls_certfile, smtp.tls_keyfile)
    return context


def listener_database(settings: Settings) -> DatabaseSettings:
    """The listener's pool: one connection and one overflow, whatever the service's pool.

    One commit per message, each short: two connections at most (the API processes hold
    the platform's connection budget; the listener only stores).
    """
    return settings.database.model_copy(update={"pool_size": LISTENER_POOL, "max_overflow": 1})


def connection_budget(settings: Settings) -> ConnectionBudget:
    """The most connections one listener opens (docs/database.md): its small pool, no LISTEN."""
    return ConnectionBudget.of("intake-smtp", listener_database(settings))


def store_with(uow: Callable[[], IntakeUnitOfWork], clock: Clock) -> Store:
    """The handler's store: ``mailbox.accept`` with source ``smtp`` and the envelope."""

    async def store(raw: bytes, mail_from: str | None, rcpt_tos: Sequence[str]) -> Accepted:
        return await accept(
            uow(),
            raw,
            source="smtp",
            envelope_from=mail_from,
            recipients=rcpt_tos,
            now=clock.now(),
        )

    return store


async def start_server(
    settings: Settings, store: Store, *, port: int | None = None
) -> tuple[asyncio.Server, MailHandler]:
    """Listen on ``settings.smtp`` (or ``port``) in this event loop; return server and handler."""
    handler = MailHandler(store, addresses=settings.support_address_list())
    context = tls_context(settings)
    smtp = settings.smtp

    def factory() -> SMTP:
        return SMTP(
            handler,
            hostname=smtp.hostname,
            ident="support-desk intake",
            data_size_limit=smtp.max_message_bytes,
            tls_context=context,
            require_starttls=False,
            decode_data=False,
            enable_SMTPUTF8=True,  # internationalised (Cyrillic) addresses, RFC 6531
            # Inbound mail needs no login (it is not a submission server): offer none.
            auth_exclude_mechanism=["LOGIN", "PLAIN"],
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host=smtp.host, port=port or smtp.port)
    return server, handler


async def serve(settings: Settings, stop: asyncio.Event, *, clock: Clock | None = None) -> None:
    """Run the listener until ``stop`` is set; the engine closes after the last answer."""
    engine = create_engine(listener_database(settings))
    sessions = sessionmaker(engine, audit_schema=SCHEMA)

    def uow() -> IntakeUnitOfWork:
        return IntakeUnitOfWork(sessions, schema=SCHEMA, source="intake")

    server, _ = await start_server(settings, store_with(uow, clock or SystemClock()))
    log.info(
        "smtp listener started",
        host=settings.smtp.host,
        port=settings.smtp.port,
        starttls=tls_context(settings) is not None,
        addresses=settings.support_address_list(),
    )
    try:
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
        await engine.dispose()
        log.info("smtp listener stopped")


def run_smtp(settings: Any) -> None:
    """``python -m intake smtp``: serve until SIGTERM or Ctrl-C."""
    configure_logging(service="intake-smtp", level=settings.log_level)
    # aiosmtpd logs every command of every session at INFO; its warnings are what matter.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(main())
