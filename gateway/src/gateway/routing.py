"""Which service answers which ``/api/v1`` path, and the proxy that forwards to it."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import Request, Response
from starlette.routing import Match, Route
from starlette.types import Scope

from gateway.keys import Principal
from shared import audit
from shared.observability.tracing import inject_headers
from shared.web.problems import problem

# First match wins; the more specific patterns come first.
ROUTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), service)
    for pattern, service in (
        (r"^tickets/[^/]+/sla(/.*)?$", "sla-clock"),
        # GET of a ticket's escalations reads escalation's record; POST of the same path
        # (an agent's manual escalation) stays with intake, which owns the ticket's line.
        (r"^tickets/[^/]+/escalations/?$", "GET:escalation"),
        (r"^tickets/[^/]+/notifications/?$", "notification"),
        (r"^sla(/.*)?$", "sla-clock"),
        (r"^(tickets|intake|queue|kb|change-requests)(/.*)?$", "intake"),
        (r"^(customers|entitlements|tiers|policies|calendars|releases)(/.*)?$", "entitlement"),
        (r"^(escalations|escalation-policies|staff|duty)(/.*)?$", "escalation"),
        (r"^(notifications|subscriptions|webhooks)(/.*)?$", "notification"),
    )
)

# Hop-by-hop headers (RFC 9110 §7.6.1) and ones the gateway sets itself.
_DROP_REQUEST = {
    "host",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "authorization",
    "cookie",  # a browser's session cookie is the gateway's; services never see it
    "content-length",
    "x-principal-id",
    "x-principal-role",
    "x-principal-customer",
    "x-principal-name",
    "x-internal-token",
}
# The same, as the raw (lower-case bytes) names; the gateway sets its own request id.
_DROP_REQUEST_RAW = {name.encode() for name in _DROP_REQUEST | {"x-request-id"}}
_DROP_RESPONSE = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "date",
    "server",
}
_DROP_RESPONSE_RAW = {name.encode() for name in _DROP_RESPONSE | {"x-request-id"}}


def service_for(path: str, method: str = "GET") -> str | None:
    """The service that owns ``method path`` (path relative to ``/api/v1/``), or None.

    A route written ``"GET:service"`` owns only that method; others fall through.
    """
    for pattern, service in ROUTES:
        if pattern.match(path):
            only, _, name = service.rpartition(":")
            if only and only != method.upper():
                continue
            return name
    return None


@functools.lru_cache(maxsize=1024)
def _a_services_segment(segment: str) -> bool:
    return any(pattern.match(segment) for pattern, _ in ROUTES)


class ServicePaths(Route):
    """The proxy's route for the paths whose first segment a service owns, tried first.

    The gateway's own ``/api/v1`` routes (keys, audit, stream, session, accounts) sit
    under segments no service has (``test_gateway_routing`` checks it), so a path under
    ``tickets/`` or ``customers/`` can only be the proxy's: matched here, it skips
    the walk through every other route (FastAPI's included routers, their versions and
    patterns), which cost about as much as the key check. Anything else (a gateway
    route, an unknown segment) goes through the router as before.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope.get("path", "")
        if (
            scope["type"] == "http"
            and path.startswith("/api/v1/")
            and _a_services_segment(path[8:].partition("/")[0])
        ):
            return super().matches(scope)
        return Match.NONE, {}


@dataclass(frozen=True)
class Upstream:
    """One service as the proxy sees it: its base URL and the connection pool all requests share.

    The proxy hands a prebuilt request straight to the transport (``httpx``'s pool
    over ``httpcore``): no client-side URL merging, query re-encoding, cookie jar,
    auth or redirect machinery per request, which cost more than the forwarding.
    """

    base: httpx.URL
    transport: httpx.AsyncBaseTransport
    timeout: float

    @functools.cached_property
    def timeouts(self) -> dict[str, float | None]:
        """The ``timeout`` extension of every request (built once: httpcore only reads it)."""
        return httpx.Timeout(self.timeout).as_dict()

    def target(self, scope: Mapping[str, Any]) -> httpx.URL:
        """The service's URL for the path and query exactly as the client encoded them."""
        raw: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope.get("query_string", b"")
        target = raw + b"?" + query if query else raw
        if target.isascii():  # %2F stays %2F, so the service routes what was sent
            return self.base.copy_with(raw_path=self.base.raw_path.rstrip(b"/") + target)
        # Bytes outside ASCII (obs-text): let httpx percent-encode them (InvalidURL: a 400).
        path = str(self.base).rstrip("/") + raw.decode("ascii", "replace")
        return httpx.URL(path, params=query.decode("latin-1"))


async def forward(
    request: Request,
    *,
    service: str,
    upstream: Upstream,
    principal: Principal,
    request_id: str,
    internal_token: str = "",
) -> Response:
    """Send the request to ``service`` and relay its answer; 503 problem+json if it is down."""
    headers = _upstream_headers(
        request, principal=principal, request_id=request_id, internal_token=internal_token
    )
    body = await request.body()
    try:
        outgoing = httpx.Request(
            request.method,
            upstream.target(request.scope),
            headers=headers,
            content=body,
            extensions={"timeout": upstream.timeouts},
        )
        await inject_headers(outgoing)  # the trace continues in the service (a no-op if off)
        answer = await upstream.transport.handle_async_request(outgoing)
        try:
            content = await answer.aread()
        finally:
            await answer.aclose()
    except (httpx.InvalidURL, httpx.HTTPError) as exc:
        return _not_forwarded(request, exc, service=service, request_id=request_id)
    response = Response(content=content, status_code=answer.status_code)
    response.raw_headers += _response_headers(answer.headers.raw, request_id)
    return response


def _upstream_headers(
    request: Request, *, principal: Principal, request_id: str, internal_token: str
) -> list[tuple[bytes, bytes]]:
    """The client's headers minus hop-by-hop ones, plus who is asking (the internal hop)."""
    # The client's header bytes as sent: a value outside ASCII (legal in HTTP/1.1 as
    # obs-text) is the service's to judge (a 422 naming it), and httpx would refuse to
    # encode it as a str (a 500 here). Fuzz finding.
    headers = [(k, v) for k, v in request.headers.raw if k.lower() not in _DROP_REQUEST_RAW]
    return headers + principal_headers(
        principal, request_id=request_id, internal_token=internal_token
    )


def principal_headers(
    principal: Principal, *, request_id: str, internal_token: str
) -> list[tuple[bytes, bytes]]:
    """Who is asking, as the services read it (the internal hop); also the pages' calls."""
    headers = [
        (b"x-request-id", request_id.encode()),
        (b"x-internal-token", internal_token.encode()),
        (b"x-principal-id", str(principal.key_id).encode()),
        (b"x-principal-role", str(principal.role).encode()),
    ]
    if principal.customer_id:
        headers.append((b"x-principal-customer", str(principal.customer_id).encode()))
    if principal.role in audit.AUDITED_ROLES:  # the service writes the name in its audit log
        headers.append((b"x-principal-name", audit.encode_name(principal.name).encode()))
    return headers


def _not_forwarded(
    request: Request,
    exc: httpx.InvalidURL | httpx.HTTPError,
    *,
    service: str,
    request_id: str,
) -> Response:
    """The problem+json for a request that never got an answer from ``service``."""
    if isinstance(exc, httpx.InvalidURL):
        return problem(
            status=400,
            title="Bad request",
            detail="The request's path or query cannot be forwarded; check its encoding.",
            slug="invalid-path",
            instance=request.url.path,
            headers={"x-request-id": request_id},
        )
    if isinstance(exc, httpx.TimeoutException):
        return problem(
            status=504,
            title="Gateway timeout",
            detail=f"The {service} service did not answer in time; retry with the same Idempotency-Key.",
            slug="upstream-timeout",
            instance=request.url.path,
            service=service,
            headers={"x-request-id": request_id},
        )
    return problem(
        status=503,
        title="Service unavailable",
        detail=f"The {service} service is unavailable ({exc.__class__.__name__}); retry shortly.",
        slug="service-unavailable",
        instance=request.url.path,
        service=service,
        headers={"x-request-id": request_id, "retry-after": "5"},
    )


def _response_headers(
    headers: list[tuple[bytes, bytes]], request_id: str
) -> list[tuple[bytes, bytes]]:
    """The service's answer headers minus hop-by-hop ones (and its request id: ours wins)."""
    out = [(k.lower(), v) for k, v in headers if k.lower() not in _DROP_RESPONSE_RAW]
    out.append((b"x-request-id", request_id.encode()))
    return out
