"""asyncpg's own connection under SQLAlchemy, for the statements on a hot path.

A statement through SQLAlchemy's ``AsyncSession`` costs about twice its CPU through
asyncpg directly (``bench/sql_layer_cost.py``: statement building, cache keys, the
result layer, the greenlet hop). Where a few fixed statements run for every event or
every round, they go to asyncpg's connection itself, taken from the engine's pool
(``shared.pool_guard.driver_connection``: the outbox relay, the consumers, intake's
admission) or from a session's transaction
(:class:`SessionDriver`, a unit of work's repositories), and SQLAlchemy keeps the pool,
the transaction and everything else.

Either way a statement that meets a dead connection (a server restart) or leaves its
protocol state unknown invalidates the connection, as SQLAlchemy does for its own
statements (``shared.pool_guard``): the pool never hands it out again.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shared.pool_guard import drop_if_broken


class SessionDriver:
    """asyncpg's connection inside a session's transaction: its statements commit with it.

    SQLAlchemy's asyncpg adapter begins the transaction at its first statement, so a
    statement sent to asyncpg before any of SQLAlchemy's would run outside it (and
    commit on its own). :meth:`_connection` begins it first, through the adapter, so the
    session's ``commit()`` and ``rollback()`` end it as if SQLAlchemy had sent them all.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # The connection of the session's current transaction: asking the session each
        # time is a greenlet hop, which cost as much as the statement's own client work.
        self._transaction: object | None = None
        self._held: tuple[AsyncConnection, asyncpg.Connection] | None = None

    async def _connection(self) -> tuple[AsyncConnection, asyncpg.Connection]:
        current = self._session.sync_session.get_transaction()
        if self._held is not None and current is not None and current is self._transaction:
            return self._held
        conn = await self._session.connection()
        adapted: Any = (await conn.get_raw_connection()).dbapi_connection
        if adapted._transaction is None:  # the adapter's lazy BEGIN
            await adapted._start_transaction()
        raw: asyncpg.Connection = adapted.driver_connection
        self._transaction = self._session.sync_session.get_transaction()
        self._held = conn, raw
        return self._held

    async def _failed(self, conn: AsyncConnection, raw: asyncpg.Connection, exc: Exception) -> None:
        self._transaction = self._held = None
        await drop_if_broken(conn, raw, exc)

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        """Run ``query`` in the session's transaction; its rows."""
        conn, raw = await self._connection()
        try:
            rows: list[asyncpg.Record] = await raw.fetch(query, *args)
        except Exception as exc:
            await self._failed(conn, raw, exc)
            raise
        return rows

    async def fetchrow(self, query: str, *args: object) -> asyncpg.Record | None:
        """Run ``query`` in the session's transaction; its first row, if any."""
        conn, raw = await self._connection()
        try:
            row: asyncpg.Record | None = await raw.fetchrow(query, *args)
        except Exception as exc:
            await self._failed(conn, raw, exc)
            raise
        return row

    async def fetchval(self, query: str, *args: object) -> Any:
        """Run ``query`` in the session's transaction; the first column of its first row."""
        row = await self.fetchrow(query, *args)
        return None if row is None else row[0]
