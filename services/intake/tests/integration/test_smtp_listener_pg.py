"""The inbound SMTP listener over real SMTP (aiosmtplib) into real PostgreSQL.

Recipients other than the support addresses are refused (550 5.1.1), a message over the
limit is refused (552), each message is committed before the 250, the same Message-ID
twice is one row, STARTTLS works with a certificate from a test CA, and a database that
cannot be reached answers 451 so the sender tries again.
"""

from __future__ import annotations

import asyncio
import ssl
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiosmtplib
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.uow import IntakeUnitOfWork
from intake.config import Settings, SmtpSettings
from intake.smtp import MailHandler, start_server, store_with
from shared.clock import SystemClock
from shared.db import create_engine, sessionmaker
from shared.infra.net import free_port
from shared.settings import DatabaseSettings
from shared.testing.tls import make_pki

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

SUPPORT = "support@support-desk.local"


def settings(**smtp: object) -> Settings:
    return Settings(
        database=DatabaseSettings(url="postgresql+asyncpg://127.0.0.1:1/none"),
        support_addresses=f"Support <{SUPPORT}>, help@support-desk.local",
        smtp=SmtpSettings(host="127.0.0.1", port=free_port(), **smtp),  # type: ignore[arg-type]
    )


def message(mid: str, body: str = "Please help") -> bytes:
    return (
        f"From: ivan@acme.example\r\nTo: {SUPPORT}\r\nMessage-ID: <{mid}>\r\n"
        f"Subject: Test\r\n\r\n{body}\r\n"
    ).encode()


@pytest_asyncio.fixture(loop_scope="session")
async def listener(engine: AsyncEngine) -> AsyncIterator[tuple[Settings, MailHandler]]:
    config = settings(max_message_bytes=64 * 1024)
    uow = lambda: IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")  # noqa: E731
    server, handler = await start_server(config, store_with(uow, SystemClock()))
    yield config, handler
    server.close()
    await server.wait_closed()


async def stored(engine: AsyncEngine, mid: str) -> list[tuple[str, str | None, list[str]]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT source, envelope_from, recipients FROM intake.inbound_mail "
                "WHERE message_id = :m"
            ),
            {"m": mid},
        )
        return [(r.source, r.envelope_from, list(r.recipients)) for r in rows]


class TestListener:
    async def test_stores_before_250_and_once_per_message_id(
        self, listener: tuple[Settings, MailHandler], engine: AsyncEngine
    ) -> None:
        config, _handler = listener
        mid = f"{uuid.uuid4()}@acme.example"
        port = config.smtp.port
        errors, reply = await aiosmtplib.send(
            message(mid), sender="ivan@acme.example", recipients=[SUPPORT],
            hostname="127.0.0.1", port=port, start_tls=False,
        )  # fmt: skip
        assert errors == {}
        assert reply.startswith("2.0.0 Stored as")
        # Committed before the answer: readable the moment the client has its 250.
        assert await stored(engine, mid) == [("smtp", "ivan@acme.example", [SUPPORT])]
        _, again = await aiosmtplib.send(
            message(mid, "sent again"), sender="ivan@acme.example",
            recipients=["HELP@support-desk.local"], hostname="127.0.0.1", port=port,
            start_tls=False,
        )  # fmt: skip
        assert "Already received" in again
        assert len(await stored(engine, mid)) == 1

    async def test_another_recipient_is_refused_with_550(
        self, listener: tuple[Settings, MailHandler]
    ) -> None:
        config, _ = listener
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
            await aiosmtplib.send(
                message("x@y"), sender="ivan@acme.example", recipients=["sales@acme.example"],
                hostname="127.0.0.1", port=config.smtp.port, start_tls=False,
            )  # fmt: skip
        error = refused.value.recipients[0]
        assert error.code == 550
        assert "5.1.1" in error.message
        assert SUPPORT in error.message

    async def test_a_message_over_the_limit_is_refused_with_552(
        self, listener: tuple[Settings, MailHandler], engine: AsyncEngine
    ) -> None:
        config, _ = listener
        mid = f"{uuid.uuid4()}@acme.example"
        with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
            await aiosmtplib.send(
                message(mid, "x" * 100_000), sender="ivan@acme.example", recipients=[SUPPORT],
                hostname="127.0.0.1", port=config.smtp.port, start_tls=False,
            )  # fmt: skip
        assert refused.value.code == 552
        assert await stored(engine, mid) == []


class TestStartTls:
    async def test_starttls_with_a_certificate_of_a_test_ca(
        self, tmp_path: Path, engine: AsyncEngine
    ) -> None:
        pki = make_pki(tmp_path)
        config = settings(tls_certfile=str(pki.server_cert), tls_keyfile=str(pki.server_key))
        uow = lambda: IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")  # noqa: E731
        server, _ = await start_server(config, store_with(uow, SystemClock()))
        try:
            client_tls = ssl.create_default_context(cafile=str(pki.ca))
            mid = f"{uuid.uuid4()}@acme.example"
            client = aiosmtplib.SMTP(
                hostname="127.0.0.1", port=config.smtp.port, start_tls=False,
                tls_context=client_tls,
            )  # fmt: skip
            await client.connect()
            await client.ehlo()
            assert client.supports_extension("starttls")
            await client.starttls()
            assert client.get_transport_info("ssl_object") is not None  # encrypted now
            _, reply = await client.sendmail("ivan@acme.example", [SUPPORT], message(mid))
            await client.quit()
            assert reply.startswith("2.0.0 Stored as")
            assert len(await stored(engine, mid)) == 1
        finally:
            server.close()
            await server.wait_closed()


class TestDatabaseDown:
    async def test_451_when_the_message_cannot_be_stored(self) -> None:
        config = settings()
        dead = create_engine(config.database)  # a port nothing listens on
        uow = lambda: IntakeUnitOfWork(sessionmaker(dead), schema="intake", source="intake")  # noqa: E731
        server, handler = await start_server(config, store_with(uow, SystemClock()))
        try:
            with pytest.raises(aiosmtplib.SMTPDataError) as refused:
                await asyncio.wait_for(
                    aiosmtplib.send(
                        message("down@acme.example"),
                        sender="ivan@acme.example",
                        recipients=[SUPPORT],
                        hostname="127.0.0.1",
                        port=config.smtp.port,
                        start_tls=False,
                        timeout=30,
                    ),
                    timeout=60,
                )
            assert refused.value.code == 451
            assert handler.accepted == 0
        finally:
            server.close()
            await server.wait_closed()
            await dead.dispose()
