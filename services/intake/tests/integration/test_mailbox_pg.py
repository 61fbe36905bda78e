"""The mailbox on real PostgreSQL: a received message is stored once per Message-ID."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.uow import IntakeUnitOfWork
from intake.usecases import mailbox
from shared.db import sessionmaker

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def message(mid: str | None, body: str = "Hello") -> bytes:
    head = f"Message-ID: <{mid}>\r\n" if mid else ""
    return (
        f"From: Ivan <ivan@acme.example>\r\nTo: support@support-desk.local\r\n{head}"
        f"Subject: Test\r\n\r\n{body}\r\n"
    ).encode()


async def rows(engine: AsyncEngine, message_id: str) -> list[tuple[str, str, int]]:
    async with engine.connect() as conn:
        found = await conn.execute(
            text("SELECT status, source, size FROM intake.inbound_mail WHERE message_id = :m"),
            {"m": message_id},
        )
        return [(r.status, r.source, r.size) for r in found]


class TestAccept:
    async def test_the_same_message_id_twice_is_one_row(self, engine: AsyncEngine) -> None:
        uow = IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")
        mid = f"{uuid.uuid4()}@acme.example"
        raw = message(mid)
        first = await mailbox.accept(
            uow, raw, source="smtp", envelope_from="ivan@acme.example",
            recipients=["Support@Support-Desk.local"], now=NOW,
        )  # fmt: skip
        again = await mailbox.accept(
            uow, message(mid, "resent"), source="imap", envelope_from=None, recipients=[], now=NOW
        )
        assert (first.duplicate, again.duplicate) == (False, True)
        assert again.id == first.id
        assert first.message_id == mid
        assert await rows(engine, mid) == [("pending", "smtp", len(raw))]
        record, stored = await mailbox.get_mail(uow, first.id)
        assert stored == raw  # byte for byte
        assert record.recipients == ("support@support-desk.local",)
        assert record.envelope_from == "ivan@acme.example"

    async def test_a_message_without_an_id_is_known_by_its_bytes(self, engine: AsyncEngine) -> None:
        uow = IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")
        raw = message(None, f"no id {uuid.uuid4()}")
        first = await mailbox.accept(
            uow, raw, source="api", envelope_from=None, recipients=[], now=NOW
        )
        again = await mailbox.accept(
            uow, raw, source="api", envelope_from=None, recipients=[], now=NOW
        )
        assert first.message_id.startswith("sha256-")
        assert len(first.message_id) == 71
        assert again.duplicate
        assert again.id == first.id

    async def test_an_unknown_source_is_a_programming_error(self, engine: AsyncEngine) -> None:
        uow = IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")
        with pytest.raises(ValueError, match="unknown mail source"):
            await mailbox.accept(
                uow, message("x@y"), source="pop3", envelope_from=None, recipients=[], now=NOW
            )
