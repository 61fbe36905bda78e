"""The running gateway refuses oversize bodies and unusable paths with problem+json, not 500."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from deskstack.stack import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_a_two_megabyte_ticket_is_refused_with_413(api: httpx.AsyncClient) -> None:
    r = await api.post(
        "/api/v1/tickets",
        content=b'{"subject": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_control_character_in_the_path_is_a_400_not_a_crash(stack: RunningStack) -> None:
    host, port = stack.gateway_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"GET /api/v1/tickets/a%0Ab HTTP/1.1\r\nHost: t\r\n"
        + f"Authorization: Bearer {stack.admin_key}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)  # until the server closes
    writer.close()
    assert answer.split(b" ", 2)[1] == b"400"
    assert b"invalid-path" in answer
