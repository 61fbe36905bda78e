"""A pooled connection the server ended is dropped, never handed out again.

When PostgreSQL ends a backend (a restart, a failover, ``pg_terminate_backend``) it
sends a FATAL error, cleans up, and only then closes the socket, some milliseconds
later. An idle asyncpg connection reads that error with no query waiting for it, and
its protocol is left "consuming an error" until the close is read. SQLAlchemy asks
asyncpg only ``is_closed()`` to tell a disconnect, still false in that window, so
such a connection went back into use and failed with asyncpg's "cannot switch to
state …; another operation is in progress" (and was returned to the pool after that
error, to fail again). The guards, none costing a round trip:

- every connection's inbound bytes pass a watcher (the transport's protocol, which
  hands them on to asyncpg's). When they hold a FATAL error response the server has
  ended the session, so the watcher closes the connection there and then: asyncpg
  is told the connection is lost (``is_closed()`` from that instant) and the socket
  is dropped, instead of waiting for the server's close;
- on checkout, a connection that is closed, or whose socket holds the server's
  close not yet read (a crash sends no FATAL), is refused with ``InvalidatePoolError``: the pool
  replaces it and recycles every connection made before it at its next checkout,
  without using them;
- on any error, one that means the connection is gone or its protocol state is
  unknown (SQLSTATE class 08, 57P01-57P03, asyncpg's internal client error,
  "connection is closed") is a disconnect: SQLAlchemy closes that connection
  instead of returning it to the pool, and recycles the older ones.

A pre-ping (``pool_pre_ping``) would catch them too, at three round trips per
checkout with the asyncpg dialect (BEGIN, a query, ROLLBACK).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from sqlalchemy import event, exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.errors import sqlstate

_GONE_STATES = frozenset({"57P01", "57P02", "57P03"})
_GONE_MESSAGES = ("connection is closed", "another operation is in progress")


def broken_connection(error: BaseException) -> bool:
    """Whether ``error`` leaves its connection unusable (gone, or its protocol state unknown)."""
    state = sqlstate(error)
    if state is not None and (state.startswith("08") or state in _GONE_STATES):
        return True
    seen: BaseException | None = error
    for _ in range(4):  # SQLAlchemy's error, the adapted one, asyncpg's
        if seen is None:
            break
        if isinstance(
            seen, (asyncpg.exceptions.InternalClientError, asyncpg.ConnectionDoesNotExistError)
        ):
            return True
        if isinstance(seen, asyncpg.InterfaceError) and any(m in str(seen) for m in _GONE_MESSAGES):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


# An ErrorResponse's severity field: PostgreSQL ends the session after a FATAL (or PANIC).
_FATAL = (b"SFATAL\x00", b"SPANIC\x00")


class _Watch(asyncio.Protocol):
    """The transport's protocol in front of asyncpg's: hands every callback on.

    On a FATAL error response it tells asyncpg the connection is lost at once and
    drops the socket (see the module's docstring); the transport's own report of the
    loss, which follows, is not passed on twice.
    """

    def __init__(self, inner: Any, transport: asyncio.Transport) -> None:
        self.inner = inner
        self.transport = transport
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)
        if not self.lost and b"E" in data and any(f in data for f in _FATAL):
            self.connection_lost(ConnectionResetError("the server ended the connection"))
            self.transport.abort()

    def eof_received(self) -> bool | None:
        result: bool | None = self.inner.eof_received()
        return result

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.lost:
            self.lost = True
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


def _on_connect(dbapi_connection: Any, record: Any) -> None:
    raw = getattr(dbapi_connection, "driver_connection", None)
    transport = getattr(raw, "_transport", None)
    if transport is not None and not isinstance(transport.get_protocol(), _Watch):
        transport.set_protocol(_Watch(transport.get_protocol(), transport))


def ended_by_server(raw: Any) -> bool:
    """Whether an idle asyncpg connection is closed or has the server's close pending.

    The latter is a non-blocking ``MSG_PEEK`` of one byte on a duplicate of the socket:
    the close (``b""``) means dead. Nothing to read, or bytes the loop has not read yet
    (a FATAL is the watcher's to see; a TLS record may be anything), mean alive.
    """
    if raw.is_closed():
        return True
    transport = getattr(raw, "_transport", None)
    sock: socket.socket | None = (
        transport.get_extra_info("socket") if transport is not None else None
    )
    if sock is None:
        return False
    try:
        with sock.dup() as peek:
            pending: bytes = peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return pending == b""


def _on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    raw = getattr(dbapi_connection, "driver_connection", None)
    if raw is not None and ended_by_server(raw):
        raise exc.InvalidatePoolError("the server ended this pooled connection")


def _on_error(context: ExceptionContext) -> None:
    if not context.is_disconnect and broken_connection(context.original_exception):
        context.is_disconnect = True


@contextlib.asynccontextmanager
async def driver_connection(engine: AsyncEngine) -> AsyncIterator[asyncpg.Connection]:
    """asyncpg's own connection, checked out of ``engine``'s pool for the block.

    For hot paths whose statements cost as much in SQLAlchemy's statement layer as on
    the server (the outbox relay's round, the consumers' transactions, intake's
    admission). The block owns the connection's state: it ends any transaction it
    starts. The guards above still apply at checkout; what SQLAlchemy does when its own
    statement meets a disconnect is done here: a connection the server dropped, or
    whose protocol state is unknown, is invalidated with every older one, so no later
    checkout gets it.
    """
    async with engine.connect() as pooled:
        raw = await pooled.get_raw_connection()
        conn: asyncpg.Connection = raw.driver_connection
        try:
            yield conn
        except BaseException as exc:
            await drop_if_broken(pooled, conn, exc)
            raise


async def drop_if_broken(
    pooled: AsyncConnection, conn: asyncpg.Connection, exc: BaseException
) -> None:
    """Invalidate ``pooled`` when ``exc`` left its asyncpg ``conn`` unusable, and every
    older connection of its pool with it.

    The server dropped it (a restart), or its protocol state is unknown: what SQLAlchemy
    does when its own statement meets a disconnect (:func:`_on_error`), so no checkout
    gets it again.
    """
    if conn.is_closed() or broken_connection(exc):
        await pooled.invalidate()
        if pooled.engine is not None:
            await pooled.engine.dispose(close=False)


def guard_pool(engine: AsyncEngine) -> AsyncEngine:
    """Install the guards on ``engine`` (a recreated pool keeps them)."""
    sync = engine.sync_engine
    event.listen(sync, "connect", _on_connect)
    event.listen(sync, "checkout", _on_checkout)
    event.listen(sync, "handle_error", _on_error)
    return engine
