"""httpx over asyncio's own streams: answers, reused connections, and httpcore's errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from shared.web.asyncio_streams import AsyncioBackend, transport

ASYNC = pytest.mark.asyncio(loop_scope="function")

LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=5)
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return await reader.readexactly(length) if length else b""


def _answer(body: bytes, *, close: bool = False) -> bytes:
    extra = b"connection: close\r\n" if close else b""
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), extra, body)


class Server:
    """A local HTTP/1.1 server whose behaviour each test writes; counts connections."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()


async def echo_forever(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        body = await _request(reader)
        writer.write(_answer(b"echo:" + body))
        await writer.drain()


async def client(url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=url, transport=transport([url], limits=LIMITS)) as c:
        yield c


@ASYNC
class TestAnswers:
    async def test_requests_share_one_kept_alive_connection(self) -> None:
        server = Server(echo_forever)
        async with server as url:
            async for api in client(url):
                answers = [(await api.post("/x", content=b"%d" % i)).text for i in range(3)]

        assert answers == ["echo:0", "echo:1", "echo:2"]
        assert server.connections == 1

    async def test_a_connection_the_server_closed_is_not_reused(self) -> None:
        async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _request(reader)
            writer.write(_answer(b"once"))  # keep-alive on the wire, then the server hangs up
            await writer.drain()

        server = Server(once)
        async with server as url:
            async for api in client(url):
                first = await api.get("/")
                await asyncio.sleep(0.05)  # the close arrives while the connection is idle
                second = await api.get("/")

        assert (first.text, second.text) == ("once", "once")
        assert server.connections == 2

    async def test_a_large_body_arrives_whole(self) -> None:
        body = b"z" * 3_000_000
        async with Server(echo_forever) as url:
            async for api in client(url):
                answer = await api.post("/", content=body)

        assert answer.content == b"echo:" + body


@ASYNC
class TestErrors:
    async def test_a_refused_connection_is_a_connect_error(self) -> None:
        async with Server(echo_forever) as url:
            pass  # closed: nothing listens there any more
        async for api in client(url):
            with pytest.raises(httpx.ConnectError):
                await api.get("/")

    async def test_a_slow_answer_is_a_read_timeout(self) -> None:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _request(reader)
            await asyncio.sleep(0.5)

        async with Server(silent) as url:
            async for api in client(url):
                with pytest.raises(httpx.ReadTimeout):
                    await api.get("/", timeout=0.2)

    async def test_a_connection_dropped_before_the_answer_is_a_protocol_error(self) -> None:
        async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _request(reader)

        async with Server(drop) as url:
            async for api in client(url):
                with pytest.raises(httpx.RemoteProtocolError):
                    await api.get("/")


@ASYNC
async def test_tls_upstreams_keep_httpx_own_backend() -> None:
    plain = transport(["http://a:1", "http://b:2"], limits=LIMITS)
    mixed = transport(["http://a:1", "https://b:2"], limits=LIMITS)

    assert isinstance(plain._pool._network_backend, AsyncioBackend)
    assert not isinstance(mixed._pool._network_backend, AsyncioBackend)


async def _two_requests() -> list[str]:
    async with Server(echo_forever) as url:
        async for api in client(url):
            return [(await api.post("/", content=b"%d" % i)).text for i in range(2)]
    return []


def test_on_uvloop_as_the_services_run() -> None:
    """uvloop calls ``connection_made`` later than asyncio's loop does."""
    import uvloop

    assert uvloop.run(_two_requests()) == ["echo:0", "echo:1"]
