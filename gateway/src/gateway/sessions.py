"""Browser sessions and one-time links: the rules, without I/O (docs/web.md).

A session is a random 256-bit token in the ``desk_session`` cookie; only its
SHA-256 digest is stored (like an API key: high entropy needs no slow KDF, and
a database leak yields no usable cookie). It resolves to the same
:class:`~gateway.keys.Principal` as an API key, so every page action meets the
services' access rules unchanged. It ends at the first of: logout (revoked on the
server), ``idle`` without use, ``absolute`` after sign-in, or its person losing
access (a deactivated staff member, a removed contact: checked at use).

Sign-in links and invitations are one-time tokens, stored as digests too, used at
most once and only before they expire.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from gateway.keys import Principal
from shared.auth import Role

COOKIE = "desk_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
# What CSRF protects: a cookie is sent by the browser on any site's form or fetch.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Kind(StrEnum):
    """Who signed in: a customer's contact (email link) or a staff member."""

    contact = "contact"
    staff = "staff"


class Purpose(StrEnum):
    """What a one-time token is for."""

    sign_in = "sign_in"
    invitation = "invitation"
    oidc = "oidc"  # an OIDC sign-in's state (its nonce and PKCE verifier)


@dataclass(frozen=True)
class Lifetimes:
    """How long sessions and one-time tokens last (settings ``GATEWAY_WEB__*``)."""

    idle: timedelta = timedelta(hours=8)
    absolute: timedelta = timedelta(days=7)
    sign_in_link: timedelta = timedelta(minutes=15)
    invitation: timedelta = timedelta(hours=48)


@dataclass(frozen=True)
class WebSession:
    """One signed-in browser, as stored (without its token)."""

    id: UUID
    kind: Kind
    subject: str  # the contact's email, or the staff member's id
    role: Role
    customer_id: UUID | None
    name: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    idle_expires_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def live(self, now: datetime) -> bool:
        """Not revoked, used within the idle time, and within the absolute lifetime."""
        return self.revoked_at is None and now < self.idle_expires_at and now < self.expires_at

    def principal(self) -> Principal:
        """The caller the services see: a staff member acts under their staff id (so an
        assignee is the person, whichever browser), a contact under the session's id."""
        key_id = UUID(self.subject) if self.kind is Kind.staff else self.id
        return Principal(
            key_id=key_id, name=self.name, role=self.role, customer_id=self.customer_id
        )


def new_token() -> str:
    """A fresh secret for a cookie or a link: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_matches(expected: str, given: str | None) -> bool:
    """Whether a request carries its session's CSRF token (constant-time comparison)."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def idle_expiry(now: datetime, lifetimes: Lifetimes, expires_at: datetime) -> datetime:
    """The idle deadline after a use at ``now`` (never past the absolute one)."""
    return min(now + lifetimes.idle, expires_at)


def staff_role(role: str, *, admin: bool) -> Role:
    """The platform role of a staff record: engineers and leads act as agents, managers as
    managers, and a member marked admin as admin whatever their line role."""
    if admin:
        return Role.admin
    return Role.manager if role == "manager" else Role.agent


def normalise_email(value: str) -> str:
    """The form of an address that is compared and rate-limited (case and spaces aside)."""
    return value.strip().lower()


def plausible_email(value: str) -> bool:
    """A cheap shape check before any lookup: one ``@``, something either side, no spaces."""
    local, at, domain = value.partition("@")
    return bool(at and local and "." in domain and " " not in value and len(value) <= 320)
