"""Async database helpers: engine, naming-convention metadata, unit of work, migrations.

Each service owns one PostgreSQL schema (``intake``, ``sla_clock`` ...) in the
shared database and never reads another's. Its outbox and inbox tables live in
that schema too, so a state change, the events it causes and the record of the
event that caused it commit in one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import asyncpg
from asyncpg.transaction import Transaction
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared import (
    audit,  # registers the commit hook that writes audit entries
    pgconnect,
)
from shared.pool_guard import driver_connection, guard_pool
from shared.settings import DatabaseSettings
from shared.statements import DriverStatements, SessionStatements, Statements

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata(schema: str) -> MetaData:
    """Return the MetaData of one service's schema, with stable constraint names."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    """Create the service's pooled async engine: TLS from the URL (shared.pgconnect), and
    dead connections never reused (shared.pool_guard)."""
    engine = pgconnect.create_engine(
        settings.url,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        # No pre-ping: it costs a round trip per checkout. shared.pool_guard refuses a
        # connection the server ended at checkout, without a round trip; one that dies
        # in use fails its statement, is closed with every older one, and the API
        # answers 503 (see shared.errors), so the client retries.
        pool_pre_ping=False,
        echo=settings.echo,
    )
    return guard_pool(engine)


def sessionmaker(
    engine: AsyncEngine, *, audit_schema: str | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (no lazy loads under async).

    With ``audit_schema``, an audited request's commit writes its entry into that
    schema's ``audit_log`` in the same transaction (``shared.audit``).
    """
    info = {audit.SCHEMA_INFO: audit_schema} if audit_schema else {}
    return async_sessionmaker(engine, expire_on_commit=False, info=info)


class UnitOfWork:
    """One database transaction shared by repositories, the outbox and the inbox.

    It rolls back unless :meth:`commit` is called, so a handler that raises leaves
    nothing behind. Services subclass it to add their repositories in
    :meth:`_open`.

    ``direct``: the transaction runs on asyncpg's own connection, taken from the
    engine's pool (``shared.pool_guard.driver_connection``), and ``statements`` is
    all there is (no ``session``). For a consumer's transactions, whose few statements
    cost as much again in SQLAlchemy's statement layer as on the server; repositories
    written on ``statements`` run the same SQL either way.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        schema: str,
        source: str,
        on_commit: Callable[[], None] | None = None,
        direct: bool = False,
    ) -> None:
        self._sessions = sessions
        self.schema = schema
        self.source = source
        self._on_commit = on_commit
        self.direct = direct
        self._entered = False
        self._earliest_due: datetime | None = None
        self._driver: contextlib.AbstractAsyncContextManager[asyncpg.Connection] | None = None
        self._transaction: Transaction | None = None

    async def __aenter__(self) -> Self:
        from shared.messaging.inbox import Inbox
        from shared.messaging.outbox import Outbox

        if self._entered:
            # A nested ``async with uow`` would replace the open session: the outer
            # transaction would be left open (its locks held) and never committed.
            raise RuntimeError(
                "This unit of work is already in a transaction; run the code in it "
                "instead of opening another (a handler runs in the consumer's)."
            )
        self._earliest_due = None
        info: dict[object, object]
        if self.direct:
            self.statements: Statements = DriverStatements(await self._begin_direct())
            info = {}
        else:
            self.session = self._sessions()
            self.statements = SessionStatements(self.session)
            info = self.session.info
        self._entered = True
        try:
            # With no relay of its own to wake, the commit announces itself to the others.
            announce = self._on_commit is None
            self.outbox = Outbox(
                self.statements,
                schema=self.schema,
                source=self.source,
                announce=announce,
                info=info,
            )
            self.inbox = Inbox(self.statements, schema=self.schema)
            self._open()
        except BaseException as exc:
            await self.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    async def _begin_direct(self) -> asyncpg.Connection:
        """Check out asyncpg's connection and begin the transaction on it."""
        engine = self._sessions.kw["bind"]
        self._driver = driver_connection(engine)
        conn = await self._driver.__aenter__()
        try:
            self._transaction = conn.transaction()
            await self._transaction.start()
        except BaseException as exc:
            await self._release_direct(exc)
            raise
        return conn

    async def _release_direct(self, exc: BaseException | None) -> None:
        """Roll back unless committed and give the connection back (invalidated if the
        server dropped it: ``driver_connection`` sees the error that ended the work)."""
        transaction, self._transaction = self._transaction, None
        driver, self._driver = self._driver, None
        failed: BaseException | None = None
        try:
            if transaction is not None:
                await transaction.rollback()
        except BaseException as error:  # a cancelled rollback too: the connection goes back
            failed = error
        finally:
            if driver is not None:
                ended = exc or failed
                with contextlib.suppress(Exception):
                    await driver.__aexit__(type(ended) if ended else None, ended, None)
        if failed is not None and (exc is None or not isinstance(failed, Exception)):
            raise failed

    def _open(self) -> None:
        """Create repositories on ``self.statements`` (or ``self.session``); subclasses override."""

    def claim_locks(self, subjects: Sequence[str]) -> list[str]:
        """Advisory locks (their keys) for the consumer's inbox claim to take, in the same
        statement, for events of these subjects (``Inbox.claim``); none by default.

        A service whose handlers take a lock per subject first thing (sla-clock's per
        ticket) names it here and saves that round trip on every event.
        """
        return []

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.direct:
                await self._release_direct(exc)
            else:
                try:
                    await self.session.rollback()  # no-op after commit; drops anything uncommitted
                finally:
                    await self.session.close()
        finally:
            self._entered = False

    def stored_due(self, at: datetime) -> None:
        """Note a row stored for a scheduler to act on at ``at`` (an alarm, a target).

        The earliest of the transaction is announced once it commits
        (:meth:`_due_committed`): a scheduler sleeping until its next row must hear of a
        sooner one, and only after the commit can it read it.
        """
        if self._earliest_due is None or at < self._earliest_due:
            self._earliest_due = at

    async def _flush(self) -> None:
        """Hook: write what the repositories held back for the commit (sla-clock's batch of
        ticket stores, one statement for the whole batch); nothing by default."""

    async def commit(self) -> None:
        """Commit, then wake the outbox relay if events were written, and the scheduler."""
        await self._flush()
        wrote_events = self.outbox.pending
        if self.direct:
            assert self._transaction is not None, "commit() outside the unit of work"
            await self._transaction.commit()
            self._transaction = None  # nothing left to roll back
        else:
            await self.session.commit()
        self.outbox.pending = 0
        if wrote_events and self._on_commit:
            self._on_commit()
        earliest, self._earliest_due = self._earliest_due, None
        if earliest is not None:
            self._due_committed(earliest)

    def _due_committed(self, earliest: datetime) -> None:
        """Hook: a runtime's subclass wakes the scheduler of its process (see ``stored_due``)."""


async def ping(engine: AsyncEngine) -> None:
    """Raise if the database does not answer."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def run_migrations(*, script_location: Path, url: str, schema: str) -> None:
    """Upgrade one service's schema to head (sync; call it outside a running loop or in a thread)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["schema"] = schema
    command.upgrade(config, "head")


async def run_migrations_async(*, script_location: Path, url: str, schema: str) -> None:
    """Run :func:`run_migrations` in a worker thread (Alembic's async env starts its own loop)."""
    await asyncio.to_thread(run_migrations, script_location=script_location, url=url, schema=schema)


def alembic_env(target_metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py``: online, async, one schema."""
    from alembic import context
    from sqlalchemy import pool
    from sqlalchemy.engine import Connection

    config = context.config
    schema: str = config.attributes.get("schema") or target_metadata.schema or "public"
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set")

    def do_run(connection: Connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_schemas=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = pgconnect.create_engine(url, poolclass=pool.NullPool)
        async with engine.begin() as conn:
            # Two processes migrating one schema at once must not race.
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
            await conn.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


def messaging_tables_ddl(schema: str) -> list[str]:
    """DDL of the outbox and inbox tables, for a service's first migration."""
    return [
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".outbox (
            id uuid PRIMARY KEY,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            topic text NOT NULL,
            key text NOT NULL,
            event_type text NOT NULL,
            payload jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz
        )""",
        f"""CREATE INDEX IF NOT EXISTS ix_outbox_unpublished
            ON "{schema}".outbox (seq) WHERE published_at IS NULL""",
        f"""CREATE INDEX IF NOT EXISTS ix_outbox_published_at
            ON "{schema}".outbox (published_at) WHERE published_at IS NOT NULL""",
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".inbox (
            handler text NOT NULL,
            event_id uuid NOT NULL,
            event_type text NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_inbox PRIMARY KEY (handler, event_id)
        )""",
    ]
