"""The audit log: who changed what, written in the transaction that makes the change.

The rule (``audited``): a mutating request (not GET/HEAD/OPTIONS) made with an
``admin`` or ``manager`` key, and every API-key management request. Each service
keeps its own ``audit_log`` table in its schema, and each entry is inserted by the
commit of the change itself, so a change is never committed without its entry and an
entry never outlives a change that rolled back, whichever connection dies when.

How, without any use case having to remember it:

- :class:`AuditScope`, an ASGI middleware of every app, opens an empty slot for the
  request; the role-check dependency (``shared.auth.require``, the gateway's own
  ``require``) fills it with an :class:`AuditContext` when the request is audited.
- Sessions made by ``shared.db.sessionmaker(engine, audit_schema=...)`` carry the
  schema; a ``before_commit`` listener on every SQLAlchemy session inserts the entry
  into that schema's ``audit_log`` in the committing transaction. The insert is
  guarded by ``pg_current_xact_id_if_assigned() IS NOT NULL``: PostgreSQL assigns a
  transaction id only when it writes, so a transaction that changed nothing (a read,
  a no-op) leaves no entry, at no extra round trip. A refused request raises before
  any commit and leaves none either.

The target of an entry is, in order: what the code named (:func:`note_target`), the
last id in the path, the key of the first event the transaction put in its outbox.
``GET /api/v1/audit`` at the gateway merges every service's ``GET /internal/audit``.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote, unquote
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import event, text
from sqlalchemy.orm import Session

AUDITED_ROLES = frozenset({"admin", "manager"})
KEYS_PATH = "/api/v1/api-keys"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
SCHEMA_INFO = "audit_schema"  # the session.info key naming the schema of the entry
_TARGET_INFO = "audit_outbox_key"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def audited(method: str, path: str, role: str) -> bool:
    """Whether a request is on the record: admin-class changes and all key management."""
    if method.upper() in READS:
        return False
    return role in AUDITED_ROLES or path.startswith(KEYS_PATH)


def path_target(path: str) -> str | None:
    """The last id in ``path`` (the resource a request on it changes), if any."""
    ids = _UUID.findall(path)
    return ids[-1] if ids else None


def encode_name(name: str) -> str:
    """A key's name as an ASCII header value (names may hold any printable character)."""
    return quote(name, safe=" ")


def decode_name(value: str) -> str:
    """The inverse of :func:`encode_name`."""
    return unquote(value)


@dataclass
class AuditContext:
    """Who is changing what in the current request (only for audited requests)."""

    key_id: str
    key_name: str
    role: str
    method: str
    path: str
    request_id: str | None
    target_id: str | None = None
    entries: int = field(default=0)  # how many commits of this request wrote an entry


@dataclass
class _Slot:
    context: AuditContext | None = None


_slot: ContextVar[_Slot | None] = ContextVar("audit_slot", default=None)


def begin(context: AuditContext | None) -> None:
    """Put the request's audit context in its slot (``None``: the request is not audited).

    Called by the role-check dependency. The slot is a mutable box opened by
    :class:`AuditScope`, so what a dependency puts there is seen by the endpoint even
    when the two run in copies of the context.
    """
    slot = _slot.get()
    if slot is None:  # no AuditScope around (a test calling a dependency alone)
        slot = _Slot()
        _slot.set(slot)
    slot.context = context


def current() -> AuditContext | None:
    """The audit context of the request being served, if it is audited."""
    slot = _slot.get()
    return slot.context if slot else None


def note_target(target_id: object) -> None:
    """Name what the current request changes, when the path does not (a created key)."""
    context = current()
    if context is not None:
        context.target_id = str(target_id)


def note_outbox_key(info: dict[Any, Any], key: str) -> None:
    """Remember the first event key of a transaction (``session.info``): a create's target."""
    info.setdefault(_TARGET_INFO, key)


class AuditScope:
    """ASGI middleware: a fresh audit slot per request, closed when it ends.

    Under uvicorn every request is a task of its own, but an in-process client (tests,
    ``httpx.ASGITransport``) runs the app in the caller's task: without the reset, an
    admin's request would leave its context behind for whatever the caller commits next.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _slot.set(_Slot())
        try:
            await self.app(scope, receive, send)
        finally:
            _slot.reset(token)


def _as_uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


_INSERT = (
    'INSERT INTO "{schema}".audit_log '
    "(id, key_id, key_name, role, method, path, target_id, request_id) "
    "SELECT :id, :key_id, :key_name, :role, :method, :path, :target_id, :request_id "
    "WHERE pg_current_xact_id_if_assigned() IS NOT NULL"
)


def _entry(context: AuditContext, outbox_key: str | None) -> dict[str, Any]:
    from shared.events.base import new_id

    target = context.target_id or path_target(context.path) or outbox_key
    return {
        "id": new_id(),
        "key_id": _as_uuid(context.key_id),
        "key_name": context.key_name[:200],
        "role": context.role,
        "method": context.method.upper(),
        "path": context.path[:2000],
        "target_id": target[:200] if target else None,
        "request_id": context.request_id,
    }


@event.listens_for(Session, "before_commit")
def _record(session: Session) -> None:
    """Insert the entry of an audited request's change in the transaction committing it."""
    outbox_key = session.info.pop(_TARGET_INFO, None)
    context = current()
    schema = session.info.get(SCHEMA_INFO)
    if context is None or not schema:
        return
    result = session.execute(text(_INSERT.format(schema=schema)), _entry(context, outbox_key))
    context.entries += getattr(result, "rowcount", 0) or 0


# The same insert for asyncpg's own connection (positional parameters, in _entry's order).
_INSERT_RAW = (
    'INSERT INTO "{schema}".audit_log '
    "(id, key_id, key_name, role, method, path, target_id, request_id) "
    "SELECT $1, $2, $3, $4, $5, $6, $7, $8 "
    "WHERE pg_current_xact_id_if_assigned() IS NOT NULL"
)


async def record_raw(conn: Any, *, schema: str, outbox_key: str | None) -> None:
    """:func:`_record` for a transaction on asyncpg's own connection (``shared.pool_guard``).

    Call it just before that transaction's COMMIT; it does nothing for a request that is
    not audited, and the guard leaves no entry for a transaction that wrote nothing.
    """
    context = current()
    if context is None:
        return
    status = await conn.execute(
        _INSERT_RAW.format(schema=schema), *_entry(context, outbox_key).values()
    )
    context.entries += int(str(status).rpartition(" ")[2] or 0)


def audit_table_ddl(schema: str) -> list[str]:
    """DDL of a service's ``audit_log`` table (each service's audit migration)."""
    return [
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".audit_log (
            id uuid PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            key_id uuid,
            key_name text NOT NULL,
            role text NOT NULL,
            method text NOT NULL,
            path text NOT NULL,
            target_id text,
            request_id text
        )""",
        f'CREATE INDEX IF NOT EXISTS ix_audit_log_target_id ON "{schema}".audit_log (target_id)',
        f'CREATE INDEX IF NOT EXISTS ix_audit_log_request_id ON "{schema}".audit_log (request_id)',
    ]


class AuditEntry(BaseModel):
    """One change on the record."""

    id: UUID
    at: datetime
    service: str
    key_id: UUID | None
    key_name: str
    role: str
    method: str
    path: str
    target_id: str | None
    request_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: UUID | None


@dataclass(frozen=True)
class AuditFilter:
    """The filters of ``GET /api/v1/audit``, passed on to every service as they are."""

    key_id: UUID | None = None
    role: str | None = None
    method: str | None = None
    path_prefix: str | None = None
    target_id: str | None = None
    request_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    cursor: UUID | None = None
    limit: int = 50

    def params(self) -> dict[str, str]:
        """As query parameters."""
        out: dict[str, str] = {}
        for name, value in vars(self).items():
            if value is None:
                continue
            out[name] = value.isoformat() if isinstance(value, datetime) else str(value)
        return out


def audit_filter(
    key_id: UUID | None = None,
    role: Annotated[str | None, Query(pattern="^[a-z]{1,20}$")] = None,
    method: Annotated[str | None, Query(pattern="^[A-Za-z]{1,10}$")] = None,
    path_prefix: Annotated[str | None, Query(max_length=500)] = None,
    target_id: Annotated[str | None, Query(max_length=200)] = None,
    request_id: Annotated[str | None, Query(max_length=128)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    cursor: Annotated[UUID | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditFilter:
    """The audit filters of a request's query string."""
    return AuditFilter(
        key_id=key_id,
        role=role,
        method=method.upper() if method else None,
        path_prefix=path_prefix.replace("\x00", "") if path_prefix else None,
        target_id=target_id,
        request_id=request_id,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    )


Filters = Annotated[AuditFilter, Depends(audit_filter)]


def select_sql(schema: str, where: AuditFilter, *, extra: str = "") -> tuple[str, dict[str, Any]]:
    """The page query of one schema's ``audit_log``: newest first, ``limit + 1`` rows."""
    clauses: list[str] = []
    params: dict[str, Any] = {"limit": where.limit + 1}
    for column in ("key_id", "role", "method", "target_id", "request_id"):
        value = getattr(where, column)
        if value is not None:
            clauses.append(f"{column} = :{column}")
            params[column] = value
    if where.path_prefix:
        clauses.append("starts_with(path, :path_prefix)")
        params["path_prefix"] = where.path_prefix
    if where.since is not None:
        clauses.append("at >= :since")
        params["since"] = where.since
    if where.until is not None:
        clauses.append("at < :until")
        params["until"] = where.until
    if where.cursor is not None:
        clauses.append("id < :cursor")  # UUIDv7 ids sort by time
        params["cursor"] = where.cursor
    if extra:
        clauses.append(extra)
    condition = " AND ".join(clauses) or "true"
    return (
        "SELECT id, at, key_id, key_name, role, method, path, target_id, request_id "
        f'FROM "{schema}".audit_log WHERE {condition} ORDER BY id DESC LIMIT :limit',
        params,
    )


def page_of(rows: list[dict[str, Any]], *, service: str, limit: int) -> AuditPage:
    """A page of at most ``limit`` entries from ``limit + 1`` rows (the extra one: more exist)."""
    items = [AuditEntry.model_validate({**row, "service": service}) for row in rows[:limit]]
    return AuditPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


def internal_router(*, service: str, schema: str) -> APIRouter:
    """``GET /internal/audit``: this service's entries, for the gateway's merged log."""
    from shared.auth import Role, require  # shared.auth imports this module

    api = APIRouter(tags=["audit"])

    @api.get(
        "/internal/audit",
        include_in_schema=False,
        dependencies=[Depends(require(Role.manager))],
    )
    async def list_audit(request: Request, where: Filters) -> AuditPage:
        """This service's audit entries, newest first (read by the gateway's ``/api/v1/audit``)."""
        sql, params = select_sql(schema, where)
        async with request.app.state.runtime.sessions() as session:
            rows = (await session.execute(text(sql), params)).mappings().all()
        return page_of([dict(r) for r in rows], service=service, limit=where.limit)

    return api
