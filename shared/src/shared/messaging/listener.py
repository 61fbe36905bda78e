"""Wake a relay when another process commits outbox rows (PostgreSQL ``LISTEN``).

The relay then polls only as a safety net, slowly, instead of every fraction of a
second: at idle the stack sends the database almost nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.logging import get_logger
from shared.messaging.outbox import channel, origin
from shared.pgconnect import target_of

log = get_logger(__name__)


class OutboxListener:
    """One dedicated connection listening on a schema's outbox channel.

    Best effort by design: if it cannot connect, or its connection drops (a database
    restart), the relay's slow poll still finds every row, and :meth:`ensure` on the
    next round connects again. A notification can never be the only way a row leaves.
    """

    def __init__(self, engine: AsyncEngine, *, schema: str, wake: Callable[[], None]) -> None:
        # The engine's own target: its TLS settings, which its URL no longer shows.
        self._target = target_of(engine)
        self._channel = channel(schema)
        self._wake = wake
        self._conn: asyncpg.Connection | None = None
        # Other channels heard on the same connection (the consumers' doorbell), and who
        # is told when listening starts and stops.
        self._also: dict[str, Callable[[str], None]] = {}
        self._watchers: list[Callable[[bool], None]] = []

    def also(
        self, channel: str, heard: Callable[[str], None], *, listening: Callable[[bool], None]
    ) -> None:
        """Listen on ``channel`` too (one connection per process): ``heard`` gets each
        payload, ``listening`` is told True once the connection listens and False when it
        ends, so a listener that depends on it can fall back while it does not."""
        self._also[channel] = heard
        self._watchers.append(listening)

    async def ensure(self) -> None:
        """Listen, unless already listening on a live connection."""
        if self._conn is not None and not self._conn.is_closed():
            return
        await self.close()
        conn: asyncpg.Connection | None = None
        try:
            conn = await self._target.connect(timeout=5)
            await conn.add_listener(self._channel, self._notified)
            for channel, heard in self._also.items():
                await conn.add_listener(channel, _payload_to(heard))
            conn.add_termination_listener(self._ended)
        except Exception as exc:
            log.warning("cannot listen for outbox commits; polling", error=repr(exc))
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)
            return
        self._conn = conn
        self._tell(True)

    @property
    def listening(self) -> bool:
        """Whether a commit elsewhere wakes the relay now (else only its poll finds it)."""
        return self._conn is not None and not self._conn.is_closed()

    def _ended(self, _conn: object) -> None:
        self._tell(False)
        # Listen again at once (the next round connects): the relay's poll is stretched
        # only while it listens, and a lost connection must not wait out a long one.
        if self._conn is _conn:
            self._wake()

    def _tell(self, listening: bool) -> None:
        for watcher in self._watchers:
            watcher(listening)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        # This process's own commits already woke its relay (the unit of work's on_commit).
        if payload != origin():
            self._wake()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._tell(False)
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)


def _payload_to(heard: Callable[[str], None]) -> Callable[[object, int, str, str], None]:
    def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        heard(payload)

    return notified
