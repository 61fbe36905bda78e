"""The plain-SQL base of escalation's repositories: one transaction, one schema.

Every statement names its schema through ``{s}``, so one service never touches
another's tables. Statements run on the unit of work's ``statements``: the session on
the request paths and in the scheduler, asyncpg's own connection in the consumer's
transaction (``shared.db.UnitOfWork``, ``direct``).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from shared.statements import Statements


@functools.lru_cache(maxsize=256)
def _statement(statement: str, schema: str) -> str:
    """The statement in ``schema``, made once (its parsed forms are cached by its text)."""
    return statement.replace("{s}", f'"{schema}"')


def as_json(value: Any) -> str | None:
    """A value for a ``CAST(:x AS jsonb)`` parameter."""
    return None if value is None else json.dumps(value, default=str)


def from_json(value: Any) -> Any:
    """A jsonb column as Python (asyncpg hands some back as text)."""
    return json.loads(value) if isinstance(value, str) else value


class SqlRepository:
    """Statements over the unit of work's ``statements`` in one schema; rows read by
    attribute (``row.ticket_id``) whichever runs them."""

    def __init__(self, statements: Statements, *, schema: str) -> None:
        self._db = statements
        self._schema = schema

    def _sql(self, statement: str) -> str:
        return _statement(statement, self._schema)

    async def _execute(self, statement: str, params: dict[str, Any]) -> None:
        await self._db.execute(self._sql(statement), params)

    async def _rows(self, statement: str, params: dict[str, Any]) -> list[Any]:
        return await self._db.rows(self._sql(statement), params)

    async def _one(self, statement: str, params: dict[str, Any]) -> Any | None:
        return await self._db.one(self._sql(statement), params)
