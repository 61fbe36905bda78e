"""What every gateway answer carries: the request id, RateLimit-* headers, the audit entry.

Pure ASGI rather than ``BaseHTTPMiddleware`` (``app.middleware("http")``): that one
runs the app in a task group behind a memory stream and wraps every response in a
streaming one, which cost about a fifth of the gateway's CPU per proxied request
(bench/README.md, "gateway"). Here the only work per request is an id, a header
edit at ``http.response.start`` and, for audited requests, one INSERT.

The audit entry is written before the answer's last body chunk is sent, so a
client that has its answer finds the change on the record. It is on the request
path only for audited requests (admin and manager changes, key management):
customers', agents' and bots' requests, the hot path, never write.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders

from gateway import audit
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
    """ASGI middleware: request id in, RateLimit-* and X-Request-Id out, audit before the end.

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
        status = 0

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                decision = state.get("ratelimit")
                if decision is not None:
                    headers.update(decision.headers())
                headers["x-request-id"] = rid
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await _record(scope, state, status)
            await send(message)

        await self.app(scope, receive, sending)


async def _record(scope: dict[str, Any], state: dict[str, Any], status: int) -> None:
    """The audit entry of an audited request (see :mod:`gateway.audit`); nothing otherwise."""
    who = state.get("principal")
    path: str = scope["path"]
    if who is None or not audit.audited(scope["method"], path, who):
        return
    await audit.record(
        scope["app"].state.sessions,
        principal=who,
        method=scope["method"],
        path=path,
        status=status,
        target_id=audit.target_of(path, state.get("audit_target")),
        request_id=state["request_id"],
    )
