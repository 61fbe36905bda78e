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


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a problem+json response (never an HTML page or a bare 500)."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem(
            status=exc.status,
            title=exc.title,
            detail=exc.detail,
            slug=exc.slug,
            instance=request.url.path,
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

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if _unstorable_value(exc):
            return problem(
                status=422,
                title="Unprocessable request",
                detail="A value cannot be stored or computed: it is out of range or contains "
                "a NUL character. Check dates, numbers and text, then send again.",
                slug="value-out-of-range",
                instance=request.url.path,
            )
        if _database_unavailable(exc):
            log.warning("database unavailable", path=request.url.path, error=repr(exc))
            return problem(
                status=503,
                title="Service unavailable",
                detail="The database connection failed; nothing was changed. Retry shortly.",
                slug="database-unavailable",
                instance=request.url.path,
                headers={"retry-after": "2"},
            )
        log.exception("unhandled error", path=request.url.path)
        return problem(
            status=500,
            title="Internal error",
            detail="The server failed to handle this request; it has been logged. Retry later.",
            slug="internal-error",
            instance=request.url.path,
        )


def _unstorable_value(exc: BaseException) -> bool:
    """True for input the database or datetime arithmetic cannot represent."""
    from sqlalchemy.exc import DataError, DBAPIError

    if isinstance(exc, (DataError, OverflowError)):
        return True
    # The driver's data exceptions (SQLSTATE class 22: a NUL byte in text, a value out of
    # range) are not always mapped to DataError by SQLAlchemy's asyncpg dialect.
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    return isinstance(exc, DBAPIError) and str(sqlstate).startswith("22")


def _database_unavailable(exc: BaseException) -> bool:
    """True for a lost or refused database connection (as opposed to a bug)."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError, ConnectionError, OSError))


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
