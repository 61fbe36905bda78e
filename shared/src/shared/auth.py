"""Who calls a service, and what they may do: one dependency per route.

The gateway authenticates the API key and forwards the caller as headers it
strips from every incoming request (``x-principal-id``, ``x-principal-role``,
``x-principal-customer``, ``x-principal-name``) plus the platform's internal token
(``x-internal-token``), so a service trusts those headers only when the token
matches its own. A request that did not come through the gateway (a port scan
of 8101-8105) answers 401.

Roles, widest first (``docs/access-control.md`` has the route table):

- ``admin``: everything, including API keys and the audit log;
- ``manager``: contracts, policies, staff, releases, reports, and all an agent does;
- ``agent``: tickets of every customer, the queue, knowledge base, reading customers;
- ``system``: a vendor integration (email or chat gateway, another service):
  intake channels and reading, as an agent, never administration;
- ``customer`` and ``bot``: bound to one customer; only that customer's resources.

A route declares the narrowest roles it serves, ``require(Role.agent)``; wider
staff roles are implied (admin ⊇ manager ⊇ agent). A customer-bound caller is
scoped in the query (``principal.scope``), so a foreign id answers 404, never
another customer's data.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from shared import audit
from shared.errors import DomainError, Forbidden, NotFound

HEADER_ID = "x-principal-id"
HEADER_ROLE = "x-principal-role"
HEADER_CUSTOMER = "x-principal-customer"
HEADER_TOKEN = "x-internal-token"
HEADER_NAME = "x-principal-name"  # the key's name, percent-encoded, for the audit log
PRINCIPAL_HEADERS = frozenset({HEADER_ID, HEADER_ROLE, HEADER_CUSTOMER, HEADER_TOKEN, HEADER_NAME})


class Role(StrEnum):
    """What an API key may do."""

    admin = "admin"
    manager = "manager"
    agent = "agent"
    system = "system"
    customer = "customer"
    bot = "bot"


STAFF_ROLES = frozenset({Role.admin, Role.manager, Role.agent, Role.system})
CUSTOMER_ROLES = frozenset({Role.customer, Role.bot})

# A role listed in ``require`` also admits the roles that include it.
_IMPLIED_BY: dict[Role, frozenset[Role]] = {
    Role.admin: frozenset({Role.admin}),
    Role.manager: frozenset({Role.manager, Role.admin}),
    Role.agent: frozenset({Role.agent, Role.manager, Role.admin}),
    Role.system: frozenset({Role.system, Role.admin}),
    Role.customer: frozenset({Role.customer}),
    Role.bot: frozenset({Role.bot}),
}


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


@dataclass(frozen=True)
class Principal:
    """The caller of one request, as the gateway authenticated it."""

    key_id: str
    role: Role
    customer_id: UUID | None = None

    @property
    def is_staff(self) -> bool:
        """Staff act across customers; a customer-bound key never does."""
        return self.role in STAFF_ROLES and self.customer_id is None

    @property
    def customer_scope(self) -> UUID | None:
        """The one customer this caller may see, or None for staff (every customer)."""
        return None if self.is_staff else self.customer_id

    def scope(self, customer_id: UUID | None, *, what: str = "resource") -> None:
        """Refuse a resource of another customer with 404 (its existence is not revealed)."""
        bound = self.customer_scope
        if bound is not None and customer_id != bound:
            raise NotFound(f"No {what} with that id is visible to this key.")


def allowed_roles(roles: Iterable[Role]) -> frozenset[Role]:
    """Every role admitted by a route that names ``roles``."""
    out: set[Role] = set()
    for role in roles:
        out |= _IMPLIED_BY[role]
    return frozenset(out)


def internal_only(request: Request) -> None:
    """401 unless ``request`` carries the platform's internal token (it came via the gateway)."""
    expected: str = getattr(request.app.state, "internal_token", "") or ""
    token = request.headers.get(HEADER_TOKEN, "")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized(
            "Call the platform through the API gateway with an API key "
            "('Authorization: Bearer <key>'); services do not answer direct calls.",
            slug="not-through-gateway",
        )


def principal_from(request: Request) -> Principal:
    """The caller behind ``request``; 401 unless the gateway's token and headers are there."""
    internal_only(request)
    raw_role = request.headers.get(HEADER_ROLE, "")
    try:
        role = Role(raw_role)
    except ValueError:
        raise Unauthorized(f"Unknown principal role {raw_role!r}.", slug="bad-principal") from None
    raw_customer = request.headers.get(HEADER_CUSTOMER) or None
    try:
        customer = UUID(raw_customer) if raw_customer else None
    except ValueError:
        raise Unauthorized(
            "The principal's customer binding is malformed.", slug="bad-principal"
        ) from None
    if role in CUSTOMER_ROLES and customer is None:
        raise Forbidden(
            f"A {role} key must be bound to one customer; ask an admin for a bound key.",
            slug="unbound-customer-key",
        )
    who = Principal(key_id=request.headers.get(HEADER_ID, ""), role=role, customer_id=customer)
    _begin_audit(request, who)
    return who


def _begin_audit(request: Request, who: Principal) -> None:
    """Open the request's audit context when its changes go on the record (``shared.audit``)."""
    path = request.url.path
    if not audit.audited(request.method, path, who.role):
        audit.begin(None)
        return
    audit.begin(
        audit.AuditContext(
            key_id=who.key_id,
            key_name=audit.decode_name(request.headers.get(HEADER_NAME, "")) or who.key_id,
            role=who.role,
            method=request.method,
            path=path,
            request_id=request.headers.get("x-request-id"),
        )
    )


def check_role(role: Role, admitted: frozenset[Role], request: Request) -> None:
    """403 problem naming the roles a route admits, unless ``role`` is one of them."""
    if role not in admitted:
        raise Forbidden(
            f"A {role} key may not call {request.method} {request.url.path}; "
            f"it needs one of: {', '.join(sorted(admitted))}.",
            slug="role-not-allowed",
            allowed_roles=sorted(admitted),
        )


def require(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency admitting ``roles`` (and the wider staff roles); else 403.

    A coroutine although it never awaits: FastAPI runs a plain function dependency in its
    thread pool, and that hand-off cost more than the check itself on every request.
    """
    admitted = allowed_roles(roles)

    async def dependency(request: Request) -> Principal:
        who = principal_from(request)
        check_role(who.role, admitted, request)
        return who

    dependency.allowed_roles = admitted  # type: ignore[attr-defined]  # read by the route table test
    return dependency


ANYONE = (Role.agent, Role.system, Role.customer, Role.bot)
StaffOnly = Annotated[Principal, Depends(require(Role.agent, Role.system))]
Anyone = Annotated[Principal, Depends(require(*ANYONE))]


def system_principal_headers(service: str, internal_token: str) -> dict[str, str]:
    """Headers of a service-to-service call: the internal token and a ``system`` principal."""
    return {HEADER_TOKEN: internal_token, HEADER_ROLE: Role.system, HEADER_ID: f"service:{service}"}
