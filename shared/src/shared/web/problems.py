"""RFC 9457 problem+json for every error a FastAPI app can meet (never an HTML page or a bare 500).

The exceptions themselves live in :mod:`shared.errors`, free of any web import;
this module is the one place they become HTTP responses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from shared.errors import DomainError, database_unavailable, unstorable_value
from shared.logging import get_logger
from shared.web.i18n import LocalizedProblems

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"

log = get_logger(__name__)


def problem(
    *,
    status: int,
    title: str,
    detail: str,
    slug: str | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Turn pydantic's errors into ``{field, message, type}`` entries a client can act on."""
    return [
        {
            "field": _field_path(err.get("loc", ())),
            "message": err.get("msg", "invalid"),
            "type": err.get("type", "value_error"),
        }
        for err in exc.errors()
    ]


class _KeepBody:
    """Pure ASGI: keep references to the request's body chunks in the scope.

    FastAPI reads the body through its own Request object, which an exception
    handler never sees; with the chunks at hand, a value the database refused can
    be traced to the field that carried it. No copy is made.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        scope.setdefault("state", {})["body_chunks"] = chunks

        async def keeping() -> Any:
            message = await receive()
            if message["type"] == "http.request" and message.get("body"):
                chunks.append(message["body"])
            return message

        await self.app(scope, keeping, send)


def install_problem_handlers(app: FastAPI, *, localize: bool = True) -> None:
    """Make every error of ``app`` a problem+json response (never an HTML page or a bare 500).

    Its title and detail follow ``Accept-Language`` (:mod:`shared.web.i18n`); an app with
    outer middleware of its own that answers problems (the gateway's limits) passes
    ``localize=False`` and adds :class:`~shared.web.i18n.LocalizedProblems` outermost.
    """
    app.add_middleware(_KeepBody)
    if localize:
        app.add_middleware(LocalizedProblems)
    app.exception_handler(DomainError)(_domain_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(StarletteHTTPException)(_http_error)
    # Registered for these classes (not only for ``Exception``) so Starlette's inner
    # exception middleware answers them: a response from the outermost 500 handler is
    # followed by a re-raise that can cut the connection.
    for kind in (SQLAlchemyError, OSError, TimeoutError, OverflowError):
        app.exception_handler(kind)(_expected_failure)
    app.exception_handler(ClientDisconnect)(_interrupted)
    app.exception_handler(Exception)(_unexpected)


async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
    return problem(
        status=exc.status,
        title=exc.title,
        detail=exc.detail,
        slug=exc.slug,
        instance=request.url.path,
        # A dependency that is down says when to come back (RFC 9110 §10.2.3).
        headers={"retry-after": "2"} if exc.status == 503 else None,
        **exc.extensions,
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = validation_errors(exc)
    fields = ", ".join(e["field"] for e in errors) or "the request"
    detail = f"Fix these fields and send again: {fields}."
    if any(e["type"] == "json_invalid" for e in errors):
        detail = (
            "The body is not valid JSON; send a JSON object with content-type application/json."
        )
    return problem(
        status=422,
        title="Invalid request",
        detail=detail,
        slug="validation-error",
        instance=request.url.path,
        errors=errors,
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "See the status code."
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No route {request.method} {request.url.path}; see /docs for the API."
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem(
        status=exc.status_code,
        title=_reason(exc.status_code),
        detail=detail,
        instance=request.url.path,
        headers=exc.headers,
    )


async def _expected_failure(request: Request, exc: Exception) -> JSONResponse:
    """Input the database refused, or the database itself gone: never a 500."""
    mapped = _mapped(request, exc)
    if mapped is None:
        raise exc
    return mapped


async def _interrupted(request: Request, exc: ClientDisconnect) -> JSONResponse:
    # The body stopped arriving: the caller hung up, or this process is shutting down and
    # the server cut in-flight reads. Either way nothing was done, and a retry is safe; if
    # anyone is still listening, the answer must say so (a 503), never a 500.
    return problem(
        status=503,
        title="Service unavailable",
        detail="The request's body did not arrive in full (the connection closed or the "
        "server is restarting); nothing was done, send it again.",
        slug="request-interrupted",
        instance=request.url.path,
        headers={"retry-after": "1"},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    mapped = _mapped(request, exc)
    if mapped is not None:
        return mapped
    log.exception("unhandled error", path=request.url.path)
    return problem(
        status=500,
        title="Internal error",
        detail="The server failed to handle this request; it has been logged. Retry later.",
        slug="internal-error",
        instance=request.url.path,
    )


def _mapped(request: Request, exc: BaseException) -> JSONResponse | None:
    """The problem+json for an input or database failure, or None for a real bug."""
    if unstorable_value(exc):
        fields = _fields_with_nul(request)
        where = f" ({', '.join(fields)} contains a NUL character)" if fields else ""
        return problem(
            status=422,
            title="Unprocessable request",
            detail="A value cannot be stored or computed: it is out of range or contains "
            f"a NUL character{where}. Check dates, numbers and text, then send again.",
            slug="value-out-of-range",
            instance=request.url.path,
            errors=[
                {"field": f, "message": "NUL characters are not accepted", "type": "nul"}
                for f in fields
            ],
        )
    if database_unavailable(exc):
        log.warning("database unavailable", path=request.url.path, error=repr(exc))
        return problem(
            status=503,
            title="Service unavailable",
            detail="The database connection failed; nothing was changed. Retry shortly.",
            slug="database-unavailable",
            instance=request.url.path,
            headers={"retry-after": "2"},
        )
    return None


def _fields_with_nul(request: Request) -> list[str]:
    """Where the request carries a NUL character: query parameters and JSON body fields."""
    found = [f"query.{k}" for k, v in request.query_params.multi_items() if "\x00" in v + k]
    body = b"".join(request.scope.get("state", {}).get("body_chunks", ()))
    if body and b"\\u0000" in body:
        try:
            found += _nul_paths(json.loads(body), "body")
        except ValueError:
            found.append("body")
    return found


def _nul_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_paths(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, f"{path}.{i}")]
    return []


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
