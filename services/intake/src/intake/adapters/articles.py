"""Knowledge-base articles in PostgreSQL (searching them is ``adapters.queries``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.orm import kb_article


async def add_article(session: AsyncSession, *, article_id: UUID, values: dict[str, Any]) -> Any:
    """Insert an article and return its row."""
    stmt = insert(kb_article).values(id=article_id, **values).returning(kb_article)
    return (await session.execute(stmt)).one()


async def article(session: AsyncSession, article_id: UUID) -> Any | None:
    """One article's row, or None."""
    stmt = select(kb_article).where(kb_article.c.id == article_id)
    return (await session.execute(stmt)).one_or_none()
