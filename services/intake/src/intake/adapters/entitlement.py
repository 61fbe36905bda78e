"""HTTP client of the entitlement service: who may open a ticket and what they are owed."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.entitlement_signal import ChangeSignal
from intake.adapters.entitlement_view import lookup
from intake.domain.entitlement_view import Fallback, Viewed, choose
from intake.metrics import ENTITLEMENT_CHECKS
from shared.errors import Forbidden, ServiceUnavailable, Unprocessable
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Feature, Severity, Tier
from shared.logging import get_logger
from shared.pool_guard import driver_connection

log = get_logger(__name__)


class Entitlement(BaseModel):
    """What entitlement answers for an active contact (tolerant of added fields).

    ``features`` and ``priority`` are entitlement's rules and it always sends them: intake
    keeps no copy of the tier table to fall back on.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    customer_id: UUID
    contact_id: UUID | None = None
    tier: Tier
    policy_version: str = "unknown"
    max_open_tickets: int | None = None
    reason: str = ""
    policy: PolicyDocument | None = None
    calendar_version: str | None = None
    features: dict[str, bool]
    priority: int
    # The contract's mapping of an alert's severity label (monitoring alerts, premium);
    # absent until entitlement sends it, and then the built-in mapping applies.
    alert_severity_map: dict[str, Severity] | None = None
    alert_severity_label: str | None = None

    def has(self, feature: Feature | str) -> bool:
        """Whether the contact's tier includes ``feature`` (entitlement's answer)."""
        return self.features.get(str(feature), False)


class TierInfo(BaseModel):
    """One row of entitlement's tier catalogue (``GET /api/v1/tiers``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tier: Tier
    priority: int
    features: dict[str, bool]


class EntitlementClient:
    """Asks entitlement over a pooled HTTP client."""

    def __init__(self, client: httpx.AsyncClient, *, tiers_cache_seconds: float = 60.0) -> None:
        self._client = client
        self._tiers: tuple[float, list[TierInfo]] | None = None
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
                body = response.json()
                detail = body.get("detail", "not an active contact")
                cause = str(body.get("type", "")).rpartition("/")[2]
            except (ValueError, AttributeError):
                detail, cause = "not an active contact", ""
            raise Forbidden(
                f"Ticket refused: {detail}",
                slug="not-entitled",
                contact=email or chat_id,
                # "unknown-contact": no customer has this address (mail screening says so).
                **({"cause": cause} if cause else {}),
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
        try:
            return Entitlement.model_validate(response.json())
        except (ValidationError, ValueError) as exc:
            raise ServiceUnavailable(
                "The entitlement service answered without the contact's tier, features or "
                "priority; retry shortly.",
                service="entitlement",
            ) from exc

    async def for_customer(self, customer_id: UUID) -> Entitlement:
        """Return what a customer is owed now (a customer-bound bot acts without a contact)."""
        response = await self._get(f"/api/v1/customers/{customer_id}/entitlement")
        if response.status_code == 404:
            raise Forbidden(
                f"Customer {customer_id} has no entitlement: no active contract.",
                slug="not-entitled",
            )
        try:
            response.raise_for_status()
            return Entitlement.model_validate(response.json())
        except (httpx.HTTPStatusError, ValidationError, ValueError) as exc:
            raise ServiceUnavailable(
                f"The entitlement service answered {response.status_code} without the "
                "customer's tier; retry shortly.",
                service="entitlement",
            ) from exc

    async def tier_catalogue(self) -> list[TierInfo]:
        """Entitlement's tiers from ``GET /api/v1/tiers``, highest priority first (cached)."""
        now = time.monotonic()
        if self._tiers and now - self._tiers[0] < self._tiers_ttl:
            return self._tiers[1]
        response = await self._get("/api/v1/tiers")
        try:
            body = response.json()
            items = body if isinstance(body, list) else body.get("items", [])
            tiers = sorted((TierInfo.model_validate(i) for i in items), key=lambda t: t.priority)
        except (ValueError, AttributeError, ValidationError) as exc:
            raise ServiceUnavailable(
                "The entitlement service's tier catalogue could not be read; retry shortly.",
                service="entitlement",
            ) from exc
        if response.status_code != 200 or not tiers:
            raise ServiceUnavailable(
                f"The entitlement service answered {response.status_code} for its tier "
                "catalogue; retry shortly.",
                service="entitlement",
            )
        self._tiers = (now, tiers)
        return tiers

    async def tiers_with(self, feature: Feature | str) -> list[Tier]:
        """The tiers that include ``feature``, highest priority first."""
        return [t.tier for t in await self.tier_catalogue() if t.features.get(str(feature))]

    async def tier_info(self, tier: Tier) -> TierInfo:
        """Entitlement's priority and features of ``tier``."""
        for info in await self.tier_catalogue():
            if info.tier == tier:
                return info
        raise ServiceUnavailable(
            f"The entitlement service's catalogue has no tier {tier}; retry shortly.",
            service="entitlement",
        )


class ReadModelEntitlements(EntitlementClient):
    """Answers checks from intake's read model, and asks entitlement only when it must.

    The read model (``adapters.entitlement_view``) is fed by entitlement's events; an
    answer from it is used when ``domain.entitlement_view.choose`` finds it current, and
    otherwise (a contact not seen yet, a change signalled but not applied, a contract
    boundary passed, the signal down) the check goes over HTTP as before, and the metric
    ``intake_entitlement_checks{source="http"}`` names why. Refusals (an unknown or
    inactive contact) always come from entitlement: the model only ever says yes.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        engine: Callable[[], AsyncEngine],
        signal: ChangeSignal,
        now: Callable[[], datetime],
        tiers_cache_seconds: float = 60.0,
    ) -> None:
        super().__init__(client, tiers_cache_seconds=tiers_cache_seconds)
        self._engine = engine
        self._signal = signal
        self._now = now
        # Parsed answers by (customer, version): the policy document is the costly part.
        self._parsed: dict[tuple[UUID, int], Entitlement] = {}

    async def _local(
        self,
        *,
        email: str | None = None,
        chat_id: str | None = None,
        customer_id: UUID | None = None,
    ) -> Entitlement | None:
        try:
            async with driver_connection(self._engine()) as conn:
                found = await lookup(conn, email=email, chat_id=chat_id, customer_id=customer_id)
        except Exception as exc:  # the database answers the admission next anyway
            log.warning("entitlement read model not readable", error=repr(exc))
            ENTITLEMENT_CHECKS.labels(source="http", reason="error").inc()
            return None
        chosen = choose(
            found, signalled=self._signal.versions, signal_live=self._signal.live, now=self._now()
        )
        if isinstance(chosen, Fallback):
            ENTITLEMENT_CHECKS.labels(source="http", reason=chosen.value).inc()
            return None
        parsed = self._parse(chosen)
        if parsed is None:
            ENTITLEMENT_CHECKS.labels(source="http", reason="no_answer").inc()
            return None
        ENTITLEMENT_CHECKS.labels(source="read_model", reason="").inc()
        return parsed

    def _parse(self, row: Viewed) -> Entitlement | None:
        key = (row.customer_id, row.version)
        base = self._parsed.get(key)
        if base is None:
            try:
                base = Entitlement.model_validate({**(row.answer or {}), "contact_id": None})
            except ValidationError as exc:
                log.warning("entitlement read model answer unreadable", error=repr(exc))
                return None
            if len(self._parsed) >= 10_000:
                self._parsed.clear()
            self._parsed[key] = base
        if row.contact_id is None:
            return base
        return base.model_copy(update={"contact_id": row.contact_id})

    async def for_contact(
        self, *, email: str | None = None, chat_id: str | None = None
    ) -> Entitlement:
        """The contact's entitlement from the read model when current, else from entitlement."""
        found = await self._local(email=email, chat_id=chat_id)
        if found is not None:
            return found
        return await super().for_contact(email=email, chat_id=chat_id)

    async def for_customer(self, customer_id: UUID) -> Entitlement:
        """The customer's entitlement from the read model when current, else from entitlement."""
        found = await self._local(customer_id=customer_id)
        if found is not None:
            return found
        return await super().for_customer(customer_id)
