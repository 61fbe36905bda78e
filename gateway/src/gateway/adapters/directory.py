"""Who may sign in, asked of the services that own people, and mail sent through notification.

Contacts belong to entitlement (``GET /entitlements?contact_email=`` answers 200
for an active contact, 404 otherwise), staff to escalation (``/staff``). The
gateway asks as itself (``service:gateway``) with the internal token, like its
other service calls. Whether a session's person still has access is cached for
``cache_seconds`` per replica: a deactivated staff member or a removed contact is
locked out within that time, without a service call on every request.

Mail goes to notification's ``POST /internal/mail``, which stores a delivery
(retried with backoff, recorded with every attempt); this call itself has a timeout
and is retried with backoff under the same key, which notification deduplicates.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

from shared.auth import HEADER_ID, HEADER_ROLE, HEADER_TOKEN, Role
from shared.errors import ServiceUnavailable
from shared.logging import get_logger

log = get_logger(__name__)
MAIL_ATTEMPTS = 3


@dataclass(frozen=True)
class Contact:
    """An active contact of a customer."""

    email: str
    customer_id: UUID
    customer_name: str


@dataclass(frozen=True)
class Staff:
    """A staff record as escalation keeps it."""

    id: UUID
    name: str
    email: str
    role: str
    active: bool
    admin: bool
    language: str


def _staff(body: dict[str, Any]) -> Staff:
    return Staff(
        id=UUID(body["id"]),
        name=body["name"],
        email=str(body["email"]).lower(),
        role=body["role"],
        active=bool(body["active"]),
        admin=bool(body.get("admin", False)),
        language=body.get("language") or "ru",
    )


class Directory:
    """Looks people up in entitlement and escalation; sends mail through notification."""

    def __init__(
        self,
        clients: dict[str, httpx.AsyncClient],
        *,
        internal_token: str,
        cache_seconds: float = 30,
    ) -> None:
        self._clients = clients
        self._token = internal_token
        self._cache_seconds = cache_seconds
        self._allowed: dict[tuple[str, str], tuple[float, bool]] = {}

    def _headers(self, role: Role) -> dict[str, str]:
        return {HEADER_TOKEN: self._token, HEADER_ROLE: role, HEADER_ID: "service:gateway"}

    async def _get(self, service: str, path: str, **params: str) -> httpx.Response:
        try:
            # Staff records are read as an agent would: ``system`` may not read /staff.
            return await self._clients[service].get(
                path, params=params, headers=self._headers(Role.agent)
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                f"Sign-in cannot be checked now: the {service} service does not answer "
                f"({exc.__class__.__name__}); retry shortly.",
                service=service,
            ) from exc

    def _unavailable(self, service: str, status: int) -> ServiceUnavailable:
        return ServiceUnavailable(
            f"Sign-in cannot be checked now: the {service} service answered {status}; "
            "retry shortly.",
            service=service,
        )

    async def contact(self, email: str) -> Contact | None:
        """The active contact with this address, or None."""
        r = await self._get("entitlement", "/api/v1/entitlements", contact_email=email)
        if r.status_code == 404:
            return None
        if r.status_code != 200:
            raise self._unavailable("entitlement", r.status_code)
        body = r.json()
        return Contact(
            email=email, customer_id=UUID(body["customer_id"]), customer_name=body["customer_name"]
        )

    async def staff(self, staff_id: UUID) -> Staff | None:
        """The staff record, or None."""
        r = await self._get("escalation", f"/api/v1/staff/{staff_id}")
        if r.status_code == 404:
            return None
        if r.status_code != 200:
            raise self._unavailable("escalation", r.status_code)
        return _staff(r.json())

    async def staff_by_email(self, email: str) -> Staff | None:
        """The active staff member with this address (OIDC sign-in), or None."""
        r = await self._get("escalation", "/api/v1/staff", active="true")
        if r.status_code != 200:
            raise self._unavailable("escalation", r.status_code)
        found = [_staff(b) for b in r.json() if str(b["email"]).lower() == email]
        return found[0] if found else None

    async def still_allowed(self, *, kind: str, subject: str, customer_id: UUID | None) -> bool:
        """Whether a session's person still has access (cached ``cache_seconds``)."""
        key = (kind, subject)
        now = time.monotonic()
        cached = self._allowed.get(key)
        if cached and cached[0] + self._cache_seconds > now:
            return cached[1]
        if kind == "staff":
            member = await self.staff(UUID(subject))
            allowed = member is not None and member.active
        else:
            contact = await self.contact(subject)
            allowed = contact is not None and contact.customer_id == customer_id
        if len(self._allowed) > 10_000:
            self._allowed.clear()
        self._allowed[key] = (now, allowed)
        return allowed

    async def send_mail(
        self, *, key: str, to: str, template: str, language: str, values: dict[str, str]
    ) -> None:
        """Hand one message to notification (stored as a delivery there, sent with retries)."""
        body = {"key": key, "to": to, "template": template, "language": language, "values": values}
        client = self._clients["notification"]
        for attempt in range(1, MAIL_ATTEMPTS + 1):
            try:
                r = await client.post(
                    "/internal/mail", json=body, headers=self._headers(Role.system), timeout=5
                )
                if r.status_code in (200, 201, 202):
                    return
                if r.status_code < 500:  # our request is wrong: retrying will not help
                    raise RuntimeError(f"notification refused the mail: {r.status_code} {r.text}")
                why = f"answered {r.status_code}"
            except httpx.HTTPError as exc:
                why = exc.__class__.__name__
            log.warning("mail not handed over yet", attempt=attempt, template=template, why=why)
            if attempt < MAIL_ATTEMPTS:
                await asyncio.sleep(0.2 * 2**attempt)
        raise ServiceUnavailable(
            "The message cannot be sent now (the notification service does not answer); "
            "retry in a minute.",
            service="notification",
        )
