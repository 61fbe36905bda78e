"""The gateway's own audit entries (API-key management), read like every service's."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import SCHEMA
from shared.audit import AuditFilter, AuditPage, page_of, select_sql

# Entries written before the log moved into the changes' transactions carry the
# answer's status; the refused ones among them changed nothing.
_CHANGES_ONLY = "(status IS NULL OR status < 400)"


async def own_entries(sessions: async_sessionmaker[AsyncSession], where: AuditFilter) -> AuditPage:
    """One page of the gateway's ``audit_log``, filtered as every service filters its own."""
    sql, params = select_sql(SCHEMA, where, extra=_CHANGES_ONLY)
    async with sessions() as session:
        rows = (await session.execute(text(sql), params)).mappings().all()
    return page_of([dict(r) for r in rows], service="gateway", limit=where.limit)
