"""``GET /api/v1/audit``: every service's record of who changed what, merged, newest first.

Entries are written where the changes are, each in the transaction of its change
(``shared.audit``): the gateway's own ``audit_log`` holds API-key management, each
service's holds the changes made through it with an ``admin`` or ``manager`` key.
This route reads the gateway's table and every service's ``GET /internal/audit``
with the same filters, and merges them by id (UUIDv7, so by time).

A service that does not answer fails the whole read with 503 naming it: a page
that silently lacked one service's entries would read as a complete record, and
its cursor would skip them for good.
"""

from __future__ import annotations

import asyncio
import heapq
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request

from gateway.adapters.audit import own_entries
from gateway.auth import require
from gateway.keys import Principal
from shared.audit import AuditEntry, AuditFilter, AuditPage, Filters
from shared.auth import HEADER_ID, HEADER_ROLE, HEADER_TOKEN, Role
from shared.errors import ServiceUnavailable
from shared.logging import get_logger

log = get_logger(__name__)

Reader = Annotated[Principal, Depends(require(Role.manager))]


async def _own(request: Request, where: AuditFilter) -> AuditPage:
    return await own_entries(request.app.state.sessions, where)


async def _service(
    name: str, client: httpx.AsyncClient, *, where: AuditFilter, headers: dict[str, str]
) -> AuditPage:
    """One service's page; ServiceUnavailable naming it when it cannot answer."""
    try:
        r = await client.get("/internal/audit", params=where.params(), headers=headers)
    except httpx.HTTPError as exc:
        raise _unavailable(name, exc.__class__.__name__) from exc
    if r.status_code != 200:
        raise _unavailable(name, f"answered {r.status_code}")
    return AuditPage.model_validate(r.json())


def _unavailable(name: str, why: str) -> ServiceUnavailable:
    log.warning("audit log incomplete: a service did not answer", service=name, why=why)
    return ServiceUnavailable(
        f"The audit log of {name} cannot be read now ({why}); retry shortly. "
        "No partial page is returned: it would read as the whole record.",
        service=name,
    )


def merge(pages: list[AuditPage], *, limit: int) -> AuditPage:
    """The newest ``limit`` entries of ``pages``; a cursor when any source has more."""
    merged = list(heapq.merge(*(p.items for p in pages), key=lambda e: e.id, reverse=True))
    items: list[AuditEntry] = merged[:limit]
    more = len(merged) > limit or any(p.next_cursor is not None for p in pages)
    return AuditPage(items=items, next_cursor=items[-1].id if more and items else None)


def router() -> APIRouter:
    """``GET /api/v1/audit``, newest first, for admins and managers."""
    api = APIRouter(prefix="/api/v1/audit", tags=["audit"])

    @api.get("")
    async def list_audit(request: Request, who: Reader, where: Filters) -> AuditPage:
        """Audit entries of every service, newest first; follow ``next_cursor`` for older ones.

        503 naming the service when one cannot be read (never a partial page).
        """
        settings = request.app.state.settings
        # The services check the caller's role themselves, as for any other route.
        headers = {
            HEADER_TOKEN: settings.internal_token,
            HEADER_ROLE: str(who.role),
            HEADER_ID: str(who.key_id),
        }
        clients: dict[str, httpx.AsyncClient] = request.app.state.clients
        answers = await asyncio.gather(
            _own(request, where),
            *(_service(n, c, where=where, headers=headers) for n, c in clients.items()),
            return_exceptions=True,
        )
        down = [a for a in answers if isinstance(a, ServiceUnavailable)]
        if len(down) > 1:
            names = ", ".join(str(d.extensions.get("service")) for d in down)
            raise ServiceUnavailable(
                f"The audit logs of {names} cannot be read now; retry shortly.", service=names
            )
        for answer in answers:
            if isinstance(answer, BaseException):
                raise answer
        return merge([a for a in answers if isinstance(a, AuditPage)], limit=where.limit)

    return api
