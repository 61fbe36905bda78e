"""A pooled connection the server ended is dropped, never handed out again.

When PostgreSQL ends a backend (a restart, a failover, ``pg_terminate_backend``) it
sends a FATAL error and closes the socket. An idle asyncpg connection in the pool
reads the error with no query waiting for it and its protocol is left "consuming an
error" until the close is read, one loop pass or more later. SQLAlchemy asks
asyncpg only ``is_closed()`` to tell a disconnect, which is still false then, so
such a connection went back into use and failed with asyncpg's "cannot switch to
state …; another operation is in progress", or was returned to the pool after that
error and failed again. Two guards, neither costing a round trip:

- on checkout, a connection that is closed, or whose socket holds the server's
  close (or any unsolicited byte: an idle connection is owed none), is refused with
  ``InvalidatePoolError``: the pool replaces it and recycles every connection made
  before it at its next checkout, without using them;
- on any error, one that means the connection is gone or its protocol state is
  unknown (SQLSTATE class 08, 57P01-57P03, asyncpg's internal client error, "connection
  is closed") is a disconnect: SQLAlchemy closes that connection instead of returning
  it to the pool, and recycles the older ones.

A pre-ping (``pool_pre_ping``) would also catch them, at one round trip per checkout.
"""

from __future__ import annotations

import socket
from typing import Any

import asyncpg
from sqlalchemy import event, exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

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


def ended_by_server(raw: Any) -> bool:
    """Whether an idle asyncpg connection is closed or the server has written to it since.

    A non-blocking ``MSG_PEEK`` of one byte on a duplicate of the socket: nothing to
    read (the usual case) means alive; the close (``b""``) or an unsolicited message
    (a FATAL not yet read) means it must not be used.
    """
    if raw.is_closed():
        return True
    transport = getattr(raw, "_transport", None)
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None:
        return False
    try:
        with sock.dup() as peek:
            peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True


def _on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    raw = getattr(dbapi_connection, "driver_connection", None)
    if raw is not None and ended_by_server(raw):
        raise exc.InvalidatePoolError("the server ended this pooled connection")


def _on_error(context: ExceptionContext) -> None:
    if not context.is_disconnect and broken_connection(context.original_exception):
        context.is_disconnect = True


def guard_pool(engine: AsyncEngine) -> AsyncEngine:
    """Install both guards on ``engine`` (a recreated pool keeps them)."""
    event.listen(engine.sync_engine, "checkout", _on_checkout)
    event.listen(engine.sync_engine, "handle_error", _on_error)
    return engine
