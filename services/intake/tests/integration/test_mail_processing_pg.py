"""Inbound mail into tickets on real PostgreSQL and a real HTTP entitlement.

Through intake's app (its mail processor running, woken by LISTEN/NOTIFY): a raw message
posted as ``message/rfc822`` and a message stored as the SMTP listener stores it. And
the processor's job driven alone on a frozen clock: entitlement down keeps a message
pending with backoff, a processor that died after taking a message is replaced after
its lease, and the message is processed exactly once.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.domain.config import IntakeConfig
from intake.domain.mail import parse
from intake.domain.mailbox import LEASE
from intake.usecases import mailbox
from intake.usecases.mail_processing import MailContext, ProcessMail
from shared.auth import Role
from shared.clock import FrozenClock
from shared.db import sessionmaker
from shared.poller import DurablePoller
from shared.testing.auth import principal_headers
from shared.testing.mailfix import fixture, rewrite_headers

from .conftest import EntitlementServer

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

AGENT = principal_headers(Role.agent)
SYSTEM = principal_headers(Role.system)
RAW = {"content-type": "message/rfc822"}


def fresh(name: str, sender: str, **headers: str | None) -> tuple[bytes, str]:
    """A fixture from ``sender`` with a new Message-ID (and other headers replaced)."""
    mid = f"{uuid.uuid4()}@test.example"
    raw = rewrite_headers(
        fixture(name), {"From": f"Sender <{sender}>", "Message-ID": f"<{mid}>", **headers}
    )
    return raw, mid


async def post_raw(api: httpx.AsyncClient, raw: bytes, who: dict[str, str] = SYSTEM) -> Any:
    return await api.post("/api/v1/intake/email", content=raw, headers={**who, **RAW})


async def record(api: httpx.AsyncClient, mail_id: str) -> dict[str, Any]:
    r = await api.get(f"/api/v1/intake/mail/{mail_id}", headers=AGENT)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def settled(api: httpx.AsyncClient, mail_id: str, timeout: float = 20) -> dict[str, Any]:
    """The record once processing settled it (the processor runs in the app)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await record(api, mail_id)
        if found["status"] != "pending":
            return found
        assert asyncio.get_running_loop().time() < deadline, found
        await asyncio.sleep(0.1)


async def outbox(engine: AsyncEngine, mail_id: str) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT topic, key, payload FROM intake.outbox WHERE payload->>'subject' = :s ORDER BY seq"
            ),
            {"s": mail_id},
        )
        return [
            {
                "topic": r.topic,
                "key": r.key,
                **(r.payload if isinstance(r.payload, dict) else json.loads(r.payload)),
            }
            for r in rows
        ]


async def comment_body(engine: AsyncEngine, comment_id: str) -> str:
    async with engine.connect() as conn:
        body = await conn.scalar(
            text("SELECT body FROM intake.comment WHERE id = :c"), {"c": comment_id}
        )
        return str(body)


class TestRawPost:
    async def test_a_cp1251_message_becomes_a_ticket_in_readable_russian(
        self, mail_api: httpx.AsyncClient, entitlement_server: EntitlementServer
    ) -> None:
        sender, _ = entitlement_server.contact()
        raw, mid = fresh("new_ticket_cp1251.eml", sender)
        r = await post_raw(mail_api, raw)
        assert r.status_code == 201, r.text
        ticket = r.json()["ticket"]
        assert ticket["subject"] == "Ошибка «Недостаточно памяти» при формировании отчёта"
        assert "При формировании квартального отчёта" in ticket["description"]
        assert ticket["channel"] == "email"

        again = await post_raw(mail_api, raw)
        assert again.status_code == 200
        assert again.json()["duplicate"] is True
        assert again.json()["ticket"]["id"] == ticket["id"]

        listed = await mail_api.get(
            "/api/v1/intake/mail", params={"status": "ticket_created"}, headers=AGENT
        )
        found = [m for m in listed.json()["items"] if m["message_id"] == mid]
        assert len(found) == 1
        assert found[0]["source"] == "api"
        assert found[0]["ticket_id"] == ticket["id"]
        detail = await record(mail_api, found[0]["id"])
        assert detail["parsed"]["subject"] == ticket["subject"]
        original = await mail_api.get(found[0]["raw_url"].removeprefix(""), headers=AGENT)
        assert original.status_code == 200
        assert original.headers["content-type"] == "message/rfc822"
        assert original.content == raw  # byte for byte

    async def test_auto_reply_and_bounce_make_nothing_and_say_why(
        self, mail_api: httpx.AsyncClient, mail_engine: AsyncEngine
    ) -> None:
        vacation, _ = fresh("auto_reply_rfc3834.eml", "a.kuznetsova@sev-zvezda.example")
        bounce, _ = fresh("dsn_bounce.eml", "MAILER-DAEMON@mx.tehnomir.example")
        for raw in (vacation, bounce):
            r = await post_raw(mail_api, raw)
            assert r.status_code == 202, r.text
            assert r.json()["outcome"] == "ignored"
            assert r.json()["reason"]
            stored = await record(mail_api, r.json()["mail_id"])
            assert (stored["status"], stored["ticket_id"]) == ("ignored", None)
        events = await outbox(mail_engine, r.json()["mail_id"])
        assert [(e["topic"], e["type"], e["key"]) for e in events] == [
            ("support.mail.v1", "mail.bounced", "old.employee@tehnomir.example")
        ]
        assert events[0]["data"]["status"] == "5.1.1"

    async def test_an_unknown_sender_opens_nothing_and_is_announced(
        self, mail_api: httpx.AsyncClient, mail_engine: AsyncEngine
    ) -> None:
        raw, mid = fresh("unknown_sender.eml", "John.Stranger@freemail.example")
        r = await post_raw(mail_api, raw)
        assert (r.status_code, r.json()["outcome"]) == (202, "unknown_sender"), r.text
        events = await outbox(mail_engine, r.json()["mail_id"])
        assert [(e["type"], e["key"]) for e in events] == [
            ("mail.sender_unknown", "john.stranger@freemail.example")
        ]
        assert events[0]["data"]["message_id"] == mid
        assert events[0]["data"]["language"] == "en"

    async def test_an_empty_body_is_a_problem_not_a_record(
        self, mail_api: httpx.AsyncClient
    ) -> None:
        r = await post_raw(mail_api, b"  ")
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "message/rfc822" in r.json()["detail"]


class TestStoredLikeSmtp:
    async def test_a_reply_threads_by_references_as_a_comment_without_the_quote(
        self,
        mail_api: httpx.AsyncClient,
        mail_engine: AsyncEngine,
        entitlement_server: EntitlementServer,
    ) -> None:
        sender, _ = entitlement_server.contact()
        first, first_mid = fresh("new_ticket_koi8r.eml", sender)
        opened = await post_raw(mail_api, first)
        assert opened.status_code == 201, opened.text
        ticket = opened.json()["ticket"]
        # The desk's registration mail answered the first; the customer answers that one.
        desk_mid = f"notif.{uuid.uuid4()}@support-desk.local"
        reply, _ = fresh(
            "thebat_koi8r.eml",
            sender,
            **{
                "In-Reply-To": f"<{desk_mid}>",
                "References": f"<{first_mid}> <{desk_mid}>",
                "Subject": "Re: no number here",
            },
        )
        uow = IntakeUnitOfWork(sessionmaker(mail_engine), schema="intake", source="intake")
        accepted = await mailbox.accept(
            uow, reply, source="smtp", envelope_from=sender,
            recipients=["support@support-desk.local"], now=datetime.now(UTC),
        )  # fmt: skip
        done = await settled(mail_api, str(accepted.id))
        assert (done["status"], done["ticket_id"]) == ("comment_added", ticket["id"])
        body = await comment_body(mail_engine, done["comment_id"])
        assert body.strip()
        assert "Вы писали" not in body
        assert ">" not in body


class TestAttachments:
    async def test_a_replys_files_are_stored_on_its_comment_byte_for_byte(
        self, mail_api: httpx.AsyncClient, entitlement_server: EntitlementServer
    ) -> None:
        sender, _ = entitlement_server.contact()
        first, first_mid = fresh("new_ticket_cp1251.eml", sender)
        ticket = (await post_raw(mail_api, first)).json()["ticket"]
        reply, _ = fresh(
            "thunderbird_utf8_attachment.eml",
            sender,
            **{"In-Reply-To": f"<{first_mid}>", "References": f"<{first_mid}>"},
        )
        r = await post_raw(mail_api, reply)
        assert r.status_code == 201, r.text
        assert r.json()["outcome"] == "comment_added"
        listed = await mail_api.get(f"/api/v1/tickets/{ticket['id']}/attachments", headers=AGENT)
        files = listed.json()
        assert {f["source"] for f in files} == {"email"}
        assert {f["comment_id"] for f in files} == {r.json()["comment_id"]}
        sent = {a.filename: a.data for a in parse(reply).attachments if not a.inline or a.filename}
        assert sorted(f["filename"] for f in files) == sorted(sent)
        for f in files:
            got = await mail_api.get(
                f"/api/v1/tickets/{ticket['id']}/attachments/{f['id']}/content", headers=AGENT
            )
            assert got.content == sent[f["filename"]]  # byte for byte
        # The same message again (a sender's retry): nothing stored twice.
        again = await post_raw(mail_api, reply)
        assert again.status_code == 200
        relisted = await mail_api.get(f"/api/v1/tickets/{ticket['id']}/attachments", headers=AGENT)
        assert len(relisted.json()) == len(files)


class TestAccess:
    @pytest.mark.parametrize("role", [Role.customer, Role.bot, Role.system])
    async def test_records_are_support_staffs(
        self, mail_api: httpx.AsyncClient, role: Role
    ) -> None:
        who = principal_headers(role, uuid.uuid4() if role != Role.system else None)
        listed = await mail_api.get("/api/v1/intake/mail", headers=who)
        one = await mail_api.get(f"/api/v1/intake/mail/{uuid.uuid4()}", headers=who)
        raw = await mail_api.get(f"/api/v1/intake/mail/{uuid.uuid4()}/raw", headers=who)
        assert [r.status_code for r in (listed, one, raw)] == [403, 403, 403]
        assert listed.json()["type"].endswith("/role-not-allowed")

    async def test_an_agent_reads_them_and_a_missing_one_is_404(
        self, mail_api: httpx.AsyncClient
    ) -> None:
        assert (await mail_api.get("/api/v1/intake/mail", headers=AGENT)).status_code == 200
        missing = await mail_api.get(f"/api/v1/intake/mail/{uuid.uuid4()}/raw", headers=AGENT)
        assert missing.status_code == 404
        bad = await mail_api.get("/api/v1/intake/mail", params={"status": "x"}, headers=AGENT)
        assert bad.status_code == 422
        assert "ticket_created" in bad.json()["detail"]

    async def test_a_customer_key_may_not_post_raw_mail(self, mail_api: httpx.AsyncClient) -> None:
        who = principal_headers(Role.customer, uuid.uuid4())
        raw, _ = fresh("new_ticket_cp1251.eml", "x@acme.example")
        assert (await post_raw(mail_api, raw, who)).status_code == 403

    async def test_a_bot_of_another_customer_is_refused_and_the_record_says_why(
        self, mail_api: httpx.AsyncClient, entitlement_server: EntitlementServer
    ) -> None:
        sender, _ = entitlement_server.contact()
        raw, mid = fresh("new_ticket_cp1251.eml", sender)
        r = await post_raw(mail_api, raw, principal_headers(Role.bot, uuid.uuid4()))
        assert r.status_code == 403
        assert r.json()["type"].endswith("/not-customers-contact")
        listed = await mail_api.get(
            "/api/v1/intake/mail", params={"status": "failed"}, headers=AGENT
        )
        found = [m for m in listed.json()["items"] if m["message_id"] == mid]
        assert found
        assert "another customer" in found[0]["reason"]

    async def test_a_bots_unknown_sender_is_recorded_but_never_answered(
        self, mail_api: httpx.AsyncClient, mail_engine: AsyncEngine
    ) -> None:
        raw, _ = fresh("unknown_sender.eml", "someone@freemail.example")
        r = await post_raw(mail_api, raw, principal_headers(Role.bot, uuid.uuid4()))
        assert (r.status_code, r.json()["outcome"]) == (202, "unknown_sender"), r.text
        assert await outbox(mail_engine, r.json()["mail_id"]) == []


FUTURE = datetime(2099, 3, 2, 9, 0, tzinfo=UTC)  # out of reach of the app's own processor


class TestProcessorAlone:
    def poller(
        self, engine: AsyncEngine, clock: FrozenClock, entitlement: EntitlementServer
    ) -> tuple[DurablePoller[IntakeUnitOfWork], httpx.AsyncClient]:
        http = httpx.AsyncClient(base_url=entitlement.url, timeout=5)
        ctx = MailContext(
            entitlements=EntitlementClient(http),
            config=IntakeConfig(),
            own_addresses=["support@support-desk.local"],
        )
        uow = lambda: IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")  # noqa: E731
        job = ProcessMail(uow, lambda: ctx, clock)
        return DurablePoller("t", uow=uow, jobs=[job], clock=clock, batch=10, poll_seconds=1), http

    async def test_entitlement_down_keeps_it_pending_then_it_is_processed(
        self,
        mail_engine: AsyncEngine,
        entitlement_server: EntitlementServer,
        mail_api: httpx.AsyncClient,
    ) -> None:
        clock = FrozenClock(FUTURE)
        poller, http = self.poller(mail_engine, clock, entitlement_server)
        sender, _ = entitlement_server.contact()
        raw, _ = fresh("new_ticket_koi8r.eml", sender)
        uow = IntakeUnitOfWork(sessionmaker(mail_engine), schema="intake", source="intake")
        accepted = await mailbox.accept(
            uow, raw, source="smtp", envelope_from=sender, recipients=[], now=clock.now()
        )
        try:
            entitlement_server.down = True
            await poller.run_once()
            waiting = await record(mail_api, str(accepted.id))
            assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
            assert "entitlement" in waiting["reason"]
            entitlement_server.down = False
            await poller.run_once()  # not due yet: the backoff holds it
            assert (await record(mail_api, str(accepted.id)))["attempts"] == 1
            clock.set(FUTURE + timedelta(seconds=6))
            await poller.run_once()
            done = await record(mail_api, str(accepted.id))
            assert (done["status"], done["attempts"]) == ("ticket_created", 2)
        finally:
            entitlement_server.down = False
            await http.aclose()

    async def test_a_processor_that_died_after_taking_a_message_is_replaced(
        self,
        mail_engine: AsyncEngine,
        entitlement_server: EntitlementServer,
        mail_api: httpx.AsyncClient,
    ) -> None:
        start = FUTURE + timedelta(days=1)
        clock = FrozenClock(start)
        poller, http = self.poller(mail_engine, clock, entitlement_server)
        sender, _ = entitlement_server.contact()
        raw, _ = fresh("new_ticket_cp1251.eml", sender)
        uow = IntakeUnitOfWork(sessionmaker(mail_engine), schema="intake", source="intake")
        accepted = await mailbox.accept(
            uow, raw, source="smtp", envelope_from=sender, recipients=[], now=start
        )
        try:
            # A processor takes it (its lease commits) and dies before doing anything.
            async with uow:
                taken = await uow.mailbox.claim(now=start, lease_until=start + LEASE, limit=50)
                await uow.commit()
            assert accepted.id in [t.id for t in taken]
            assert await poller.run_once() == 0  # leased: nobody else takes it meanwhile
            clock.set(start + LEASE + timedelta(seconds=1))
            assert await poller.run_once() >= 1
            done = await record(mail_api, str(accepted.id))
            assert (done["status"], done["attempts"]) == ("ticket_created", 2)
            clock.set(start + LEASE * 5)
            assert await poller.run_once() == 0  # settled: never processed twice
        finally:
            await http.aclose()
