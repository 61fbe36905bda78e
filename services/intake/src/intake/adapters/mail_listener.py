"""Wake the mail processor when another process commits inbound mail (PostgreSQL ``LISTEN``).

The same connection hears entitlement's change signal (``also``), which the entitlement
read model needs (adapters.entitlement_signal): one dedicated connection for both.

The SMTP listener and the IMAP poller are separate processes; their commit's
``pg_notify`` reaches every intake API process here, so a message is processed within
moments instead of at the next poll. Best effort, as the outbox's listener: the poll
still finds every row if the connection drops.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.mailbox import MAIL_CHANNEL
from shared.logging import get_logger
from shared.pgconnect import target_of

log = get_logger(__name__)


class MailListener:
    """One dedicated connection listening on the inbound-mail channel."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        wake: Callable[[], None],
        also: Mapping[str, Callable[[str], None]] | None = None,
        live: Callable[[bool], None] | None = None,
    ) -> None:
        self._target = target_of(engine)
        self._wake = wake
        self._also = dict(also or {})
        self._live = live or (lambda _up: None)
        self._conn: asyncpg.Connection | None = None

    async def ensure(self) -> None:
        """Listen, unless already listening on a live connection."""
        if self._conn is not None and not self._conn.is_closed():
            return
        await self.close()
        conn: asyncpg.Connection | None = None
        try:
            conn = await self._target.connect(timeout=5)
            await conn.add_listener(MAIL_CHANNEL, self._notified)
            for channel, heard in self._also.items():
                await conn.add_listener(channel, self._relay(heard))
            conn.add_termination_listener(lambda _conn: self._live(False))
        except Exception as exc:
            log.warning("cannot listen for inbound mail; polling", error=repr(exc))
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)
            return
        self._conn = conn
        self._live(True)

    @staticmethod
    def _relay(heard: Callable[[str], None]) -> Callable[[object, int, str, str], None]:
        def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
            heard(payload)

        return notified

    def _notified(self, _conn: object, _pid: int, _channel: str, _payload: str) -> None:
        self._wake()

    @property
    def listening(self) -> bool:
        """Whether the connection is open (a dropped one is seen on the next ``ensure``)."""
        return self._conn is not None and not self._conn.is_closed()

    async def close(self) -> None:
        self._live(False)
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)
