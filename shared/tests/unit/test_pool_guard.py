"""Which errors end a pooled connection, and how an idle one is seen to be ended."""

from __future__ import annotations

import asyncio.trsock
import socket
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError

from shared.pool_guard import _Watch, broken_connection, ended_by_server


def _wrapped(error: BaseException) -> DBAPIError:
    """As SQLAlchemy raises it: a DBAPIError whose ``orig`` is caused by asyncpg's error."""
    adapted = Exception(str(error))
    adapted.__cause__ = error
    return DBAPIError("SELECT 1", None, adapted)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.InternalClientError(
            "cannot switch to state 12; another operation (2) is in progress"
        ),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InterfaceError("connection is closed"),
        asyncpg.exceptions.AdminShutdownError(
            "terminating connection due to administrator command"
        ),
        asyncpg.exceptions.ConnectionFailureError("connection failure"),
    ],
)
def test_errors_that_end_the_connection(error: BaseException) -> None:
    assert broken_connection(error)
    assert broken_connection(_wrapped(error))


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.DataError("invalid input for query argument $1"),
        asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence"),
        ValueError("not a database error"),
    ],
)
def test_errors_of_a_statement_keep_the_connection(error: BaseException) -> None:
    assert not broken_connection(error)
    assert not broken_connection(_wrapped(error))


class _Raw:
    """An asyncpg connection as the guard sees it: ``is_closed`` and a transport's socket."""

    def __init__(self, sock: socket.socket, *, closed: bool = False) -> None:
        self._closed = closed
        self._transport = self
        self._sock = asyncio.trsock.TransportSocket(sock)

    def is_closed(self) -> bool:
        return self._closed

    def get_extra_info(self, name: str) -> Any:
        return self._sock if name == "socket" else None

    def get_protocol(self) -> Any:
        return None


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, server = socket.socketpair()
    ours.setblocking(False)
    yield ours, server
    ours.close()
    server.close()


def test_an_idle_connection_with_nothing_to_read_is_alive(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    assert not ended_by_server(_Raw(pair[0]))


def test_the_servers_close_not_yet_read_ends_it(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, server = pair
    server.send(b"S")  # bytes the loop has not read yet: asyncpg's to read
    assert not ended_by_server(_Raw(ours))
    assert ours.recv(1) == b"S"  # only peeked: nothing taken from the connection
    server.close()
    assert ended_by_server(_Raw(ours))


def test_a_closed_connection_is_ended(pair: tuple[socket.socket, socket.socket]) -> None:
    assert ended_by_server(_Raw(pair[0], closed=True))


class _Inner:
    def __init__(self) -> None:
        self.got: list[bytes] = []
        self.lost: list[BaseException | None] = []

    def data_received(self, data: bytes) -> None:
        self.got.append(data)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost.append(exc)


class _Transport:
    aborted = False

    def abort(self) -> None:
        self.aborted = True


FATAL = (
    b"E\x00\x00\x00\x70SFATAL\x00VFATAL\x00C57P01\x00"
    b"Mterminating connection due to administrator command\x00\x00"
)


def test_a_fatal_error_closes_the_connection_at_once_and_once() -> None:
    inner, transport = _Inner(), _Transport()
    watch = _Watch(inner, transport)  # type: ignore[arg-type]

    watch.data_received(b"Z\x00\x00\x00\x05I")  # ReadyForQuery
    before = (list(inner.lost), transport.aborted)
    watch.data_received(FATAL)
    watch.connection_lost(None)  # the transport's own report, after the abort

    assert before == ([], False)
    assert inner.got == [b"Z\x00\x00\x00\x05I", FATAL]  # every byte reaches asyncpg first
    assert len(inner.lost) == 1
    assert isinstance(inner.lost[0], ConnectionResetError)
    assert transport.aborted


def test_an_ordinary_error_leaves_the_connection_open() -> None:
    inner, transport = _Inner(), _Transport()
    watch = _Watch(inner, transport)  # type: ignore[arg-type]

    watch.data_received(b"E\x00\x00\x00\x30SERROR\x00VERROR\x00C23505\x00Mduplicate\x00\x00")

    assert (inner.lost, transport.aborted) == ([], False)
