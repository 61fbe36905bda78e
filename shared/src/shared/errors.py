"""Domain errors: plain exceptions that any layer may raise, and database-failure classification.

Exception tree::

    DomainError                 400  a rule of the programme refuses the request
    ├── NotFound                404  no such resource (or not visible to the caller)
    ├── Forbidden               403  the caller may not do this (not entitled, not a contact)
    ├── Conflict                409  the resource's state does not allow it (limits, lifecycle)
    ├── Unprocessable           422  well-formed but semantically invalid input
    │                                (also a value PostgreSQL cannot store: NUL, out of range)
    └── ServiceUnavailable      503  a dependency (database, broker, another service) is down

Nothing here imports a web framework, so domain packages and consumers can raise
these freely. :mod:`shared.web.problems` renders them as RFC 9457
``application/problem+json`` (``type``, ``title``, ``status``, ``detail``, ``instance``
and extension members such as ``errors``, ``allowed`` or ``service``).
"""

from __future__ import annotations

from typing import Any


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


def unstorable_value(exc: BaseException) -> bool:
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

    from shared.pool_guard import broken_connection

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if broken_connection(exc):  # asyncpg's own, raised on a driver connection (shared.db)
        return True
    state = sqlstate(exc)
    if state is not None and (state.startswith("08") or state in _UNAVAILABLE_STATES):
        return True
    if state == "55000" and "accepting connections" in str(exc):  # ALLOW_CONNECTIONS false
        return True
    return isinstance(
        exc, (OperationalError, InterfaceError, PoolTimeout, ConnectionError, OSError, TimeoutError)
    )
