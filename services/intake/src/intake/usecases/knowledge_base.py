"""Use cases of the knowledge base: add an article, read one, search them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from intake.adapters import articles, queries
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import ArticleCreate, ArticleRead
from shared.errors import NotFound
from shared.events.base import new_id


def _article_read(row: Any) -> ArticleRead:
    data = dict(row._mapping)
    data.pop("search", None)
    return ArticleRead.model_validate(data)


async def create_article(cmd: ArticleCreate, uow: IntakeUnitOfWork) -> ArticleRead:
    """Add a known error or typical solution."""
    async with uow:
        row = await articles.add_article(uow.session, article_id=new_id(), values=cmd.model_dump())
        await uow.commit()
    return _article_read(row)


async def get_article(article_id: UUID, uow: IntakeUnitOfWork) -> ArticleRead:
    """One article, or NotFound."""
    async with uow:
        row = await articles.article(uow.session, article_id)
    if row is None:
        raise NotFound(f"No article {article_id}; search with GET /api/v1/kb/articles?q=.")
    return _article_read(row)


async def search_articles(
    uow: IntakeUnitOfWork, *, q: str | None, any_word: bool, limit: int
) -> list[ArticleRead]:
    """Articles matching all (or any) words, best first."""
    async with uow:
        rows = await queries.search_articles(uow.session, q=q, any_word=any_word, limit=limit)
    return [_article_read(r) for r in rows]
