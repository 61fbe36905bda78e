"""Read-side queries of intake: ticket pages, the work queue, SLA summaries, KB search."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, func, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from intake.adapters.orm import kb_article, ticket, ticket_sla
from intake.api.schemas import ArticleRef, SlaRead, TimerRead
from intake.domain.model import QUEUE_STATUSES
from shared.errors import Unprocessable

TS_CONFIG = "russian"


def encode_cursor(received_at: datetime, ticket_id: UUID) -> str:
    raw = json.dumps([received_at.isoformat(), str(ticket_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, ident = json.loads(raw)
        return datetime.fromisoformat(at), UUID(ident)
    except (ValueError, TypeError) as exc:
        raise Unprocessable(
            "The cursor is not one this API gave out; pass next_cursor from the previous page "
            "unchanged, or omit it to start from the newest ticket.",
            slug="bad-cursor",
        ) from exc


async def sla_summaries(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, SlaRead]:
    """The SLA summary of each ticket, from the timer events sla-clock sent."""
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(ticket_sla)
            .where(ticket_sla.c.ticket_id.in_(list(ids)))
            .order_by(ticket_sla.c.timer)
        )
    ).all()
    timers: dict[UUID, list[TimerRead]] = {}
    for r in rows:
        timers.setdefault(r.ticket_id, []).append(
            TimerRead(
                timer=r.timer,
                state=r.state,
                target=r.target,
                due_at=r.due_at,
                breached=r.breached,
                breached_at=r.breached_at,
                met_at=r.met_at,
            )
        )
    out: dict[UUID, SlaRead] = {}
    for ticket_id in ids:
        items = timers.get(ticket_id, [])
        running = [t.due_at for t in items if t.state == "running" and t.due_at]
        out[ticket_id] = SlaRead(
            breached=any(t.breached for t in items),
            next_due_at=min(running) if running else None,
            timers=items,
        )
    return out


def _sla_agg() -> Any:
    return (
        select(
            ticket_sla.c.ticket_id,
            func.min(ticket_sla.c.due_at)
            .filter(ticket_sla.c.state == "running")
            .label("next_due_at"),
            func.bool_or(ticket_sla.c.breached).label("breached"),
        )
        .group_by(ticket_sla.c.ticket_id)
        .subquery("sla")
    )


async def list_tickets(
    session: AsyncSession,
    *,
    status: str | None,
    customer_id: UUID | None,
    tier: str | None,
    severity: str | None,
    assignee: str | None,
    breached: bool | None,
    q: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """One page of tickets, newest first, and the cursor of the next page."""
    sla = _sla_agg()
    stmt = select(ticket).outerjoin(sla, sla.c.ticket_id == ticket.c.id)
    conds: list[Any] = []
    if status:
        conds.append(ticket.c.status.in_(status.split(",")))
    if customer_id:
        conds.append(ticket.c.customer_id == customer_id)
    if tier:
        conds.append(ticket.c.tier.in_(tier.split(",")))
    if severity:
        conds.append(ticket.c.severity.in_(severity.split(",")))
    if assignee:
        conds.append(ticket.c.assignee == assignee)
    if breached is True:
        conds.append(sla.c.breached.is_(True))
    elif breached is False:
        conds.append(or_(sla.c.breached.is_(None), sla.c.breached.is_(False)))
    if q:
        conds.append(ticket.c.search.op("@@")(func.websearch_to_tsquery(TS_CONFIG, q)))
    if cursor:
        at, ident = decode_cursor(cursor)
        conds.append(tuple_(ticket.c.received_at, ticket.c.id) < tuple_(at, ident))
    if conds:
        stmt = stmt.where(and_(*conds))
    stmt = stmt.order_by(ticket.c.received_at.desc(), ticket.c.id.desc()).limit(limit + 1)
    rows = list((await session.execute(stmt)).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].received_at, rows[-1].id)
    return rows, next_cursor


async def work_queue(
    session: AsyncSession,
    *,
    assignee: str | None,
    customer_ids: Sequence[UUID],
    limit: int,
) -> list[Any]:
    """Open tickets in the order agents should take them (rules, section 10)."""
    sla = _sla_agg()
    severity_rank = case(
        (ticket.c.severity == "critical", 0), (ticket.c.severity == "high", 1), else_=2
    )
    stmt = (
        select(
            ticket,
            sla.c.next_due_at,
            func.coalesce(sla.c.breached, False).label("breached"),
        )
        .outerjoin(sla, sla.c.ticket_id == ticket.c.id)
        .where(ticket.c.status.in_([str(s) for s in QUEUE_STATUSES]))
    )
    if assignee:
        stmt = stmt.where(ticket.c.assignee == assignee)
    if customer_ids:
        stmt = stmt.where(ticket.c.customer_id.in_(list(customer_ids)))
    stmt = stmt.order_by(
        ticket.c.tier_priority,
        severity_rank,
        sla.c.next_due_at.asc().nulls_last(),
        ticket.c.received_at,
        ticket.c.id,
    ).limit(limit)
    return list((await session.execute(stmt)).all())


def _any_word_query(text_in: str) -> Any:
    """A tsquery matching any stemmed word of ``text_in`` (OR), ranked by how many match."""
    lexemes = (
        select(func.string_agg(func.quote_literal(text("lexeme")), " | "))
        .select_from(func.unnest(func.to_tsvector(TS_CONFIG, text_in)))
        .scalar_subquery()
    )
    return func.to_tsquery("simple", func.coalesce(lexemes, ""))


async def search_articles(
    session: AsyncSession, *, q: str | None, any_word: bool, limit: int
) -> list[Any]:
    """Articles matching ``q`` (all words, web-search syntax; or any word), best first."""
    if not q:
        stmt = select(kb_article, text("NULL::float AS rank")).order_by(
            kb_article.c.created_at.desc()
        )
        return list((await session.execute(stmt.limit(limit))).all())
    query = _any_word_query(q) if any_word else func.websearch_to_tsquery(TS_CONFIG, q)
    rank = func.ts_rank_cd(kb_article.c.search, query).label("rank")
    stmt = (
        select(kb_article, rank)
        .where(kb_article.c.search.op("@@")(query))
        .order_by(rank.desc(), kb_article.c.created_at.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).all())


async def suggest_articles(session: AsyncSession, text_in: str, limit: int) -> list[ArticleRef]:
    """The best-matching knowledge-base articles for a ticket's subject and description."""
    if not text_in.strip() or limit <= 0:
        return []
    rows = await search_articles(session, q=text_in, any_word=True, limit=limit)
    return [ArticleRef(id=r.id, kind=r.kind, title=r.title, rank=float(r.rank or 0)) for r in rows]


async def queue_by_line(conn: AsyncConnection) -> dict[str, int]:
    """Tickets in the work queue (``QUEUE_STATUSES``) by support line, for the scrape."""
    rows = await conn.execute(
        select(ticket.c.support_line, func.count())
        .where(ticket.c.status.in_([str(s) for s in QUEUE_STATUSES]))
        .group_by(ticket.c.support_line)
    )
    return {str(line): int(count) for line, count in rows.all()}
