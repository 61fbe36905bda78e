"""Which tier a customer is owed at an instant, and why (rules, section 2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from entitlement.domain.calendar import local_date, local_midnight
from entitlement.domain.catalogue import (
    CATALOGUE,
    CONTRACT_TIERS,
    DEFAULT_POLICY_VERSION,
    Feature,
    Tier,
)
from shared.errors import Unprocessable


@dataclass(frozen=True)
class ContractTerm:
    """What the resolution needs to know about one contract."""

    id: UUID
    tier: Tier
    starts_on: date
    ends_on: date
    starts_at: datetime
    ends_at: datetime

    def active_at(self, at: datetime) -> bool:
        """Tell whether the contract covers instant ``at`` (its end date included)."""
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True)
class Resolution:
    """The effective tier, the contract that gives it (if any) and the reason in words."""

    tier: Tier
    contract: ContractTerm | None
    reason: str


def contract_bounds(starts_on: date, ends_on: date, timezone: str) -> tuple[datetime, datetime]:
    """Return the instants a contract covers: from its first day's 00:00 to after its last day.

    Contract dates are read in the customer's calendar time zone (default Moscow).
    """
    return local_midnight(starts_on, timezone), local_midnight(
        ends_on + timedelta(days=1), timezone
    )


def resolve(
    contracts: Iterable[ContractTerm],
    *,
    warranty_until: date | None,
    at: datetime,
    timezone: str,
) -> Resolution:
    """Return the highest active contract's tier; else standard within warranty; else basic."""
    active = [c for c in contracts if c.active_at(at)]
    if active:
        best = max(active, key=lambda c: (CATALOGUE[c.tier].rank, c.ends_at))
        others = f" (highest of {len(active)} active contracts)" if len(active) > 1 else ""
        return Resolution(
            tier=best.tier,
            contract=best,
            reason=(
                f"{best.tier.value} contract {best.id} active from {best.starts_on.isoformat()} "
                f"to {best.ends_on.isoformat()}{others}"
            ),
        )
    today = local_date(at, timezone)
    if warranty_until is not None and today <= warranty_until:
        return Resolution(
            tier=Tier.standard,
            contract=None,
            reason=(
                f"no active contract; standard support within warranty until "
                f"{warranty_until.isoformat()}"
            ),
        )
    ended = f" (warranty ended {warranty_until.isoformat()})" if warranty_until else ""
    return Resolution(
        tier=Tier.basic,
        contract=None,
        reason=f"no active contract and no warranty{ended}: basic support",
    )


_NAMES = ", ".join(t.value for t in CONTRACT_TIERS)
_ALLOWED = [t.value for t in CONTRACT_TIERS]


def contract_tier(tier: str) -> Tier:
    """Return the tier a contract may be signed for.

    Raises:
        Unprocessable: the tier is unknown, or it needs no contract (standard, basic).
    """
    try:
        parsed = Tier(tier)
    except ValueError:
        raise Unprocessable(
            f"Unknown tier {tier!r}; a contract is for one of: {_NAMES}.",
            slug="unknown-tier",
            allowed=_ALLOWED,
        ) from None
    if parsed is Tier.standard:
        raise Unprocessable(
            "standard needs no contract: it comes with the product for its warranty or "
            "licence period. Set warranty_until on the customer (PATCH /api/v1/customers/{id}).",
            slug="tier-needs-no-contract",
            allowed=_ALLOWED,
        )
    if parsed is Tier.basic:
        raise Unprocessable(
            "basic needs no contract: it is free, unlimited and given to anyone, "
            "prospects included.",
            slug="tier-needs-no-contract",
            allowed=_ALLOWED,
        )
    return parsed


def check_people(
    tier: Tier, *, dedicated_manager: object | None, dedicated_engineer: object | None
) -> None:
    """Refuse a dedicated person the tier does not include.

    Raises:
        Unprocessable: a dedicated manager or engineer named for a tier that has none.
    """
    features = CATALOGUE[tier].features
    if dedicated_manager and Feature.dedicated_manager not in features:
        raise Unprocessable(
            f"The {tier.value} tier has no dedicated manager; drop dedicated_manager.",
            slug="feature-not-in-tier",
        )
    if dedicated_engineer and Feature.dedicated_engineer not in features:
        raise Unprocessable(
            f"The {tier.value} tier has no dedicated engineer (business and premium do); "
            "drop dedicated_engineer.",
            slug="feature-not-in-tier",
        )


def check_contract(
    *,
    tier: str,
    starts_on: date,
    ends_on: date,
    trained_specialists: int,
    dedicated_manager: object | None,
    dedicated_engineer: object | None,
    alert_mapping: object | None = None,
) -> Tier:
    """Apply the contract rules of section 2 and return the tier.

    Raises:
        Unprocessable: the tier is unknown or needs no contract, the dates are inverted,
            the customer has no trained specialist, or a dedicated person is named for a
            tier that has none.
    """
    parsed = contract_tier(tier)
    if ends_on < starts_on:
        raise Unprocessable(
            f"The contract ends ({ends_on.isoformat()}) before it starts "
            f"({starts_on.isoformat()}); send ends_on on or after starts_on.",
            slug="contract-dates-inverted",
        )
    if trained_specialists < 1:
        raise Unprocessable(
            f"A {parsed.value} contract needs at least one specialist trained by the vendor, "
            "and this customer has none. Train a specialist and record it with "
            'PATCH /api/v1/customers/{id} {"trained_specialists": 1}.',
            slug="no-trained-specialist",
        )
    check_people(parsed, dedicated_manager=dedicated_manager, dedicated_engineer=dedicated_engineer)
    if (
        alert_mapping
        and Feature.customer_resource_access_monitoring not in CATALOGUE[parsed].features
    ):
        raise Unprocessable(
            f"The {parsed.value} tier has no monitoring by the vendor, so no alerts to map; "
            "drop alert_severity_map and alert_severity_label.",
            slug="feature-not-in-tier",
        )
    return parsed


@dataclass(frozen=True)
class TermExtras:
    """What a contract adds to a check beyond its dates: its policy and its people."""

    policy_version: str
    shortened: bool
    dedicated_manager: dict[str, Any] | None = None
    dedicated_engineer: dict[str, Any] | None = None
    alert_severity_map: dict[str, str] | None = None  # monitoring alerts: label value -> severity
    alert_severity_label: str | None = None


@dataclass(frozen=True)
class PolicyKey:
    """The parts an effective policy is composed of (``domain.policy.compose_version``)."""

    base_version: str
    calendar_version: str
    shortened: bool


@dataclass(frozen=True)
class Snapshot:
    """What a check needs about one customer (and contact), independent of the instant.

    It holds *all* the customer's contracts, so a cached snapshot answers for any
    instant: the passing of time needs no invalidation.
    """

    customer_id: UUID
    name: str
    warranty_until: date | None
    timezone: str
    calendar_version: str
    products: tuple[str, ...]
    contact_id: UUID | None
    terms: tuple[tuple[ContractTerm, TermExtras], ...]

    def resolve(self, at: datetime) -> tuple[Resolution, TermExtras | None, PolicyKey]:
        """Return the tier at ``at``, the winning contract's extras and its policy's key."""
        resolution = resolve(
            [t for t, _ in self.terms],
            warranty_until=self.warranty_until,
            at=at,
            timezone=self.timezone,
        )
        extras = None
        if resolution.contract is not None:
            extras = next(x for t, x in self.terms if t.id == resolution.contract.id)
        key = PolicyKey(
            base_version=extras.policy_version if extras else DEFAULT_POLICY_VERSION,
            calendar_version=self.calendar_version,
            shortened=bool(extras and extras.shortened),
        )
        return resolution, extras, key

    def next_change(self, after: datetime) -> datetime | None:
        """Return the first instant after ``after`` at which time alone may change the answer.

        A contract's start or end, or the midnight that ends the warranty: until then an
        answer given at ``after`` holds unless the customer is changed.
        """
        instants = [i for t, _ in self.terms for i in (t.starts_at, t.ends_at) if i > after]
        if self.warranty_until is not None:
            ends = local_midnight(self.warranty_until + timedelta(days=1), self.timezone)
            if ends > after:
                instants.append(ends)
        return min(instants, default=None)
