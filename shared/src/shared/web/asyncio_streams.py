"""httpcore's network streams on asyncio's own transports, for plain-HTTP hops between services.

httpx's transport reaches the network through httpcore's anyio backend. On the
gateway's proxy hop that backend cost more than the HTTP work: every read and write
opened a cancel scope (a timer and a task lookup), every write yielded to the loop once
before writing, and every reuse of a pooled connection built the socket's whole
attribute table to ask whether it is readable (``bench/README.md``, gateway). Here a
stream is an :class:`asyncio.Protocol` with a buffer: a read takes what has arrived or
waits for more, a write hands the bytes to the transport, a deadline is one timer
handle, and "readable" (the server closed an idle connection, or sent something) is a
flag the protocol keeps.

The errors are httpcore's, as the anyio backend raises them, so httpx and
``shared.web.balanced`` tell a refused connection (``ConnectError``: safe to send
elsewhere) from a dropped one (``ReadError``) or a timeout exactly as before. Plain
``http://`` only: :func:`transport` keeps httpx's own for anything else (TLS).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

_Option = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


def _expire(waiter: asyncio.Future[None], error: Exception) -> None:
    if not waiter.done():
        waiter.set_exception(error)


class _Protocol(asyncio.Protocol):
    """Collects what the server sends, and says when the caller may read or write again."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.closed = False  # the server's end (EOF) or the connection's
        self.error: Exception | None = None
        self._readable: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake_reader()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake_reader()
        return False  # close our end too: HTTP/1.1 has no use for a half-open connection

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake_reader()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        if self._writable is None or self._writable.done():
            self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def _wake_reader(self) -> None:
        if self._readable is not None and not self._readable.done():
            self._readable.set_result(None)

    async def wait_readable(self, timeout: float | None) -> None:
        await self._wait("_readable", timeout, httpcore.ReadTimeout("timed out reading"))

    async def wait_writable(self, timeout: float | None) -> None:
        if self._writable is not None and not self._writable.done():
            await self._wait("_writable", timeout, httpcore.WriteTimeout("timed out writing"))

    async def _wait(self, name: str, timeout: float | None, late: Exception) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = getattr(self, name) or loop.create_future()
        if waiter.done():
            waiter = loop.create_future()
        setattr(self, name, waiter)
        timer = None if timeout is None else loop.call_later(timeout, _expire, waiter, late)
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP connection as httpcore reads and writes it."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._protocol = protocol
        self._transport = transport

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if not protocol.buffer and not protocol.closed:
            await protocol.wait_readable(timeout)
        if protocol.buffer:
            data = bytes(protocol.buffer[:max_bytes])
            del protocol.buffer[:max_bytes]
            return data
        if protocol.error is not None:
            raise httpcore.ReadError(str(protocol.error) or repr(protocol.error))
        return b""  # the server closed the connection: httpcore says what that means

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._protocol.closed or self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._transport.write(buffer)
        await self._protocol.wait_writable(timeout)

    async def aclose(self) -> None:
        self._transport.close()

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle pooled connection the server closed or wrote to
            return self._protocol.closed or bool(self._protocol.buffer)
        if info == "socket":
            return self._transport.get_extra_info("socket")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens :class:`AsyncioStream` connections (plain TCP)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_Option] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                made, protocol = await loop.create_connection(
                    _Protocol,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no connection to {host}:{port} in time") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        # uvloop may call ``connection_made`` only after this returns: take the transport here.
        stream = AsyncioStream(made, protocol)
        sock: socket.socket | None = stream.get_extra_info("socket")
        for option in socket_options or ():
            if sock is not None:
                sock.setsockopt(*option)
        return stream

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def transport(urls: Iterable[str], *, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's transport for ``urls``: over :class:`AsyncioBackend` when all are plain HTTP."""
    made = httpx.AsyncHTTPTransport(limits=limits)
    if all(httpx.URL(url).scheme == "http" for url in urls):
        # The pool httpx builds, with the backend it has no parameter for.
        made._pool = httpcore.AsyncConnectionPool(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=AsyncioBackend(),
        )
    return made
