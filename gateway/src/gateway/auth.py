"""Authentication at the gateway: the API key or the browser session, the rate limit, roles.

``authenticate`` is the one dependency of every ``/api`` route. It takes an
``Authorization: Bearer <key>`` header, or else the ``desk_session`` cookie of a
signed-in browser (docs/web.md), which resolves to the same kind of principal.
401 problem+json for no key, a malformed header, an unknown, revoked or expired key
or session; 403 for a cookie-borne unsafe request (POST, PUT, PATCH, DELETE)
without its session's CSRF token (``X-CSRF-Token``, or a page form's ``csrf_token``
field); 429 when the caller's bucket is empty. It leaves the principal and the
bucket state on ``request.state`` for the middleware (RateLimit-* headers, audit log).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request

from gateway.adapters.directory import Directory
from gateway.adapters.keys import KeyStore
from gateway.adapters.sessions import SessionStore
from gateway.keys import Principal
from gateway.ratelimit import RateLimited, RateLimiter
from gateway.sessions import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    UNSAFE_METHODS,
    Kind,
    WebSession,
    csrf_matches,
)
from shared import audit
from shared.auth import Role, Unauthorized, allowed_roles, check_role
from shared.errors import Forbidden
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


async def _by_key(request: Request) -> Principal:
    key = _bearer(request.headers.get("authorization", ""))
    store: KeyStore = request.app.state.keys
    found = await store.authenticate(key)
    if found is None:
        raise Unauthorized(
            "The API key is unknown, revoked or past its rotation grace; ask an admin for a "
            "new one.",
            slug="invalid-api-key",
        )
    return found


async def _csrf_given(request: Request) -> str | None:
    """The CSRF token a request carries: the header (fetch), else a page form's field."""
    given = request.headers.get(CSRF_HEADER)
    if given:
        return given
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        # body() caches the bytes, so the route (or the proxy) can still read them.
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        values = fields.get(CSRF_FIELD)
        return values[0] if values else None
    return None


async def session_of(request: Request) -> WebSession | None:
    """The live session of the request's cookie, its person's access re-checked; or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    store: SessionStore = request.app.state.web_sessions
    found = await store.find(token, datetime.now(UTC))
    if found is None:
        return None
    directory: Directory = request.app.state.directory
    if not await directory.still_allowed(
        kind=found.kind, subject=found.subject, customer_id=found.customer_id
    ):
        await store.revoke_subject(Kind(found.kind), found.subject)
        return None
    return found


async def _by_session(request: Request) -> Principal:
    found = await session_of(request)
    if found is None:
        raise Unauthorized(
            "Your session has ended (signed out, expired, or access withdrawn); sign in again.",
            slug="session-ended",
        )
    if request.method in UNSAFE_METHODS and not csrf_matches(
        found.csrf_token, await _csrf_given(request)
    ):
        raise Forbidden(
            "A signed-in browser's change must carry the page's CSRF token (the "
            "'X-CSRF-Token' header, from <meta name=\"csrf-token\">, or the form's "
            "'csrf_token' field); reload the page and retry.",
            slug="csrf-token-missing",
        )
    request.state.web_session = found
    return found.principal()


async def authenticate(request: Request) -> Principal:
    """The caller of an ``/api`` route, from its API key or session cookie, within its limit.

    An ``Authorization`` header wins over a cookie: a script with a key is never
    mistaken for the browser it runs in.
    """
    if request.headers.get("authorization") or COOKIE not in request.cookies:
        found = await _by_key(request)
    else:
        found = await _by_session(request)
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
