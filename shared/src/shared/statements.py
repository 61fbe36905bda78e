"""Statements built once per shape and executed with parameters, for the hot paths.

SQLAlchemy caches a statement's compiled SQL by its cache key, but building the
statement is work of its own that the cache cannot save: ``insert(t).on_conflict_do_update(
set_={k: stmt.excluded[k]})`` makes a new aliased copy of the table (``excluded``) with a
proxy for every column, coerces every value and computes a new cache key, on every call.
Profiles showed that building cost more than executing on sla-clock's consumer path. A
statement built here once per (table, columns) and executed as ``session.execute(stmt,
params)`` (or with a list of parameter sets: executemany) skips all of it. A multi-row
``.values(rows)`` is worse still: SQLAlchemy never caches its compiled form.

:class:`Statements` goes one step further for a consumer's transaction: the same SQL
text runs through the session (:class:`SessionStatements`) or on asyncpg's own
connection (:class:`DriverStatements`), so a repository is written once for both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import asyncpg
from sqlalchemy import Insert, Table, TextClause, func, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


@functools.cache
def _upsert(
    table: Table,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    touch: str | None,
    returning: bool,
) -> Insert:
    stmt = insert(table)
    set_: dict[str, Any] = {name: stmt.excluded[name] for name in update}
    if touch is not None:
        set_[touch] = func.now()
    if not set_:  # nothing to change: a no-op update still returns the row, DO NOTHING not
        set_[conflict[0]] = stmt.excluded[conflict[0]]
    upserted = stmt.on_conflict_do_update(index_elements=list(conflict), set_=set_)
    return upserted.returning(*table.c) if returning else upserted


def upsert(
    table: Table,
    *,
    conflict: Iterable[str],
    update: Iterable[str],
    touch: str | None = "updated_at",
    returning: bool = False,
) -> Insert:
    """``INSERT .. ON CONFLICT (conflict) DO UPDATE SET col = EXCLUDED.col`` for ``update``.

    Execute it with the row(s) as parameters; ``touch`` (if given) is set to ``now()``
    on update. ``conflict`` columns are never updated. ``returning``: the merged row
    comes back, in the same round trip.
    """
    keys = tuple(conflict)
    return _upsert(table, keys, tuple(c for c in update if c not in keys), touch, returning)


@functools.cache
def insert_ignoring(table: Table, conflict: tuple[str, ...]) -> Insert:
    """``INSERT .. ON CONFLICT (conflict) DO NOTHING``, built once per table."""
    return insert(table).on_conflict_do_nothing(index_elements=list(conflict))


@functools.cache
def insert_columns_ignoring(
    table: Table, columns: tuple[str, ...], conflict: tuple[str, ...]
) -> TextClause:
    """``INSERT .. SELECT * FROM unnest(arrays) ON CONFLICT (conflict) DO NOTHING``.

    Many rows in one statement that the server plans and runs once: an executemany
    of eight rows is eight executions on the server (and eight Bind/Execute messages).
    Execute it with :func:`as_columns`' parameters: one array per column.
    """
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(dialect=dialect)}[])" for name in columns
    )
    target = f'"{table.schema}".{table.name}' if table.schema else table.name
    return text(
        f"INSERT INTO {target} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    )


def as_columns(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> dict[str, list[Any]]:
    """Rows (one dict each) as one list per column, for :func:`insert_columns_ignoring`."""
    out: dict[str, list[Any]] = {name: [] for name in columns}
    for row in rows:
        for name in columns:
            out[name].append(row[name])
    return out


@functools.cache
def schema_sql(template: str, schema: str) -> str:
    """``template`` with ``{schema}`` filled in, once per (template, schema)."""
    return template.replace("{schema}", schema)


@functools.cache
def schema_text(template: str, schema: str) -> TextClause:
    """``text(template)`` with ``{schema}`` filled in, built once per (template, schema).

    A text() clause parses its bind parameters when it is made; made per call, that
    parsing showed in the consumers' profiles.
    """
    return text(template.replace("{schema}", schema))


class Row(asyncpg.Record):  # type: ignore[misc]
    """An asyncpg row that also reads by attribute, as SQLAlchemy's rows do."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=512)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """``sql`` with ``:name`` parameters as asyncpg's ``$n``, and the names in order.

    One statement text serves both executors: SQLAlchemy's ``text()`` and asyncpg. A
    ``::cast`` or a literal such as ``'10:30'`` is left alone.
    """
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _NAMED.sub(number, sql), tuple(names)


@functools.lru_cache(maxsize=512)
def _clause(sql: str) -> TextClause:
    return text(sql)


class Statements(Protocol):
    """Where a repository's statements run: the unit of work's session or its driver
    connection. Statements are SQL text with ``:name`` parameters; rows read by attribute."""

    async def execute(self, sql: str, params: Mapping[str, Any]) -> None: ...
    async def rows(self, sql: str, params: Mapping[str, Any]) -> list[Any]: ...
    async def one(self, sql: str, params: Mapping[str, Any]) -> Any | None: ...


class SessionStatements:
    """Statements through a SQLAlchemy session (the request paths, the schedulers)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def execute(self, sql: str, params: Mapping[str, Any]) -> None:
        await self.session.execute(_clause(sql), params)

    async def rows(self, sql: str, params: Mapping[str, Any]) -> list[Any]:
        return list((await self.session.execute(_clause(sql), params)).all())

    async def one(self, sql: str, params: Mapping[str, Any]) -> Any | None:
        return (await self.session.execute(_clause(sql), params)).one_or_none()


class DriverStatements:
    """Statements on asyncpg's own connection (a consumer's transaction): the statement
    layer cost as much as the statements there (``bench/sql_layer_cost.py``)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Mapping[str, Any]) -> None:
        query, names = positional(sql)
        await self.conn.execute(query, *[params[name] for name in names])

    async def rows(self, sql: str, params: Mapping[str, Any]) -> list[Any]:
        query, names = positional(sql)
        rows: list[Any] = await self.conn.fetch(
            query, *[params[name] for name in names], record_class=Row
        )
        return rows

    async def one(self, sql: str, params: Mapping[str, Any]) -> Any | None:
        query, names = positional(sql)
        return await self.conn.fetchrow(query, *[params[name] for name in names], record_class=Row)
