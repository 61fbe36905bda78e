"""HTTP client of the entitlement service: who may open a ticket and what they are owed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
from pydantic import BaseModel, ConfigDict

from shared.errors import Forbidden, ServiceUnavailable


class Entitlement(BaseModel):
    """What entitlement answers for an active contact (tolerant of added fields)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    customer_id: UUID
    contact_id: UUID | None = None
    tier: str
    policy_version: str
    max_open_tickets: int | None = None
    reason: str = ""
    policy: dict[str, Any] | None = None
    calendar_version: str | None = None


class EntitlementClient:
    """Asks entitlement over a pooled HTTP client."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def for_contact(self, *, email: str | None = None, chat_id: str | None = None) -> Entitlement:
        """Return the contact's entitlement; Forbidden if they may not open tickets."""
        params = {"contact_email": email} if email else {"chat_id": chat_id or ""}
        try:
            response = await self._client.get("/api/v1/entitlements", params=params)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                f"The entitlement service did not answer ({exc.__class__.__name__}); retry shortly.",
                service="entitlement",
            ) from exc
        if response.status_code == 404:
            detail = response.json().get("detail", "not an active contact")
            raise Forbidden(
                f"Ticket refused: {detail}",
                slug="not-entitled",
            )
        if response.status_code >= 400:
            raise ServiceUnavailable(
                f"The entitlement service answered {response.status_code}; retry shortly.",
                service="entitlement",
            )
        return Entitlement.model_validate(response.json())
