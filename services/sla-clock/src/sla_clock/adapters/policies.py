"""Where a preview finds the programme's policy when the caller sends none: entitlement.

Entitlement owns tiers, schedules, targets and warning percentages; sla-clock keeps no
table of its own. A ticket's clocks never come here (the ticket carries its snapshot):
only a preview without a policy does.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from pydantic import ValidationError

from shared.errors import ServiceUnavailable
from shared.events.policy import PolicyDocument
from shared.web.balanced import balanced_transport, first_url

__all__ = ["EntitlementPolicies", "PolicySource"]


class PolicySource(Protocol):
    """Gives the policy a preview uses when the caller sends none."""

    async def current(self) -> PolicyDocument:
        """Return the programme's policy document."""
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
        """Fetch the policy; entitlement away or answering nonsense is a 503, not a 500."""
        # A client per call: previews are rare, and no lifespan has to own a connection.
        # ``base_url`` may list every replica of entitlement, comma-separated.
        async with httpx.AsyncClient(
            base_url=first_url(self._base_url),
            headers=self._headers,
            timeout=self._timeout,
            transport=balanced_transport(self._base_url, inner=self._transport),
        ) as http:
            try:
                r = await http.get(f"/api/v1/policies/{self._version}")
                r.raise_for_status()
                return PolicyDocument.model_validate(r.json())
            except (httpx.HTTPError, ValueError, ValidationError) as exc:
                raise ServiceUnavailable(
                    f"The programme's policy {self._version!r} could not be read from "
                    f"entitlement ({exc!r}); retry, or send a policy in the request.",
                    slug="policy-unavailable",
                ) from exc
