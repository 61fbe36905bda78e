"""Attachments on real storage: each backend (PostgreSQL, a directory, an S3 server) and the use case.

The S3 backend talks HTTP to moto's ThreadedMotoServer, a real S3-compatible server
started on a free port for this module (boto3 signs and sends real requests to it).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.blobs import LocalStore, PostgresStore, S3Store
from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.config import AttachmentSettings
from intake.domain.actors import Actor, ActorKind
from intake.domain.attachments import AttachmentLimits, AttachmentTooLarge
from intake.domain.commands import AddComment, OpenTicket
from intake.domain.config import IntakeConfig
from intake.uow import AttachmentStore
from intake.usecases import admission, attachments
from intake.usecases.attachments import IncomingFile
from intake.usecases.comments import comment_in_tx
from shared.db import sessionmaker
from shared.errors import NotFound
from shared.infra.net import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
AGENT = Actor(kind=ActorKind.agent, name="eng-att")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
LOG = "ошибка проводки 42\n".encode() * 100


def _key() -> str:
    return f"{uuid.uuid4()}/{uuid.uuid4()}"


@pytest.fixture(scope="module")
def s3_settings() -> Iterator[AttachmentSettings]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    settings = AttachmentSettings(
        backend="s3",
        s3_endpoint_url=f"http://127.0.0.1:{port}",
        s3_bucket="desk-attachments",
        s3_region="us-east-1",
        s3_access_key_id="test-key",
        s3_secret_access_key=SecretStr("test-secret"),
        s3_timeout_seconds=5,
    )
    boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    ).create_bucket(Bucket=settings.s3_bucket)
    yield settings
    server.stop()


@pytest_asyncio.fixture(loop_scope="session", params=["postgres", "local", "s3"])
async def store(
    request: pytest.FixtureRequest, engine: AsyncEngine, tmp_path: Path
) -> AsyncIterator[AttachmentStore]:
    if request.param == "postgres":
        sessions = sessionmaker(engine)
        yield PostgresStore(lambda: sessions)
    elif request.param == "local":
        yield LocalStore(tmp_path / "attachments")
    else:
        yield S3Store(request.getfixturevalue("s3_settings"))


class TestBackends:
    async def test_put_then_get_returns_the_same_bytes(self, store: AttachmentStore) -> None:
        key = _key()

        await store.put(key, PNG, content_type="image/png")

        assert await store.get(key) == PNG

    async def test_a_missing_key_reads_as_none(self, store: AttachmentStore) -> None:
        assert await store.get(_key()) is None

    async def test_put_again_overwrites_and_delete_removes(self, store: AttachmentStore) -> None:
        key = _key()
        await store.put(key, b"first", content_type="text/plain")
        await store.put(key, LOG, content_type="text/plain")
        assert await store.get(key) == LOG

        await store.delete(key)
        await store.delete(key)  # a second delete is no error

        assert await store.get(key) is None

    async def test_a_key_that_is_not_intakes_is_refused(self, store: AttachmentStore) -> None:
        with pytest.raises(ValueError, match="not an attachment key"):
            await store.put("../../etc/passwd", b"x", content_type="text/plain")


def entitlement_stub() -> EntitlementClient:
    customer_id = str(uuid.uuid4())

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "customer_id": customer_id,
                "contact_id": str(uuid.uuid4()),
                "tier": "premium",
                "policy_version": "test",
                "max_open_tickets": None,
                "priority": 1,
                "features": {"critical_incidents": True},
            },
        )

    return EntitlementClient(
        httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://e")
    )


@pytest_asyncio.fixture(loop_scope="session")
async def uow(engine: AsyncEngine) -> IntakeUnitOfWork:
    return IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")


async def _ticket(uow: IntakeUnitOfWork) -> uuid.UUID:
    admitted = await admission.open_ticket(
        OpenTicket(contact_email="att@example.com", subject="Posting fails, log attached"),
        uow=uow,
        entitlements=entitlement_stub(),
        config=IntakeConfig(),
        now=NOW,
    )
    return admitted.ticket.id


async def _blob_count(engine: AsyncEngine, ticket_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM intake.attachment_blob WHERE key LIKE :k"),
            {"k": f"{ticket_id}/%"},
        )
    return int(count or 0)


def _pg(engine: AsyncEngine) -> PostgresStore:
    sessions = sessionmaker(engine)
    return PostgresStore(lambda: sessions)


class TestAttach:
    async def test_stores_files_sniffed_and_hashed_and_lists_them_on_the_ticket(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        store = _pg(engine)
        ticket_id = await _ticket(uow)

        stored = await attachments.attach(
            uow,
            store,
            ticket_id=ticket_id,
            comment_id=None,
            files=[
                IncomingFile("screen.png", "application/octet-stream", PNG),
                IncomingFile("C:\\logs\\posting.log", "text/plain; charset=utf-8", LOG),
            ],
            source="email",
            actor=AGENT,
            limits=AttachmentLimits(),
            now=NOW,
        )

        png, log = stored
        assert (png.filename, png.content_type, png.size) == ("screen.png", "image/png", len(PNG))
        assert png.sha256 == hashlib.sha256(PNG).hexdigest()
        assert (log.filename, log.content_type) == ("posting.log", "text/plain")
        listed = await attachments.list_attachments(
            uow, ticket_id, include_internal=False, scope=None
        )
        assert [a.id for a in listed] == [png.id, log.id]
        found, data = await attachments.read_content(
            uow,
            store,
            ticket_id=ticket_id,
            attachment_id=log.id,
            include_internal=False,
            scope=None,
        )
        assert (found.source, data) == ("email", LOG)
        async with uow:
            ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        assert [a["url"] for a in ticket.attachments] == [png.download_path, log.download_path]

    async def test_the_same_file_again_is_not_stored_twice(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        store = _pg(engine)
        ticket_id = await _ticket(uow)
        files = [IncomingFile("screen.png", "image/png", PNG)]
        kwargs = {"ticket_id": ticket_id, "comment_id": None, "source": "email"}

        first = await attachments.attach(
            uow, store, files=files, actor=AGENT, limits=AttachmentLimits(), now=NOW, **kwargs
        )
        again = await attachments.attach(
            uow, store, files=files, actor=AGENT, limits=AttachmentLimits(), now=NOW, **kwargs
        )

        assert [a.id for a in again] == [a.id for a in first]
        assert await _blob_count(engine, ticket_id) == 1

    async def test_over_the_limit_stores_nothing(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        ticket_id = await _ticket(uow)

        with pytest.raises(AttachmentTooLarge, match=r"big\.bin"):
            await attachments.attach(
                uow,
                _pg(engine),
                ticket_id=ticket_id,
                comment_id=None,
                files=[IncomingFile("big.bin", "application/octet-stream", b"x" * 2048)],
                source="api",
                actor=AGENT,
                limits=AttachmentLimits(max_file_bytes=1024),
                now=NOW,
            )

        assert await _blob_count(engine, ticket_id) == 0

    async def test_an_unknown_comment_leaves_no_bytes_behind(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        ticket_id = await _ticket(uow)

        with pytest.raises(NotFound, match="no comment"):
            await attachments.attach(
                uow,
                _pg(engine),
                ticket_id=ticket_id,
                comment_id=uuid.uuid4(),
                files=[IncomingFile("a.txt", "text/plain", b"hello")],
                source="api",
                actor=AGENT,
                limits=AttachmentLimits(),
                now=NOW,
            )

        assert await _blob_count(engine, ticket_id) == 0


class TestUploadWithComment:
    async def test_a_public_comment_carries_the_files_download_urls(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        ticket_id = await _ticket(uow)

        uploaded = await attachments.upload(
            uow,
            _pg(engine),
            entitlements=entitlement_stub(),
            ticket_id=ticket_id,
            files=[IncomingFile("", "image/png", PNG)],
            comment="Screenshot of the error",
            source="api",
            actor=AGENT,
            limits=AttachmentLimits(),
            now=NOW,
            scope=None,
        )

        [stored] = uploaded.attachments
        assert uploaded.comment is not None
        assert stored.comment_id == uploaded.comment.id
        assert stored.filename.startswith("attachment-")
        assert stored.filename.endswith(".png")
        assert uploaded.comment.public is True
        assert [a["url"] for a in uploaded.comment.attachments] == [stored.download_path]
        async with uow:
            [note] = await uow.comments.of_ticket(ticket_id, include_internal=False)
        assert note.attachments[0]["url"] == stored.download_path

    async def test_another_customers_scope_sees_no_ticket(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        ticket_id = await _ticket(uow)

        with pytest.raises(NotFound, match="No ticket"):
            await attachments.list_attachments(
                uow, ticket_id, include_internal=False, scope=uuid.uuid4()
            )


class TestInternalComments:
    async def test_an_internal_comments_files_are_staffs_only(
        self, uow: IntakeUnitOfWork, engine: AsyncEngine
    ) -> None:
        store = _pg(engine)
        ticket_id = await _ticket(uow)
        async with uow:
            _, note = await comment_in_tx(
                uow,
                AddComment(
                    ticket_id=ticket_id, body="customer's config", public=False, actor=AGENT
                ),
                now=NOW,
            )
            await uow.commit()

        [stored] = await attachments.attach(
            uow,
            store,
            ticket_id=ticket_id,
            comment_id=note.id,
            files=[IncomingFile("config.xml", "text/xml", b"<secret/>")],
            source="api",
            actor=AGENT,
            limits=AttachmentLimits(),
            now=NOW,
        )

        staff = await attachments.list_attachments(
            uow, ticket_id, include_internal=True, scope=None
        )
        customer = await attachments.list_attachments(
            uow, ticket_id, include_internal=False, scope=None
        )
        assert [a.id for a in staff] == [stored.id]
        assert customer == []
        with pytest.raises(NotFound, match="no attachment"):
            await attachments.read_content(
                uow,
                store,
                ticket_id=ticket_id,
                attachment_id=stored.id,
                include_internal=False,
                scope=None,
            )
        async with uow:
            [internal] = await uow.comments.of_ticket(ticket_id, include_internal=True)
        assert internal.attachments[0]["url"] == stored.download_path
        async with uow:
            ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        assert ticket.attachments == []  # the ticket customers read does not list it
