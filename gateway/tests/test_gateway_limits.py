"""The gateway's request limits, against a real uvicorn server over real sockets."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI, Request

from gateway.limits import Limits, RequestLimits
from shared.infra.net import free_port
from shared.web.problems import install_problem_handlers

pytestmark = pytest.mark.asyncio(loop_scope="session")

LIMITS = Limits(
    max_body_bytes=1000,
    body_limits={"/big": 5000},
    max_header_count=50,
    max_header_bytes=1024,
    max_headers_total_bytes=8 * 1024,
    body_timeout_seconds=0.5,
)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/{path:path}")
    async def echo(path: str, request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.get("/{path:path}")
    async def show(path: str) -> dict[str, str]:
        return {"path": path}

    app.add_middleware(RequestLimits, limits=LIMITS)
    return app


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def server() -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(_app(), host="127.0.0.1", port=port, log_config=None, lifespan="off")
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    for _ in range(500):  # up to 10 s
        if srv.started:
            break
        await asyncio.sleep(0.02)
    yield f"127.0.0.1:{port}"
    srv.should_exit = True
    await asyncio.wait_for(task, 10)


async def _raw(address: str, request: bytes, *, then: bytes = b"", pause: float = 0) -> bytes:
    """Send raw bytes (optionally more after a pause) and read the whole answer."""
    host, port = address.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        if pause:
            await asyncio.sleep(pause)
            with contextlib.suppress(ConnectionError):
                writer.write(then)
                await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)  # until the server closes
    finally:
        writer.close()


def _status_and_body(raw: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"application/problem+json" in head.lower()
    return status, json.loads(body)


async def test_a_body_within_the_limit_passes(server: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://{server}") as client:
        small = await client.post("/x", content=b"a" * 1000)
        big_route = await client.post("/big/y", content=b"a" * 4000)
    assert small.json() == {"bytes": 1000}
    assert big_route.json() == {"bytes": 4000}


async def test_an_announced_body_over_the_limit_is_refused_before_it_is_read(server: str) -> None:
    raw = await _raw(
        server,
        b"POST /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 300000000\r\n\r\n",
    )
    status, body = _status_and_body(raw)
    assert status == 413
    assert body["limit"] == 1000
    assert "by reference" in str(body["detail"])


async def test_a_chunked_body_is_counted_as_it_arrives(server: str) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(30):
            yield b"b" * 100

    async with httpx.AsyncClient(base_url=f"http://{server}") as client:
        r = await client.post("/x", content=chunks())
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_too_many_or_too_large_headers_answer_431(server: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://{server}") as client:
        many = await client.get("/x", headers={f"x-h{i}": "v" for i in range(60)})
        large = await client.get("/x", headers={"x-large": "v" * 2000})
    assert many.status_code == 431
    assert large.status_code == 431
    assert "at most 50 headers" in many.json()["detail"]


async def test_a_stalled_body_answers_408_quickly(server: str) -> None:
    started = asyncio.get_running_loop().time()
    raw = await _raw(
        server,
        b"POST /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 100\r\n\r\n0123456789",
        then=b"x" * 90,
        pause=3,
    )
    elapsed = asyncio.get_running_loop().time() - started
    status, body = _status_and_body(raw)
    assert status == 408
    assert body["type"] == "/problems/body-timeout"
    assert elapsed < 3.5


async def test_control_characters_in_the_path_answer_400(server: str) -> None:
    raw = await _raw(
        server, b"GET /api/v1/tickets/a%01b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    status, body = _status_and_body(raw)
    assert status == 400
    assert body["type"] == "/problems/invalid-path"


async def test_a_malformed_content_length_is_refused(server: str) -> None:
    raw = await _raw(
        server, b"POST /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: -3\r\n\r\nabc"
    )
    assert raw.split(b" ", 2)[1] == b"400"  # by the HTTP parser or by the guard


async def test_attachment_uploads_get_their_own_larger_limit_by_a_wildcard_segment() -> None:
    limits = Limits(max_body_bytes=1000, body_limits={"/api/v1/tickets/*/attachments": 7000})
    default = Limits(max_body_bytes=1000)

    assert limits.body_limit("/api/v1/tickets/0d9c/attachments") == 7000
    assert limits.body_limit("/api/v1/tickets/0d9c/comments") == 1000
    assert limits.body_limit("/api/v1/tickets//attachments") == 1000
    # Built in: 25 MiB of files plus the multipart framing, with no setting at all.
    assert default.body_limit("/api/v1/tickets/0d9c/attachments") == 26 * 1024 * 1024
    assert default.body_limit("/api/v1/tickets") == 1000
