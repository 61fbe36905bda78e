"""What every gateway answer carries: the request id and RateLimit-* headers.

Pure ASGI rather than ``BaseHTTPMiddleware`` (``app.middleware("http")``): that one
runs the app in a task group behind a memory stream and wraps every response in a
streaming one, which cost about a fifth of the gateway's CPU per proxied request
(bench/README.md, "gateway"). Here the only work per request is an id and a header
edit at ``http.response.start``.

The audit log is no longer written here, after the answer: each change writes its
entry in its own transaction (``shared.audit``); the gateway's key management does
so in the key's.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders

from shared.logging import bind_context, clear_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_X_REQUEST_ID = b"x-request-id"


def _request_id(scope: dict[str, Any]) -> str:
    """The client's ``X-Request-Id`` when it is a sane token, else a new one."""
    for key, value in scope["headers"]:
        if key == _X_REQUEST_ID:
            incoming = value.decode("latin-1")
            return incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
    return str(uuid.uuid4())


class Envelope:
    """ASGI middleware: request id in, RateLimit-* and X-Request-Id out.

    Paths with control characters never get here: :class:`~gateway.limits.RequestLimits`
    refuses them first.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = rid
        clear_context()
        bind_context(request_id=rid)

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                decision = state.get("ratelimit")
                if decision is not None:
                    headers.update(decision.headers())
                headers["x-request-id"] = rid
            await send(message)

        await self.app(scope, receive, sending)
