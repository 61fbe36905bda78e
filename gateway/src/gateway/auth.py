"""Authentication at the gateway: the API key, the rate limit, and the roles of its own routes.

``authenticate`` is the one dependency of every ``/api`` route: 401 problem+json
for no key, a malformed ``Authorization`` header, an unknown, revoked or expired
key; 429 when the key's bucket is empty. It leaves the principal and the bucket
state on ``request.state`` for the middleware (RateLimit-* headers, audit log).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from gateway.adapters.keys import KeyStore
from gateway.keys import Principal
from gateway.ratelimit import RateLimited, RateLimiter
from shared import audit
from shared.auth import Role, Unauthorized, allowed_roles, check_role
from shared.logging import bind_context

# What a key may look like: printable ASCII without spaces (RFC 6750 b64token, loosely).
_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{1,512}$")


def _bearer(header: str) -> str:
    """The key in ``Authorization: Bearer <key>``; 401 when missing or malformed."""
    if not header:
        raise Unauthorized(
            "Send an API key as 'Authorization: Bearer <key>'; ask an admin for one.",
            slug="missing-api-key",
        )
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not _TOKEN.match(key):
        raise Unauthorized(
            "The Authorization header is malformed; send 'Authorization: Bearer <key>'.",
            slug="malformed-authorization",
        )
    return key


async def authenticate(request: Request) -> Principal:
    """The caller of an ``/api`` route, from ``Authorization: Bearer <key>``, within its limit."""
    key = _bearer(request.headers.get("authorization", ""))
    store: KeyStore = request.app.state.keys
    found = await store.authenticate(key)
    if found is None:
        raise Unauthorized(
            "The API key is unknown, revoked or past its rotation grace; ask an admin for a "
            "new one.",
            slug="invalid-api-key",
        )
    request.state.principal = found
    bind_context(principal=str(found.key_id), role=found.role)
    limiter: RateLimiter = request.app.state.limiter
    decision = limiter.take(str(found.key_id), found.role)
    request.state.ratelimit = decision
    if not decision.allowed:
        raise RateLimited(
            f"This key may send {decision.limit} requests at once; retry after "
            f"{decision.retry_after} s.",
            retry_after=decision.retry_after,
        )
    return found


Authenticated = Annotated[Principal, Depends(authenticate)]


def _begin_audit(request: Request, who: Principal) -> None:
    """The audit context of the gateway's own changes (key management), see ``shared.audit``."""
    path = request.url.path
    audited = audit.audited(request.method, path, who.role)
    audit.begin(
        audit.AuditContext(
            key_id=str(who.key_id),
            key_name=who.name,
            role=who.role,
            method=request.method,
            path=path,
            request_id=getattr(request.state, "request_id", None),
        )
        if audited
        else None
    )


def require(*roles: Role) -> Callable[[Principal, Request], Awaitable[Principal]]:
    """A gateway route's role check (the same implied roles as ``shared.auth.require``).

    A coroutine, so FastAPI runs it on the loop: a sync dependency goes to the thread pool.
    """
    admitted = allowed_roles(roles)

    async def dependency(who: Authenticated, request: Request) -> Principal:
        _begin_audit(request, who)
        check_role(who.role, admitted, request)
        return who

    dependency.allowed_roles = admitted  # type: ignore[attr-defined]  # read by the route table test
    return dependency
