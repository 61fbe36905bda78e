"""Attachments through the gateway: multipart upload, list, byte-for-byte download, access, limits."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import pytest_asyncio

from shared.testing.builders import key_client, make_customer_contact, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(4096)
BINARY = bytes(range(256)) * 64 + os.urandom(1024)  # every byte value, NULs included
LOG_NAME = "журнал ошибок.log"
LOG = "Ошибка проводки: документ №42 не проведён\r\n".encode() * 50


@dataclass
class Desk:
    """Customer A's ticket, A's customer key and its contact, and customer B's key."""

    ticket_id: str
    contact_email: str
    customer_a: httpx.AsyncClient
    customer_b: httpx.AsyncClient


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def desk(api: httpx.AsyncClient) -> AsyncIterator[Desk]:
    customer_a, contact_a = await make_customer_contact(api, "standard")
    customer_b, _ = await make_customer_contact(api, "standard")
    ticket = await make_ticket(api, contact_a["email"], subject="Проводка не работает")
    async with (
        key_client(api, "customer", customer_a["id"]) as a,
        key_client(api, "customer", customer_b["id"]) as b,
    ):
        yield Desk(ticket["id"], contact_a["email"], a, b)


def _url(ticket_id: str, tail: str = "") -> str:
    return f"/api/v1/tickets/{ticket_id}/attachments{tail}"


async def _upload(
    client: httpx.AsyncClient, ticket_id: str, files: list[tuple[str, bytes, str]], **data: str
) -> httpx.Response:
    return await client.post(
        _url(ticket_id),
        files=[("file", (name, content, ctype)) for name, content, ctype in files],
        data=data,
    )


class TestUploadAndDownload:
    async def test_a_customer_uploads_with_a_comment_and_downloads_byte_for_byte(
        self, desk: Desk
    ) -> None:
        r = await _upload(
            desk.customer_a,
            desk.ticket_id,
            [("screen.png", PNG, "application/octet-stream"), (LOG_NAME, LOG, "text/plain")],
            comment="Скриншот и журнал",
            contact_email=desk.contact_email,
        )

        assert r.status_code == 201, r.text
        body = r.json()
        png, log = body["attachments"]
        assert (png["content_type"], png["size"]) == ("image/png", len(PNG))
        assert (log["filename"], log["content_type"]) == (LOG_NAME, "text/plain")
        assert png["sha256"] == hashlib.sha256(PNG).hexdigest()
        assert body["comment"]["public"] is True
        assert [a["url"] for a in body["comment"]["attachments"]] == [png["url"], log["url"]]
        listed = await desk.customer_a.get(_url(desk.ticket_id))
        assert listed.status_code == 200
        assert {a["id"] for a in listed.json()} >= {png["id"], log["id"]}

        download = await desk.customer_a.get(log["url"])

        assert download.status_code == 200
        assert download.content == LOG
        assert download.headers["content-type"].startswith("text/plain")
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.headers["etag"] == f'"{log["sha256"]}"'
        assert download.headers["content-disposition"].endswith(
            f"filename*=UTF-8''{quote(LOG_NAME, safe='')}"
        )
        again = await desk.customer_a.get(
            log["url"], headers={"If-None-Match": f'"{log["sha256"]}"'}
        )
        assert again.status_code == 304

    async def test_an_agent_uploads_binary_bytes_that_come_back_unchanged(
        self, api: httpx.AsyncClient, desk: Desk
    ) -> None:
        r = await _upload(api, desk.ticket_id, [("dump.bin", BINARY, "application/x-dump")])
        assert r.status_code == 201, r.text
        [stored] = r.json()["attachments"]
        assert stored["content_type"] == "application/octet-stream"
        assert r.json()["comment"] is None

        download = await desk.customer_a.get(stored["url"])

        assert download.status_code == 200
        assert download.content == BINARY
        ticket = await api.get(f"/api/v1/tickets/{desk.ticket_id}")
        assert stored["url"] in [a.get("url") for a in ticket.json()["attachments"]]


class TestAccess:
    async def test_another_customers_key_gets_404_everywhere(
        self, api: httpx.AsyncClient, desk: Desk
    ) -> None:
        r = await _upload(api, desk.ticket_id, [("a.txt", b"hello", "text/plain")])
        assert r.status_code == 201, r.text
        url = r.json()["attachments"][0]["url"]

        answers = [
            await desk.customer_b.get(_url(desk.ticket_id)),
            await desk.customer_b.get(url),
            await _upload(desk.customer_b, desk.ticket_id, [("b.txt", b"x", "text/plain")]),
        ]

        assert [a.status_code for a in answers] == [404, 404, 404]
        assert all(a.headers["content-type"] == "application/problem+json" for a in answers)

    async def test_a_customer_key_must_name_its_contact(self, desk: Desk) -> None:
        r = await _upload(desk.customer_a, desk.ticket_id, [("a.txt", b"x", "text/plain")])

        assert r.status_code == 422
        assert "contact" in r.json()["detail"]


class TestLimits:
    async def test_a_file_over_ten_mebibytes_is_refused_naming_it(
        self, api: httpx.AsyncClient, desk: Desk
    ) -> None:
        big = b"\x00" * (10 * 1024 * 1024 + 1)

        r = await _upload(api, desk.ticket_id, [("huge.iso", big, "application/octet-stream")])

        assert r.status_code == 413, r.text
        problem: dict[str, Any] = r.json()
        assert r.headers["content-type"] == "application/problem+json"
        assert "huge.iso" in problem["detail"]
        assert (problem["size"], problem["limit"]) == (len(big), 10 * 1024 * 1024)

    async def test_more_than_twenty_files_are_refused(
        self, api: httpx.AsyncClient, desk: Desk
    ) -> None:
        files = [(f"{n}.txt", b"x", "text/plain") for n in range(21)]

        r = await _upload(api, desk.ticket_id, files)

        assert r.status_code == 413, r.text
        assert r.json()["limit"] == 20

    async def test_no_file_is_a_problem_saying_what_to_send(
        self, api: httpx.AsyncClient, desk: Desk
    ) -> None:
        r = await api.post(_url(desk.ticket_id), data={"comment": "no file"})

        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        assert "file" in r.text
