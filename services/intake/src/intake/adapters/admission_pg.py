"""Admission's unit of work on asyncpg's own connection: ``POST /tickets`` without the ORM.

Every ticket passes here, and through the ORM session each of its statements cost more
of intake's CPU than PostgreSQL spent running it (``bench/sql_layer_cost.py``), so the
admission runs prebuilt statements on the pooled connection itself, as the outbox relay
does (``shared.pool_guard.driver_connection``). The rules stay in ``usecases.admission``
and the domain; this module is only their storage, and keeps the guarantees of
``IntakeUnitOfWork``:

- **Ticket and events together.** A ticket row and the events it recorded are written by
  one statement (a data-modifying ``WITH``), so neither commits without the other.
- **Locks first.** Taking a lock (the customer's, an Idempotency-Key's: the same advisory
  locks as ``SqlTicketRepository``'s) opens the transaction there and then, so every read
  and write after it happens under the lock, as before.
- **Writes at the commit.** Admission never reads back what it wrote, so its writes wait
  for :meth:`commit` and leave in the fewest round trips: a commit of one write statement
  outside any lock (a ticket of a tier without an open-ticket limit, no Idempotency-Key,
  not audited) is that statement alone, atomic by itself, without BEGIN and COMMIT.
  Reads outside a lock need no transaction: the registration number comes from a
  sequence, which no transaction rolls back anyway, and the knowledge base is read only.
- **Nothing left behind.** Without :meth:`commit` the writes are dropped and an open
  transaction is rolled back; the audit entry of an audited request commits with the
  change (``shared.audit.record_raw``); the relay is woken, or the commit announced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.orm import ticket
from intake.adapters.queries import TS_CONFIG
from intake.adapters.repository import admission_lock, idempotency_lock, ticket_of
from intake.domain.admission import OpenTicketRef
from intake.domain.ticket import Comment, Ticket
from intake.uow import ArticleHit
from shared import audit
from shared.events.vocabulary import OPEN_STATUSES
from shared.messaging.outbox_rows import NOTIFY, OutboxRows, insert_sql
from shared.pool_guard import driver_connection

_JSON = frozenset(c.name for c in ticket.c if c.type.__class__.__name__ == "JSONB")
_TICKET_COLUMNS = tuple(
    c.name for c in ticket.c if c.name in {f.name for f in dataclasses.fields(Ticket)}
)
_COMMENT_COLUMNS = tuple(f.name for f in dataclasses.fields(Comment))
_OPEN = [str(s) for s in OPEN_STATUSES]


def _placeholders(columns: Sequence[str], *, first: int = 1) -> str:
    return ", ".join(
        f"${n}::jsonb" if name in _JSON else f"${n}" for n, name in enumerate(columns, first)
    )


def _ticket_args(item: Ticket) -> list[Any]:
    """The ticket's columns in ``_TICKET_COLUMNS`` order (JSON as text, as the outbox's)."""
    args: list[Any] = []
    for name in _TICKET_COLUMNS:
        value = getattr(item, name)
        if name == "policy":
            value = None if value is None else value.model_dump_json()
        elif name in _JSON:
            value = json.dumps(value)
        args.append(value)
    return args


class _Statements:
    """The admission's SQL for one schema, built once (``$n`` parameters, asyncpg's)."""

    def __init__(self, schema: str) -> None:
        table = f'"{schema}".ticket'
        n = len(_TICKET_COLUMNS)
        # A ticket and its events in one statement; the outbox's arrays follow its columns.
        self.insert = (
            f"WITH t AS (INSERT INTO {table} ({', '.join(_TICKET_COLUMNS)}) "
            f"VALUES ({_placeholders(_TICKET_COLUMNS)})) {insert_sql(schema, first=n + 1)}"
        )
        sets = ", ".join(
            f"{name} = {p}"
            for name, p in zip(
                _TICKET_COLUMNS, _placeholders(_TICKET_COLUMNS).split(", "), strict=True
            )
        )
        self.update = (
            f"WITH t AS (UPDATE {table} SET {sets}, updated_at = now() WHERE id = ${n + 1}) "
            f"{insert_sql(schema, first=n + 2)}"
        )
        self.comment = (
            f'INSERT INTO "{schema}".comment ({", ".join(_COMMENT_COLUMNS)}) '
            f"VALUES ({', '.join(f'${i}' for i in range(1, len(_COMMENT_COLUMNS) + 1))})"
        )
        self.lock = "SELECT pg_advisory_xact_lock(hashtext($1))"
        self.by_key = f"SELECT * FROM {table} WHERE customer_id = $1 AND idempotency_key = $2"
        self.open_of = (
            f"SELECT id, registration_number FROM {table} "
            "WHERE customer_id = $1 AND status = ANY($2::text[]) ORDER BY received_at"
        )
        self.next_number = f"SELECT nextval('\"{schema}\".registration_number_seq')"
        # queries.search_articles(any_word=True): any stemmed word of the text, ranked.
        self.suggest = (
            "WITH q AS (SELECT to_tsquery('simple', coalesce((SELECT string_agg("
            f"quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('{TS_CONFIG}', $1::text))"
            "), '')) AS q) "
            "SELECT a.id, a.kind, a.title, ts_rank_cd(a.search, q.q) AS rank "
            f'FROM "{schema}".kb_article a, q WHERE a.search @@ q.q '
            "ORDER BY rank DESC, a.created_at DESC LIMIT $2"
        )


_STATEMENTS: dict[str, _Statements] = {}


class PgAdmissionTickets:
    """The tickets as admission sees them (``intake.uow.AdmissionTickets``)."""

    def __init__(self, uow: PgAdmissionUnitOfWork) -> None:
        self._uow = uow

    async def lock_customer(self, customer_id: UUID) -> None:
        """One admission per customer at a time (``SqlTicketRepository.lock_customer``)."""
        await self._uow.lock(admission_lock(customer_id))

    async def lock_idempotency_key(self, customer_id: UUID, key: str) -> None:
        """The same key sent twice at once: the second waits, then replays the first's."""
        await self._uow.lock(idempotency_lock(customer_id, key))

    async def by_idempotency_key(self, customer_id: UUID, key: str) -> Ticket | None:
        row = await self._uow.conn.fetchrow(self._uow.sql.by_key, customer_id, key)
        if row is None:
            return None
        columns = dict(row.items())
        for name in _JSON & columns.keys():  # JSON as text where no codec decoded it
            if isinstance(columns[name], str):
                columns[name] = json.loads(columns[name])
        return ticket_of(columns)

    async def open_of(self, customer_id: UUID) -> list[OpenTicketRef]:
        rows = await self._uow.conn.fetch(self._uow.sql.open_of, customer_id, _OPEN)
        return [OpenTicketRef(r["id"], r["registration_number"]) for r in rows]

    async def next_number(self) -> int:
        return int(await self._uow.conn.fetchval(self._uow.sql.next_number))

    async def add(self, item: Ticket) -> None:
        args = _ticket_args(item)  # the row as it is now: later moves are the next save's
        self._uow.write(self._uow.sql.insert, *args, *self._stage(item))

    async def save(self, item: Ticket) -> None:
        if not item.events:
            return
        args = _ticket_args(item)
        self._uow.write(self._uow.sql.update, *args, item.id, *self._stage(item))

    def _stage(self, item: Ticket) -> tuple[list[Any], ...]:
        outbox = self._uow.outbox
        for sequence, event in item.pull_events():
            outbox.stage(event, subject=str(item.id), sequence=sequence)
        return outbox.take()


class PgComments:
    """Comments as admission writes them (the knowledge base's note on a basic ticket)."""

    def __init__(self, uow: PgAdmissionUnitOfWork) -> None:
        self._uow = uow

    async def add(self, note: Comment) -> None:
        values = dataclasses.asdict(note)
        values["attachments"] = json.dumps(values["attachments"])
        self._uow.write(self._uow.sql.comment, *(values[c] for c in _COMMENT_COLUMNS))


class PgArticleSuggestions:
    """Knowledge-base articles for a new ticket's text (``SqlArticleSuggestions``' query)."""

    def __init__(self, uow: PgAdmissionUnitOfWork) -> None:
        self._uow = uow

    async def suggest(self, text: str, limit: int) -> Sequence[ArticleHit]:
        if not text.strip() or limit <= 0:
            return []
        rows = await self._uow.conn.fetch(self._uow.sql.suggest, text, limit)
        return [
            ArticleHit(id=r["id"], kind=r["kind"], title=r["title"], rank=float(r["rank"] or 0))
            for r in rows
        ]


class PgAdmissionUnitOfWork:
    """Admission's transaction on asyncpg (``intake.uow.AdmissionUnitOfWork``); see the module."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        schema: str,
        source: str,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._engine = engine
        self._schema = schema
        self._source = source
        self._on_commit = on_commit
        self.sql = _STATEMENTS.get(schema) or _STATEMENTS.setdefault(schema, _Statements(schema))

    async def __aenter__(self) -> Self:
        self._stack = contextlib.AsyncExitStack()
        self.conn: asyncpg.Connection = await self._stack.enter_async_context(
            driver_connection(self._engine)
        )
        self._tx: asyncpg.transaction.Transaction | None = None
        self._writes: list[tuple[str, tuple[Any, ...]]] = []
        # With no relay of its own to wake, the commit announces itself to the others.
        self.outbox = OutboxRows(
            schema=self._schema, source=self._source, announce=self._on_commit is None
        )
        self.tickets = PgAdmissionTickets(self)
        self.comments = PgComments(self)
        self.articles = PgArticleSuggestions(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._writes.clear()
            if self._tx is not None and not self.conn.is_closed():
                await self._tx.rollback()  # uncommitted: drop it (and its locks)
        finally:
            self._tx = None
            await self._stack.__aexit__(exc_type, exc, tb)

    async def lock(self, key: str) -> None:
        """Take a transaction-scoped advisory lock, opening the transaction if need be."""
        await self._begin()
        await self.conn.execute(self.sql.lock, key)

    def write(self, statement: str, *args: Any) -> None:
        """Keep a write for :meth:`commit` (see the module: admission never reads it back)."""
        self._writes.append((statement, args))

    async def _begin(self) -> None:
        if self._tx is None:
            self._tx = self.conn.transaction()
            await self._tx.start()

    async def commit(self) -> None:
        """Write what was kept, with the audit entry, in one transaction (or one statement)."""
        writes, self._writes = self._writes, []
        notify = self.outbox.notify_args()
        if notify is not None:
            writes.append((NOTIFY, notify))
        if self._tx is None and len(writes) == 1 and audit.current() is None:
            statement, args = writes[0]
            await self.conn.execute(statement, *args)
        else:
            await self._begin()
            for statement, args in writes:
                await self.conn.execute(statement, *args)
            await audit.record_raw(self.conn, schema=self._schema, outbox_key=self.outbox.first_key)
            assert self._tx is not None
            await self._tx.commit()
        self._tx = None
        if self.outbox.staged:
            self.outbox.staged = 0
            if self._on_commit is not None:
                self._on_commit()
