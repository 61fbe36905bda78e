"""Domain errors and their RFC 9457 problem+json rendering.

Exception tree::

    DomainError                 400  a rule of the programme refuses the request
    ├── NotFound                404  no such resource (or not visible to the caller)
    ├── Forbidden               403  the caller may not do this (not entitled, not a contact)
    ├── Conflict                409  the resource's state does not allow it (limits, lifecycle)
    ├── Unprocessable           422  well-formed but semantically invalid input
    │                                (also a value PostgreSQL cannot store: NUL, out of range)
    └── ServiceUnavailable      503  a dependency (database, broker, another service) is down

Every error a client sees is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` (what was wrong and how to fix it) and ``instance``, plus
extension members where they help (``errors`` for validation, ``allowed`` for
lifecycle moves, ``service`` for an unavailable upstream).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.logging import get_logger

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"

log = get_logger(__name__)


class DomainError(Exception):
    """A request refused by a rule; rendered as problem+json."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, slug: str | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if slug:
            self.slug = slug
        self.extensions = extensions


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class Unprocessable(DomainError):
    status, slug, title = 422, "unprocessable", "Unprocessable request"


class ServiceUnavailable(DomainError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


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
    out = []
    for err in exc.errors():
        out.append(
            {
                "field": _field_path(err.get("loc", ())),
                "message": err.get("msg", "invalid"),
                "type": err.get("type", "value_error"),
            }
        )
    return out


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


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a problem+json response (never an HTML page or a bare 500)."""
    app.add_middleware(_KeepBody)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
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

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
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

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
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
        """Input the database refused, or the database itself gone: never a 500.

        Registered for these classes (not only for ``Exception``) so Starlette's
        inner exception middleware answers them: a response from the outermost
        500 handler is followed by a re-raise that can cut the connection.
        """
        mapped = _mapped(request, exc)
        if mapped is None:
            raise exc
        return mapped

    from sqlalchemy.exc import SQLAlchemyError

    for kind in (SQLAlchemyError, OSError, TimeoutError, OverflowError):
        app.add_exception_handler(kind, _expected_failure)

    @app.exception_handler(Exception)
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
    if _unstorable_value(exc):
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


# SQLSTATEs of a server that refuses or is going away: admin or crash shutdown, "not
# currently accepting connections", too many connections, out of resources.
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300", "53100", "53200", "3D000"}


def sqlstate(exc: BaseException) -> str | None:
    """The PostgreSQL SQLSTATE behind a SQLAlchemy or asyncpg error, if any.

    asyncpg's errors reach us as a plain ``DBAPIError`` for many data errors (a
    NUL character is 22021), so the class name says little; the state says all.
    """
    orig = getattr(exc, "orig", None)
    for candidate in (exc, orig, getattr(orig, "__cause__", None), exc.__cause__):
        state = getattr(candidate, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def _unstorable_value(exc: BaseException) -> bool:
    """True for input the database or datetime arithmetic cannot represent."""
    from sqlalchemy.exc import DataError

    if isinstance(exc, (DataError, OverflowError)):
        return True
    state = sqlstate(exc)
    return state is not None and state.startswith("22")  # class 22: data exception


def database_unavailable(exc: BaseException) -> bool:
    """True for a lost, refused or timed-out database connection (as opposed to a bug)."""
    from sqlalchemy.exc import (
        DBAPIError,
        InterfaceError,
        OperationalError,
        TimeoutError as PoolTimeout,
    )

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    state = sqlstate(exc)
    if state is not None and (state.startswith("08") or state in _UNAVAILABLE_STATES):
        return True
    if state == "55000" and "accepting connections" in str(exc):  # ALLOW_CONNECTIONS false
        return True
    return isinstance(
        exc, (OperationalError, InterfaceError, PoolTimeout, ConnectionError, OSError, TimeoutError)
    )


def _fields_with_nul(request: Request) -> list[str]:
    """Where the request carries a NUL character: query parameters and JSON body fields."""
    import json

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
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
