"""The IMAP poller: ``python -m intake imap`` (only when ``INTAKE_IMAP__HOST`` is set).

For vendors who keep the support address at a mail provider. Each new message of the
folder is committed to ``inbound_mail`` (``mailbox.accept``, source ``imap``) and only
*then* marked ``\\Seen`` or moved to the processed folder: a crash in between fetches it
again, and the Message-ID dedupe of ``inbound_mail`` takes it once. Processing into
tickets is the API process's, as for the SMTP listener's mail.

It waits with IDLE where the server offers it, else polls every ``poll_seconds``. A
failure (server away, login refused, database away) closes the connection and retries
after a backoff that doubles up to ``retry_max_seconds``; nothing is marked that was
not stored.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from intake.adapters.imap_mailbox import ImapMailbox
from intake.adapters.uow import IntakeUnitOfWork
from intake.config import SCHEMA, ImapSettings, Settings
from intake.usecases.mailbox import Accepted, accept
from shared.budget import ConnectionBudget
from shared.clock import Clock, SystemClock
from shared.db import create_engine, sessionmaker
from shared.logging import configure_logging, get_logger
from shared.settings import DatabaseSettings

log = get_logger(__name__)

POLLER_POOL = 1

Store = Callable[[bytes], Awaitable[Accepted]]


async def take_new(mailbox: ImapMailbox, store: Store, *, batch: int) -> int:
    """Store each new message, then mark it; the number stored (duplicates included).

    Raises whatever the server or the store raised; the messages not marked yet stay new.
    """
    taken = 0
    while True:
        uids = await asyncio.to_thread(mailbox.new_uids, batch)
        for uid in uids:
            raw = await asyncio.to_thread(mailbox.fetch_raw, uid)
            if raw is not None:
                accepted = await store(raw)
                log.info(
                    "imap message stored",
                    uid=uid,
                    inbound_mail=str(accepted.id),
                    duplicate=accepted.duplicate,
                )
                taken += 1
            await asyncio.to_thread(mailbox.done, uid)  # after the commit, never before
        if len(uids) < batch:
            return taken


def store_with(
    uow: Callable[[], IntakeUnitOfWork], clock: Clock, *, recipients: Sequence[str]
) -> Store:
    """The poller's store: ``mailbox.accept`` with source ``imap`` (IMAP has no envelope)."""

    async def store(raw: bytes) -> Accepted:
        return await accept(
            uow(), raw, source="imap", envelope_from=None, recipients=recipients, now=clock.now()
        )

    return store


class ImapPoller:
    """Connect, take the new mail, wait for more; reconnect with backoff after a failure."""

    def __init__(
        self,
        settings: ImapSettings,
        store: Store,
        *,
        mailbox: Callable[[ImapSettings], ImapMailbox] = ImapMailbox,
    ) -> None:
        self._settings = settings
        self._store = store
        self._mailbox = mailbox
        self.rounds = 0  # rounds completed (tests wait on it)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set."""
        halt = threading.Event()  # the worker thread's view of ``stop``
        watcher = asyncio.create_task(_mirror(stop, halt))
        delay = self._settings.retry_seconds
        try:
            while not stop.is_set():
                try:
                    await self._session(halt)
                except Exception as exc:  # any failure: log, back off, reconnect
                    log.warning("imap poller failed; reconnecting", error=repr(exc), delay=delay)
                    await _sleep_unless(stop, delay)
                    delay = min(delay * 2, self._settings.retry_max_seconds)
                else:
                    delay = self._settings.retry_seconds
        finally:
            halt.set()
            watcher.cancel()

    async def _session(self, halt: threading.Event) -> None:
        """One connection: rounds of take-then-wait until a failure or the stop."""
        mailbox = self._mailbox(self._settings)
        await asyncio.to_thread(mailbox.connect)
        try:
            idle = await asyncio.to_thread(lambda: mailbox.supports_idle)
            log.info("imap poller connected", idle=idle, folder=self._settings.folder)
            while not halt.is_set():
                await take_new(mailbox, self._store, batch=self._settings.batch)
                self.rounds += 1
                wait = self._settings.idle_seconds if idle else self._settings.poll_seconds
                await asyncio.to_thread(mailbox.wait_for_news, wait, halt)
        finally:
            await asyncio.to_thread(mailbox.close)


async def _mirror(stop: asyncio.Event, halt: threading.Event) -> None:
    await stop.wait()
    halt.set()


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return


def poller_database(settings: Settings) -> DatabaseSettings:
    """The poller's pool: one connection and one overflow, whatever the service's pool.

    It stores one message at a time (``take_new`` awaits each commit before the next
    fetch), so the service's pool of 4 + 2 would only count against the platform's
    connection budget without ever being used.
    """
    return settings.database.model_copy(update={"pool_size": POLLER_POOL, "max_overflow": 1})


def connection_budget(settings: Settings) -> ConnectionBudget:
    """The most connections the poller opens (docs/database.md): its small pool, no LISTEN."""
    return ConnectionBudget.of("intake-imap", poller_database(settings))


async def serve(settings: Settings, stop: asyncio.Event, *, clock: Clock | None = None) -> None:
    """Run the poller until ``stop`` is set; the engine closes after the last commit."""
    engine = create_engine(poller_database(settings))
    sessions = sessionmaker(engine, audit_schema=SCHEMA)

    def uow() -> IntakeUnitOfWork:
        return IntakeUnitOfWork(sessions, schema=SCHEMA, source="intake")

    store = store_with(uow, clock or SystemClock(), recipients=settings.support_address_list()[:1])
    imap = settings.imap
    log.info("imap poller started", host=imap.host, port=imap.server_port, user=imap.user)
    try:
        await ImapPoller(imap, store).run(stop)
    finally:
        await engine.dispose()
        log.info("imap poller stopped")


def run_imap(settings: Any) -> None:
    """``python -m intake imap``: poll until SIGTERM or Ctrl-C (exit at once when not set up)."""
    configure_logging(service="intake-imap", level=settings.log_level)
    if not settings.imap.enabled:
        log.info("imap poller not configured (INTAKE_IMAP__HOST is empty); nothing to do")
        return

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(main())
