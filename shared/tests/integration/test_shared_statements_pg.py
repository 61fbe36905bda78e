"""shared.statements against a real PostgreSQL: many rows in one statement, as arrays."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.statements import as_columns, insert_columns_ignoring

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def test_rows_go_in_one_statement_and_a_conflict_or_repeat_is_ignored(
    engine: AsyncEngine,
) -> None:
    schema = f"stmt_{uuid.uuid4().hex[:8]}"
    table = Table(
        "alarm",
        MetaData(schema=schema),
        Column("owner", UUID(as_uuid=True), nullable=False),
        Column("percent", Integer, nullable=False),
        Column("fire_at", DateTime(timezone=True), nullable=False),
        Column("note", Text),
        UniqueConstraint("owner", "percent"),
    )
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await conn.run_sync(table.create)
    owner = uuid.uuid4()
    columns, key = ("owner", "percent", "fire_at", "note"), ("owner", "percent")
    statement = insert_columns_ignoring(table, columns, key)
    assert insert_columns_ignoring(table, columns, key) is statement  # built once
    rows = [
        {"owner": owner, "percent": 50, "fire_at": AT, "note": None},
        {"owner": owner, "percent": 100, "fire_at": AT, "note": "due"},
        {"owner": owner, "percent": 100, "fire_at": AT, "note": "a repeat in the batch"},
    ]
    async with engine.begin() as conn:
        await conn.execute(statement, as_columns(rows, columns))
        await conn.execute(statement, as_columns(rows[:1], columns))  # already there
        stored = (
            await conn.execute(text(f'SELECT percent, note FROM "{schema}".alarm ORDER BY 1'))
        ).all()
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    assert [tuple(r) for r in stored] == [(50, None), (100, "due")]
