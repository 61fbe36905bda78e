"""Where previews and explanations find a policy they were not sent: entitlement.

Entitlement owns tiers, schedules, targets and warning percentages; sla-clock keeps no
table of its own. A ticket's clocks never come here (the ticket carries its snapshot):
only a preview without a policy does, or an explanation re-run under another version.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from pydantic import ValidationError

from shared.errors import NotFound, ServiceUnavailable
from shared.events.policy import PolicyDocument
from shared.web.balanced import balanced_transport, first_url

__all__ = ["EntitlementPolicies", "PolicySource"]


class PolicySource(Protocol):
    """Gives the policy a preview uses when the caller sends none."""

    async def current(self) -> PolicyDocument:
        """Return the programme's policy document."""
        ...

    async def version(self, version: str) -> PolicyDocument:
        """Return policy ``version`` (404 problem when there is none)."""
        ...


class EntitlementPolicies:
    """Reads one policy version from entitlement (``GET /api/v1/policies/{version}``)."""

    def __init__(
        self,
        *,
        base_url: str,
        version: str,
        headers: dict[str, str],
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url
        self._version = version
        self._headers = headers
        self._timeout = timeout
        self._transport = transport

    async def current(self) -> PolicyDocument:
        """Fetch the programme's policy; entitlement away or answering nonsense is a 503."""
        return await self.version(self._version)

    async def version(self, version: str) -> PolicyDocument:
        """Fetch policy ``version``; an unknown one is a 404 naming it, never a 500."""
        # A client per call: previews are rare, and no lifespan has to own a connection.
        # ``base_url`` may list every replica of entitlement, comma-separated.
        async with httpx.AsyncClient(
            base_url=first_url(self._base_url),
            headers=self._headers,
            timeout=self._timeout,
            transport=balanced_transport(self._base_url, inner=self._transport),
        ) as http:
            try:
                r = await http.get(f"/api/v1/policies/{version}")
                if r.status_code == 404:
                    raise NotFound(
                        f"There is no policy version {version!r}; GET /api/v1/policies/"
                        "{version} at the gateway shows a version, or use policy=current."
                    )
                r.raise_for_status()
                return PolicyDocument.model_validate(r.json())
            except (httpx.HTTPError, ValueError, ValidationError) as exc:
                raise ServiceUnavailable(
                    f"The policy {version!r} could not be read from entitlement ({exc!r}); "
                    "retry, or send a policy in the request.",
                    slug="policy-unavailable",
                ) from exc
