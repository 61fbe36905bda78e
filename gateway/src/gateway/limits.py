"""What one request may cost the gateway: header, body and time limits, before any work.

A pure ASGI guard (no ``BaseHTTPMiddleware``: nothing is buffered or copied) in
front of authentication and routing:

- headers: at most ``max_header_count`` of them, none over ``max_header_bytes``,
  all together at most ``max_headers_total_bytes`` -> 431;
- path: no control characters (they cannot be forwarded as a URL) -> 400;
- body: ``Content-Length`` over the route's limit -> 413 before reading a byte;
  a chunked body is counted as it arrives and refused once over -> 413;
- slow body: a client that announces a body and then stalls longer than
  ``body_timeout_seconds`` between chunks -> 408, so it cannot hold a worker.

Each refusal is problem+json that says the limit and how to stay under it.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import DomainError
from shared.web.problems import problem

Scope = dict[str, Any]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PayloadTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class RequestTimeout(DomainError):
    status, slug, title = 408, "request-timeout", "Request timeout"


# Routes that take files: 25 MiB of attachments per upload (intake's
# INTAKE_ATTACHMENTS__MAX_MESSAGE_BYTES) plus the multipart framing around them.
# GATEWAY_LIMITS__BODY_LIMITS adds to these or overrides them, path by path.
DEFAULT_BODY_LIMITS: dict[str, int] = {"/api/v1/tickets/*/attachments": 26 * 1024 * 1024}


def _covers(pattern: str, path: str) -> bool:
    """``pattern`` is a prefix of ``path``; a ``*`` segment stands for any one segment."""
    if "*" not in pattern:
        return path.startswith(pattern)
    wanted, have = pattern.rstrip("/").split("/"), path.split("/")
    return len(have) >= len(wanted) and all(
        w == h or (w == "*" and h != "") for w, h in zip(wanted, have, strict=False)
    )


class Limits(BaseModel):
    """The gateway's request limits (settings ``GATEWAY_LIMITS__*``)."""

    model_config = ConfigDict(frozen=True)

    max_body_bytes: int = 1024 * 1024
    # Path prefix -> body limit, for routes that need another one (longest prefix wins;
    # a ``*`` segment matches any one segment), on top of DEFAULT_BODY_LIMITS,
    # e.g. GATEWAY_LIMITS__BODY_LIMITS='{"/api/v1/intake/email": 4194304}'.
    # A raw message (message/rfc822) carries its attachments: as large as intake's SMTP
    # listener takes (INTAKE_SMTP__MAX_MESSAGE_BYTES' default), not the JSON routes' 1 MiB.
    body_limits: dict[str, int] = Field(
        default_factory=lambda: {"/api/v1/intake/email": 36 * 1024 * 1024}
    )
    max_header_count: int = 100
    max_header_bytes: int = 8 * 1024
    max_headers_total_bytes: int = 32 * 1024
    body_timeout_seconds: float = 10.0

    def body_limit(self, path: str) -> int:
        best, limit = "", self.max_body_bytes
        for prefix, value in {**DEFAULT_BODY_LIMITS, **self.body_limits}.items():
            if _covers(prefix, path) and len(prefix) > len(best):
                best, limit = prefix, value
        return limit


class RequestLimits:
    """ASGI middleware enforcing :class:`Limits` on every HTTP request."""

    def __init__(self, app: Any, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refuse_headers(scope) or self._refuse_path(scope)
        if refusal is None:
            refusal, announced = self._refuse_length(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if not announced:
            await self.app(scope, receive, send)
            return
        await self.app(scope, self._guarded_receive(scope, receive), send)

    def _refuse_headers(self, scope: Scope) -> Any:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        limits = self.limits
        total = sum(len(k) + len(v) for k, v in headers)
        largest = max((len(k) + len(v) for k, v in headers), default=0)
        if (
            len(headers) <= limits.max_header_count
            and largest <= limits.max_header_bytes
            and total <= limits.max_headers_total_bytes
        ):
            return None
        return problem(
            status=431,
            title="Request header fields too large",
            detail=(
                f"Send at most {limits.max_header_count} headers of at most "
                f"{limits.max_header_bytes:,} bytes each and {limits.max_headers_total_bytes:,} "
                f"bytes in all; this request had {len(headers)} headers, {total:,} bytes, "
                f"the largest {largest:,}."
            ),
            slug="headers-too-large",
            instance=scope.get("path"),
        )

    def _refuse_path(self, scope: Scope) -> Any:
        # The decoded path: a literal control byte and a percent-encoded one both show here.
        if not _CONTROL.search(scope["path"]):
            return None
        return problem(
            status=400,
            title="Bad request",
            detail="The path contains control characters; percent-encode or remove them.",
            slug="invalid-path",
        )

    def _refuse_length(self, scope: Scope) -> tuple[Any, bool]:
        """A refusal for an over-long announced body, and whether a body is announced."""
        length_header = chunked = None
        for key, value in scope["headers"]:
            if key == b"content-length":
                length_header = value
            elif key == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
        if length_header is None:
            return None, bool(chunked)
        limit = self.limits.body_limit(scope["path"])
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if length < 0:
            return (
                problem(
                    status=400,
                    title="Bad request",
                    detail="Content-Length must be a non-negative whole number of bytes.",
                    slug="invalid-content-length",
                    instance=scope["path"],
                ),
                False,
            )
        if length > limit:
            return _too_large(scope["path"], limit, length), False
        return None, length > 0

    def _guarded_receive(self, scope: Scope, receive: Any) -> Any:
        limit = self.limits.body_limit(scope["path"])
        timeout = self.limits.body_timeout_seconds
        received = 0
        complete = False

        async def guarded() -> Any:
            nonlocal received, complete
            if complete:  # after the body: disconnect listeners wait as long as they like
                return await receive()
            try:
                # asyncio.timeout, not wait_for: wait_for wraps each receive in a new task.
                async with asyncio.timeout(timeout):
                    message = await receive()
            except TimeoutError:
                raise RequestTimeout(
                    f"The body stalled for over {timeout:g} s; send it at once, "
                    "or send no more Content-Length than the body has.",
                    slug="body-timeout",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(
                        _too_large_detail(limit, received), slug="payload-too-large"
                    )
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        return guarded


def _too_large_detail(limit: int, size: int) -> str:
    return (
        f"The body has {size:,} bytes or more, over the {limit:,} this route accepts; "
        "send attachments by reference (a URL) rather than inline."
    )


def _too_large(path: str, limit: int, size: int) -> Any:
    return problem(
        status=413,
        title="Payload too large",
        detail=_too_large_detail(limit, size),
        slug="payload-too-large",
        instance=path,
        limit=limit,
    )
