"""Which service answers which ``/api/v1`` path, and the proxy that forwards to it."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx
from fastapi import Request, Response

from gateway.keys import Principal
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
    "content-length",
    "x-principal-id",
    "x-principal-role",
    "x-principal-customer",
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


async def forward(
    request: Request,
    *,
    service: str,
    client: httpx.AsyncClient,
    principal: Principal,
    request_id: str,
    internal_token: str = "",
) -> Response:
    """Send the request to ``service`` and relay its answer; 503 problem+json if it is down."""
    headers = _upstream_headers(
        request, principal=principal, request_id=request_id, internal_token=internal_token
    )
    body = await request.body()
    # The path as the client encoded it (%2F stays %2F), so the service routes what was sent.
    path = request.scope.get("raw_path", b"").decode("ascii", "replace") or request.url.path
    try:
        upstream = await client.request(
            request.method,
            path,
            params=request.url.query,
            content=body,
            headers=headers,
        )
    except (httpx.InvalidURL, httpx.HTTPError) as exc:
        return _not_forwarded(request, exc, service=service, request_id=request_id)
    return Response(
        content=upstream.content,
        status_code=upstream.status_code,
        headers=_response_headers(upstream.headers, request_id),
    )


def _upstream_headers(
    request: Request, *, principal: Principal, request_id: str, internal_token: str
) -> list[tuple[bytes, bytes]]:
    """The client's headers minus hop-by-hop ones, plus who is asking (the internal hop)."""
    # The client's header bytes as sent: a value outside ASCII (legal in HTTP/1.1 as
    # obs-text) is the service's to judge (a 422 naming it), and httpx would refuse to
    # encode it as a str (a 500 here). Fuzz finding.
    headers = [(k, v) for k, v in request.headers.raw if k.lower() not in _DROP_REQUEST_RAW]
    headers += [
        (b"x-request-id", request_id.encode()),
        (b"x-internal-token", internal_token.encode()),
        (b"x-principal-id", str(principal.key_id).encode()),
        (b"x-principal-role", str(principal.role).encode()),
    ]
    if principal.customer_id:
        headers.append((b"x-principal-customer", str(principal.customer_id).encode()))
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


def _response_headers(headers: Mapping[str, str], request_id: str) -> dict[str, str]:
    out = {k: v for k, v in headers.items() if k.lower() not in _DROP_RESPONSE}
    out["x-request-id"] = request_id
    return out
