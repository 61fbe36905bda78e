"""Email as a channel, end to end: real messages over SMTP to the stack's listener.

The listener (``python -m intake smtp``) stores each message before its 250; intake's
processor makes tickets and comments of them; notification's registration mail lands in
the stack's mail catcher, and the customer's reply to it threads back. The messages are
the real ``.eml`` fixtures (services/intake/tests/fixtures/mail/) with the sender
rewritten to a contact registered here and a fresh Message-ID.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import httpx
import pytest

from deskstack.stack import RunningStack
from shared.infra.mailcatcher import read_mail
from shared.testing.builders import make_customer_contact
from shared.testing.mailfix import fixture, rewrite_headers

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

SUPPORT = "support@support-desk.local"


async def eventually(probe: Callable[[], Any], *, timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = await probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def fresh(name: str, sender: str, **headers: str | None) -> tuple[bytes, str]:
    mid = f"{uuid.uuid4()}@e2e.example"
    raw = rewrite_headers(
        fixture(name), {"From": f"Sender <{sender}>", "Message-ID": f"<{mid}>", **headers}
    )
    return raw, mid


async def send(stack: RunningStack, raw: bytes, sender: str) -> str:
    """Deliver over SMTP to the stack's listener; the 250's text."""
    errors, reply = await aiosmtplib.send(
        raw, sender=sender, recipients=[SUPPORT], hostname="127.0.0.1",
        port=stack.smtp_port, start_tls=False, timeout=30,
    )  # fmt: skip
    assert errors == {}
    return reply


async def settled(api: httpx.AsyncClient, mid: str) -> dict[str, Any]:
    """The message's record once processing settled it."""

    async def probe() -> dict[str, Any] | None:
        r = await api.get("/api/v1/intake/mail", params={"message_id": mid})
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        return items[0] if items and items[0]["status"] != "pending" else None

    found: dict[str, Any] = await eventually(probe, what=f"the record of {mid}")
    return found


def mail_to(stack: RunningStack, address: str) -> list[EmailMessage]:
    return [m for m in read_mail(stack.mail_dir) if address in str(m["To"]).lower()]


async def contact(api: httpx.AsyncClient) -> str:
    _, person = await make_customer_contact(api, "standard")
    return str(person["email"]).lower()


async def test_a_russian_message_becomes_a_ticket_and_the_reply_a_comment(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    sender = await contact(api)
    raw, mid = fresh("new_ticket_cp1251.eml", sender)
    assert (await send(stack, raw, sender)).startswith("2.0.0 Stored as")
    first = await settled(api, mid)
    assert first["status"] == "ticket_created", first
    ticket = (await api.get(f"/api/v1/tickets/{first['ticket_id']}")).json()
    assert ticket["subject"] == "Ошибка «Недостаточно памяти» при формировании отчёта"
    assert "При формировании квартального отчёта" in ticket["description"]

    # Notification's registration mail answers it (In-Reply-To: our message).
    async def registration() -> EmailMessage | None:
        found = [m for m in mail_to(stack, sender) if mid in str(m["In-Reply-To"] or "")]
        return found[0] if found else None

    registered: EmailMessage = await eventually(registration, what="the registration mail")
    desk_mid = str(registered["Message-ID"])
    # The customer answers it, as a mail client does: In-Reply-To its id, References the
    # thread, and the quoted registration mail below the new text.
    references = f"{registered['References'] or ''} {desk_mid}".strip()
    reply, reply_mid = fresh(
        "thebat_koi8r.eml", sender,
        **{"In-Reply-To": desk_mid, "References": references,
           "Subject": f"Re: {registered['Subject']}"},
    )  # fmt: skip
    await send(stack, reply, sender)
    answered = await settled(api, reply_mid)
    assert (answered["status"], answered["ticket_id"]) == ("comment_added", ticket["id"])
    comments = (await api.get(f"/api/v1/tickets/{ticket['id']}/comments")).json()
    items = comments["items"] if isinstance(comments, dict) else comments
    body = next(c["body"] for c in items if c["id"] == answered["comment_id"])
    assert body.strip()
    assert "Вы писали" not in body
    assert "\n>" not in body

    original = await api.get(f"/api/v1/intake/mail/{answered['id']}/raw")
    assert original.content == reply  # the full original stays available


def attached(raw: bytes) -> dict[str, bytes]:
    """The message's attached files by name, decoded with the standard library."""
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return {
        str(part.get_filename()): bytes(part.get_payload(decode=True))
        for part in msg.iter_attachments()
        if part.get_filename()
    }


async def test_an_attachment_downloads_byte_for_byte(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    sender = await contact(api)
    first, first_mid = fresh("new_ticket_koi8r.eml", sender)
    await send(stack, first, sender)
    ticket_id = (await settled(api, first_mid))["ticket_id"]
    reply, reply_mid = fresh(
        "thunderbird_utf8_attachment.eml", sender,
        **{"In-Reply-To": f"<{first_mid}>", "References": f"<{first_mid}>"},
    )  # fmt: skip
    await send(stack, reply, sender)
    record = await settled(api, reply_mid)
    assert (record["status"], record["ticket_id"]) == ("comment_added", ticket_id)
    files = (await api.get(f"/api/v1/tickets/{ticket_id}/attachments")).json()
    sent = attached(reply)
    assert sorted(f["filename"] for f in files) == sorted(sent)
    assert any(not name.isascii() for name in sent)  # the Russian RFC 2231 file name
    for f in files:
        got = await api.get(f"/api/v1/tickets/{ticket_id}/attachments/{f['id']}/content")
        assert got.status_code == 200
        assert got.content == sent[f["filename"]]


async def test_auto_replies_and_bounces_create_nothing_and_send_nothing(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    sender = await contact(api)
    tickets_before = (await api.get("/api/v1/tickets", params={"q": sender})).json()["items"]
    vacation, vacation_mid = fresh("out_of_office_exchange.eml", sender)
    rfc3834, rfc3834_mid = fresh("auto_reply_rfc3834.eml", sender)
    daemon = f"mailer-daemon@{uuid.uuid4().hex[:8]}.example"
    bounce, bounce_mid = fresh("dsn_bounce.eml", daemon)
    for raw, envelope in ((vacation, sender), (rfc3834, sender), (bounce, "")):
        await send(stack, raw, envelope or daemon)
    for mid in (vacation_mid, rfc3834_mid, bounce_mid):
        record = await settled(api, mid)
        assert (record["status"], record["ticket_id"]) == ("ignored", None), record
        assert record["reason"]
    await asyncio.sleep(3)  # what notification would have sent by now, it sends never
    assert mail_to(stack, sender) == []
    assert mail_to(stack, daemon) == []
    tickets_after = (await api.get("/api/v1/tickets", params={"q": sender})).json()["items"]
    assert tickets_after == tickets_before


async def test_a_duplicate_message_id_makes_one_ticket(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    sender = await contact(api)
    mid = f"{uuid.uuid4()}@e2e.example"
    first = rewrite_headers(fixture("duplicate_a.eml"), {"From": sender, "Message-ID": f"<{mid}>"})
    second = rewrite_headers(fixture("duplicate_b.eml"), {"From": sender, "Message-ID": f"<{mid}>"})
    await send(stack, first, sender)
    assert "Already received" in await send(stack, second, sender)
    record = await settled(api, mid)
    assert record["status"] == "ticket_created"
    listed = (await api.get("/api/v1/intake/mail", params={"message_id": mid})).json()["items"]
    assert len(listed) == 1
    customer_tickets = await api.get("/api/v1/tickets", params={"q": "обновлению 4.3"})
    mine = [t for t in customer_tickets.json()["items"] if t["contact_email"] == sender]
    assert len(mine) == 1


async def test_an_unknown_sender_opens_nothing(stack: RunningStack, api: httpx.AsyncClient) -> None:
    stranger = f"stranger-{uuid.uuid4().hex[:8]}@freemail.example"
    raw, mid = fresh("unknown_sender.eml", stranger)
    await send(stack, raw, stranger)
    record = await settled(api, mid)
    assert (record["status"], record["ticket_id"]) == ("unknown_sender", None)
    assert stranger in record["reason"]


async def test_a_listener_killed_right_after_its_250_loses_nothing(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    sender = await contact(api)
    raw, mid = fresh("new_ticket_koi8r.eml", sender)
    await send(stack, raw, sender)
    stack.stop("intake-smtp", kill=True)  # SIGKILL the moment the client has its 250
    try:
        record = await settled(api, mid)
        assert record["status"] == "ticket_created"
    finally:
        stack.start("intake-smtp")
        stack.wait_ready(["intake-smtp"], timeout=30)
    # Sent again to the restarted listener (a sender that never saw the 250 would): one row.
    assert "Already received" in await send(stack, raw, sender)


async def test_a_raw_message_through_the_gateway(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    sender = await contact(api)
    raw, _ = fresh("html_only.eml", sender)
    r = await api.post(
        "/api/v1/intake/email", content=raw, headers={"content-type": "message/rfc822"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["ticket"]["subject"] == "Подключение рабочих мест"
    assert "<" not in r.json()["ticket"]["description"]  # HTML-only mail made readable
