"""``POST /internal/mail`` on PostgreSQL with the real worker and SMTP catcher: the gateway's mail."""

from __future__ import annotations

from email import message_from_bytes, policy

import httpx
import pytest
from fastapi import FastAPI

from notification.worker import DeliveryWorker
from shared.infra.mailcatcher import MailCatcher

from .conftest import api, mail_files

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

BODY = {
    "key": "sign-in:t1",
    "to": "ivan@acme.example",
    "template": "sign_in",
    "language": "en",
    "values": {
        "link": "https://desk.example/portal/signin/t1",
        "minutes": "15",
        "customer_name": "Acme",
    },
}


async def test_only_the_internal_hop_as_system_may_ask(app: FastAPI) -> None:
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://notification",
            headers={"x-internal-token": "guess", "x-principal-role": "system"},
        ) as outsider,
        api(app, "agent") as agent,
        api(app, "system") as system,
    ):
        spoofed = await outsider.post("/internal/mail", json=BODY)
        as_agent = await agent.post("/internal/mail", json=BODY)
        other_template = await system.post("/internal/mail", json={**BODY, "template": "resolved"})
        routed = await system.post("/api/v1/internal/mail", json=BODY)

    assert spoofed.status_code == 401
    assert as_agent.status_code == 403
    assert other_template.status_code == 422
    assert routed.status_code == 404  # not under /api/v1: the gateway never routes it


async def test_one_message_per_key_sent_by_the_worker(
    app: FastAPI, worker: DeliveryWorker, catcher: MailCatcher
) -> None:
    before = len(mail_files(catcher))
    async with api(app, "system") as system:
        first = await system.post("/internal/mail", json=BODY)
        again = await system.post("/internal/mail", json=BODY)
        sent = await worker.deliver_due()
        listed = await system.get("/api/v1/notifications", params={"recipient": BODY["to"]})

    [path] = mail_files(catcher)[before:]
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert (first.status_code, first.json()) == (202, {"queued": True})
    assert again.json() == {"queued": False}
    assert sent == 1
    assert message["Subject"] == "Your sign-in link to the support portal"
    assert "https://desk.example/portal/signin/t1" in text
    assert [n["status"] for n in listed.json()] == ["sent"]
