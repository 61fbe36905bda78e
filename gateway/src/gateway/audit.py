"""The audit log: who changed what, and when, through an administrator's or manager's key.

The gateway records every mutating request (not GET/HEAD/OPTIONS) made with an
``admin`` or ``manager`` key (customers, contracts, policies, calendars, releases,
staff, duty, escalation policies, webhooks...) and every API-key management
request by any key, refused ones included. It records after the answer, with
the status, so a refused or failed change is on the record too. Read it with
``GET /api/v1/audit`` (admin, manager).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import Column, DateTime, Integer, Table, Text, func, insert, select
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth import require
from gateway.keys import Principal, metadata
from shared.auth import Role
from shared.events.base import new_id
from shared.logging import get_logger

log = get_logger(__name__)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", PgUUID(as_uuid=True), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("key_id", PgUUID(as_uuid=True)),
    Column("key_name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("target_id", Text),
    Column("request_id", Text),
)

AUDITED_ROLES = frozenset({Role.admin, Role.manager})
KEYS_PATH = "/api/v1/api-keys"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def audited(method: str, path: str, principal: Principal | None) -> bool:
    """Whether a request is on the record: admin-class changes and all key management."""
    if principal is None or method.upper() in _READS:
        return False
    return principal.role in AUDITED_ROLES or path.startswith(KEYS_PATH)


def target_of(path: str, created_id: str | None) -> str | None:
    """What was changed: the created resource's id, else the last id in the path."""
    if created_id:
        return created_id
    ids = _UUID.findall(path)
    return ids[-1] if ids else None


async def record(
    sessions: async_sessionmaker[AsyncSession],
    *,
    principal: Principal,
    method: str,
    path: str,
    status: int,
    target_id: str | None,
    request_id: str | None,
) -> None:
    """Append one entry; a failure is logged loudly but does not undo the answered request."""
    try:
        async with sessions() as session, session.begin():
            await session.execute(
                insert(audit_log).values(
                    id=new_id(),
                    key_id=principal.key_id,
                    key_name=principal.name,
                    role=principal.role,
                    method=method.upper(),
                    path=path[:2000],
                    status=status,
                    target_id=(target_id or None) and target_id[:200],
                    request_id=request_id,
                )
            )
    except Exception as exc:
        log.error("audit entry not written", path=path, status=status, error=repr(exc))


class AuditEntry(BaseModel):
    id: UUID
    at: datetime
    key_id: UUID | None
    key_name: str
    role: str
    method: str
    path: str
    status: int
    target_id: str | None
    request_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: UUID | None


Reader = Annotated[Principal, Depends(require(Role.manager))]


def router() -> APIRouter:
    """``GET /api/v1/audit``, newest first, for admins and managers."""
    api = APIRouter(prefix="/api/v1/audit", tags=["audit"])

    @api.get("")
    async def list_audit(
        request: Request,
        _: Reader,
        key_id: UUID | None = None,
        role: Role | None = None,
        method: Annotated[str | None, Query(pattern="^[A-Za-z]{1,10}$")] = None,
        path_prefix: Annotated[str | None, Query(max_length=500)] = None,
        target_id: Annotated[str | None, Query(max_length=200)] = None,
        status: Annotated[int | None, Query(ge=100, le=599)] = None,
        since: AwareDatetime | None = None,
        until: AwareDatetime | None = None,
        cursor: Annotated[
            UUID | None, Query(description="next_cursor of the previous page")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> AuditPage:
        """Audit entries newest first, filtered; follow ``next_cursor`` for older ones."""
        c = audit_log.c
        conditions: list[Any] = []
        for column, value in (
            (c.key_id, key_id),
            (c.role, role),
            (c.method, method.upper() if method else None),
            (c.target_id, target_id),
            (c.status, status),
        ):
            if value is not None:
                conditions.append(column == value)
        if path_prefix:
            conditions.append(func.starts_with(c.path, path_prefix.replace("\x00", "")))
        if since is not None:
            conditions.append(c.at >= since)
        if until is not None:
            conditions.append(c.at < until)
        if cursor is not None:
            conditions.append(c.id < cursor)  # UUIDv7 ids sort by time
        query = select(audit_log).where(*conditions).order_by(c.id.desc()).limit(limit + 1)
        async with request.app.state.sessions() as session:
            rows = (await session.execute(query)).mappings().all()
        items = [AuditEntry.model_validate(dict(r)) for r in rows[:limit]]
        return AuditPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)

    return api
