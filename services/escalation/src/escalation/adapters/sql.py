"""The plain-SQL base of escalation's repositories: one session, one schema.

Every statement names its schema through ``{s}``, so one service never touches
another's tables; each text is compiled once and reused.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import Row, TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession


@functools.lru_cache(maxsize=256)
def _statement(statement: str, schema: str) -> TextClause:
    """One TextClause per statement: its cache key and compiled form are then reused."""
    return text(statement.replace("{s}", f'"{schema}"'))


def as_json(value: Any) -> str | None:
    """A value for a ``CAST(:x AS jsonb)`` parameter."""
    return None if value is None else json.dumps(value, default=str)


def from_json(value: Any) -> Any:
    """A jsonb column as Python (asyncpg hands some back as text)."""
    return json.loads(value) if isinstance(value, str) else value


class SqlRepository:
    """Statements over the unit of work's session in one schema."""

    def __init__(self, session: AsyncSession, *, schema: str) -> None:
        self._session = session
        self._schema = schema

    def _sql(self, statement: str) -> TextClause:
        return _statement(statement, self._schema)

    async def _execute(self, statement: str, params: dict[str, Any]) -> None:
        await self._session.execute(self._sql(statement), params)

    async def _rows(self, statement: str, params: dict[str, Any]) -> list[Row[Any]]:
        return list((await self._session.execute(self._sql(statement), params)).all())

    async def _one(self, statement: str, params: dict[str, Any]) -> Row[Any] | None:
        return (await self._session.execute(self._sql(statement), params)).one_or_none()
