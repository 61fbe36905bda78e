"""Routes of the knowledge base."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query

from intake.api.deps import Agent, Anyone, UowDep
from intake.api.schemas import ArticleCreate, ArticleRead
from intake.usecases import knowledge_base

router = APIRouter(tags=["tickets"])


@router.post("/kb/articles", status_code=201, tags=["kb"])
async def create_article(body: ArticleCreate, uow: UowDep, who: Agent) -> ArticleRead:
    """Add a known error or typical solution to the knowledge base."""
    return await knowledge_base.create_article(body, uow)


@router.get("/kb/articles", tags=["kb"])
async def search_articles(
    uow: UowDep,
    who: Anyone,
    q: str | None = Query(default=None, max_length=2000, description="Words, Russian or English"),
    match: str = Query(default="all", pattern="^(all|any)$"),
    limit: int = Query(default=20, ge=1, le=100),
) -> list[ArticleRead]:
    """Search articles (all words by default, ``match=any`` for any word), best first."""
    return await knowledge_base.search_articles(uow, q=q, any_word=match == "any", limit=limit)


@router.get("/kb/articles/{article_id}", tags=["kb"])
async def get_article(article_id: UUID, uow: UowDep, who: Anyone) -> ArticleRead:
    """One knowledge-base article."""
    return await knowledge_base.get_article(article_id, uow)
