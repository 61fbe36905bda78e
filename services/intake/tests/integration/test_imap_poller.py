"""The IMAP poller against a real dovecot: stored, then marked; a crash in between stores once.

Dovecot runs from a configuration the test writes (shared.testing.dovecot); messages
are APPENDed over IMAP as a mail server would deliver them. The poller stores into the
private mail database, where intake's app (its mail processor running) turns them into
tickets, as it does with the SMTP listener's mail.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from imap_tools import MailBoxUnencrypted
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.imap_mailbox import ImapMailbox
from intake.adapters.uow import IntakeUnitOfWork
from intake.config import ImapSettings
from intake.imap import ImapPoller, store_with, take_new
from shared.auth import Role
from shared.clock import SystemClock
from shared.db import sessionmaker
from shared.testing.auth import principal_headers
from shared.testing.dovecot import ImapServer, running_dovecot
from shared.testing.mailfix import fixture, rewrite_headers

from .conftest import EntitlementServer

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

AGENT = principal_headers(Role.agent)


@pytest.fixture(scope="module")
def imap() -> Iterator[ImapServer]:
    with running_dovecot() as server:
        yield server


def settings(server: ImapServer, **over: Any) -> ImapSettings:
    values: dict[str, Any] = {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "user": server.user,
        "password": SecretStr(server.password),
        "poll_seconds": 0.2,
        "idle_seconds": 30,
        "timeout_seconds": 5,
        "retry_seconds": 0.1,
        **over,
    }
    return ImapSettings(**values)


@contextlib.contextmanager
def client(server: ImapServer) -> Iterator[Any]:
    with MailBoxUnencrypted(server.host, server.port, timeout=5).login(
        server.user, server.password
    ) as box:
        yield box


def deliver(server: ImapServer, name: str, sender: str, folder: str = "INBOX") -> str:
    """APPEND a fixture from ``sender`` with a new Message-ID; return the Message-ID."""
    mid = f"{uuid.uuid4()}@imap.test"
    raw = rewrite_headers(fixture(name), {"From": f"Sender <{sender}>", "Message-ID": f"<{mid}>"})
    with client(server) as box:
        if not box.folder.exists(folder):
            box.folder.create(folder)
        box.append(raw, folder)
    return mid


def flags_of(server: ImapServer, mid: str, folder: str = "INBOX") -> list[tuple[str, ...]]:
    """The flags of each message with this Message-ID in ``folder`` (read without marking)."""
    with client(server) as box:
        box.folder.set(folder)
        return [m.flags for m in box.fetch(f'HEADER Message-ID "{mid}"', mark_seen=False)]


async def stored(engine: AsyncEngine, mid: str) -> list[tuple[str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT id, source FROM intake.inbound_mail WHERE message_id = :m"), {"m": mid}
        )
        return [(str(r.id), r.source) for r in rows]


async def settled(api: httpx.AsyncClient, mail_id: str, timeout: float = 20) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        r = await api.get(f"/api/v1/intake/mail/{mail_id}", headers=AGENT)
        assert r.status_code == 200, r.text
        if r.json()["status"] != "pending":
            found: dict[str, Any] = r.json()
            return found
        assert asyncio.get_running_loop().time() < deadline, r.json()
        await asyncio.sleep(0.1)


def store(engine: AsyncEngine) -> Any:
    sessions = sessionmaker(engine)
    return store_with(
        lambda: IntakeUnitOfWork(sessions, schema="intake", source="intake"),
        SystemClock(),  # the app's processor takes what is due by the wall clock
        recipients=["support@support-desk.local"],
    )


async def take(box: ImapMailbox, engine: AsyncEngine) -> int:
    await asyncio.to_thread(box.connect)
    try:
        return await take_new(box, store(engine), batch=10)
    finally:
        await asyncio.to_thread(box.close)


class CrashAfterCommit(ImapMailbox):
    """Dies right after the message committed, before it is marked (a killed process)."""

    def done(self, uid: str) -> None:
        raise ConnectionResetError("killed between the commit and the \\Seen flag")


class TestTakeNew:
    async def test_a_message_is_stored_marked_seen_and_becomes_a_ticket(
        self,
        imap: ImapServer,
        mail_engine: AsyncEngine,
        mail_api: httpx.AsyncClient,
        entitlement_server: EntitlementServer,
    ) -> None:
        sender, _ = entitlement_server.contact()
        mid = deliver(imap, "new_ticket_cp1251.eml", sender)

        taken = await take(ImapMailbox(settings(imap)), mail_engine)

        assert taken >= 1
        [(mail_id, source)] = await stored(mail_engine, mid)
        assert source == "imap"
        assert ["\\Seen" in f for f in flags_of(imap, mid)] == [True]
        record = await settled(mail_api, mail_id)
        assert record["status"] == "ticket_created", record
        assert record["ticket_id"]

    async def test_a_crash_between_commit_and_mark_refetches_and_stores_nothing_twice(
        self, imap: ImapServer, mail_engine: AsyncEngine, entitlement_server: EntitlementServer
    ) -> None:
        sender, _ = entitlement_server.contact()
        mid = deliver(imap, "thunderbird_utf8_attachment.eml", sender)

        with pytest.raises(ConnectionResetError):
            await take(CrashAfterCommit(settings(imap)), mail_engine)
        first = await stored(mail_engine, mid)
        assert len(first) == 1  # committed before the crash
        assert ["\\Seen" in f for f in flags_of(imap, mid)] == [False]  # and still new

        await take(ImapMailbox(settings(imap)), mail_engine)  # the restarted poller

        assert await stored(mail_engine, mid) == first  # the same one row
        assert ["\\Seen" in f for f in flags_of(imap, mid)] == [True]

    async def test_a_processed_folder_takes_the_mail_out_of_the_inbox(
        self, imap: ImapServer, mail_engine: AsyncEngine, entitlement_server: EntitlementServer
    ) -> None:
        sender, _ = entitlement_server.contact()
        mid = deliver(imap, "new_ticket_koi8r.eml", sender, folder="Vendor")
        box = ImapMailbox(settings(imap, folder="Vendor", processed_folder="Vendor-done"))

        assert await take(box, mail_engine) == 1

        assert len(await stored(mail_engine, mid)) == 1
        assert flags_of(imap, mid, folder="Vendor") == []
        assert len(flags_of(imap, mid, folder="Vendor-done")) == 1


class TestPoller:
    async def test_idle_wakes_it_for_new_mail_long_before_a_poll_would(
        self, imap: ImapServer, mail_engine: AsyncEngine, entitlement_server: EntitlementServer
    ) -> None:
        sender, _ = entitlement_server.contact()
        # Polling every 10 minutes: only IDLE can bring the message in within seconds.
        poller = ImapPoller(settings(imap, poll_seconds=600), store(mail_engine))
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        try:
            await _until(lambda: _true(poller.rounds >= 1))
            mid = deliver(imap, "html_only.eml", sender)

            await _until(lambda: stored(mail_engine, mid))

            assert ["\\Seen" in f for f in flags_of(imap, mid)] == [True]
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)  # a stop ends the IDLE wait within a second

    async def test_a_refused_login_is_retried_without_ending_the_poller(
        self, imap: ImapServer, mail_engine: AsyncEngine
    ) -> None:
        wrong = settings(imap, password=SecretStr("wrong"), retry_max_seconds=0.2)
        poller = ImapPoller(wrong, store(mail_engine))
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))

        await asyncio.sleep(1.5)

        assert not task.done()  # still trying, with backoff
        assert poller.rounds == 0
        stop.set()
        await asyncio.wait_for(task, 10)


async def _true(value: bool) -> bool:
    return value


async def _until(check: Any, timeout: float = 15) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, "not met in time"
        await asyncio.sleep(0.05)
