"""HTTP client of the entitlement service: who may open a ticket and what they are owed."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

import httpx
from pydantic import BaseModel, ConfigDict

from intake.domain.model import TIER_PRIORITY, local_features
from shared.errors import Forbidden, ServiceUnavailable, Unprocessable


class Entitlement(BaseModel):
    """What entitlement answers for an active contact (tolerant of added and missing fields)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    customer_id: UUID
    contact_id: UUID | None = None
    tier: str
    policy_version: str = "unknown"
    max_open_tickets: int | None = None
    reason: str = ""
    policy: dict[str, Any] | None = None
    calendar_version: str | None = None
    features: dict[str, bool] | None = None
    priority: int | None = None

    @property
    def effective_features(self) -> dict[str, bool]:
        """The tier's features; the local copy of the rules' table if entitlement sent none."""
        return self.features if self.features else local_features(self.tier)

    @property
    def effective_priority(self) -> int:
        return self.priority or TIER_PRIORITY.get(self.tier, 5)


class TierInfo(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    tier: str
    priority: int | None = None
    features: dict[str, bool] | None = None


class EntitlementClient:
    """Asks entitlement over a pooled HTTP client."""

    def __init__(self, client: httpx.AsyncClient, *, tiers_cache_seconds: float = 60.0) -> None:
        self._client = client
        self._tiers: tuple[float, dict[str, dict[str, bool]]] | None = None
        self._tiers_ttl = tiers_cache_seconds

    async def _get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        try:
            return await self._client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                f"The entitlement service did not answer ({exc.__class__.__name__}); retry shortly.",
                service="entitlement",
            ) from exc

    async def for_contact(
        self, *, email: str | None = None, chat_id: str | None = None
    ) -> Entitlement:
        """Return the contact's entitlement; Forbidden if they may not open tickets."""
        params = {"contact_email": email} if email else {"chat_id": chat_id or ""}
        response = await self._get("/api/v1/entitlements", params)
        if response.status_code == 404:
            try:
                detail = response.json().get("detail", "not an active contact")
            except ValueError:
                detail = "not an active contact"
            raise Forbidden(
                f"Ticket refused: {detail}",
                slug="not-entitled",
                contact=email or chat_id,
            )
        if response.status_code == 422:
            # Entitlement refused the identifier itself (a NUL byte, say): the sender's input.
            field = "contact_email" if email else "chat_id"
            raise Unprocessable(
                f"The sender's {field} is not an acceptable identifier; check it and send again.",
                slug="validation-error",
                errors=[{"field": field, "message": "not acceptable", "type": "value_error"}],
            )
        if response.status_code >= 400:
            raise ServiceUnavailable(
                f"The entitlement service answered {response.status_code}; retry shortly.",
                service="entitlement",
            )
        return Entitlement.model_validate(response.json())

    async def tier_catalogue(self) -> dict[str, dict[str, bool]] | None:
        """Tier -> features from ``GET /api/v1/tiers``; None if entitlement has no catalogue."""
        now = time.monotonic()
        if self._tiers and now - self._tiers[0] < self._tiers_ttl:
            return self._tiers[1]
        try:
            response = await self._client.get("/api/v1/tiers")
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        try:
            body = response.json()
            items = body if isinstance(body, list) else body.get("items", [])
            tiers = [TierInfo.model_validate(i) for i in items]
        except (ValueError, AttributeError):
            return None
        catalogue = {t.tier: t.features for t in tiers if t.features}
        if not catalogue:
            return None
        self._tiers = (now, catalogue)
        return catalogue
