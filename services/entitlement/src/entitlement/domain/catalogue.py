"""The tier catalogue as data: rules' section 2 (features), section 4 (targets), section 5.

Entitlement is the one owner of these tables: every other service reads them from the
policy snapshot a ticket carries (``shared.events.policy.PolicyDocument``) or from
``GET /api/v1/tiers``, never from a copy of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from shared.events.vocabulary import Feature, Severity, Tier

DEFAULT_POLICY_VERSION = "default-2026.1"
MAX_ACTIVE_CONTACTS = 4
WARNING_PERCENTS: tuple[int, ...] = (50, 75, 90)
"""When the desk is warned, as a share of a target's working time gone (the programme's)."""

__all__ = [
    "CATALOGUE",
    "CONTRACT_TIERS",
    "DEFAULT_POLICY_VERSION",
    "EIGHT_FIVE",
    "MAX_ACTIVE_CONTACTS",
    "SEVERITY_CAPS",
    "TWENTY_FOUR_SEVEN",
    "WARNING_PERCENTS",
    "Feature",
    "Severity",
    "Tier",
    "TierSpec",
    "tiers_with",
]


TWENTY_FOUR_SEVEN = "24x7"
EIGHT_FIVE = "8x5"

# Rules, section 4 (source Table 3): (response, resolution) per severity; None = no target.
_TargetRow = Mapping[Severity, tuple[str | None, str | None]]


@dataclass(frozen=True)
class TierSpec:
    """One column of the rules' section 2 table, plus its targets and obligations."""

    tier: Tier
    priority: int
    period: str
    price: str
    schedule: str
    critical_incidents_schedule: str | None
    features: frozenset[Feature]
    max_open_tickets: int | None
    needs_contract: bool
    customer_obligations: tuple[str, ...]
    targets: _TargetRow

    @property
    def rank(self) -> int:
        """Return a number that grows with the tier (premium highest)."""
        return 6 - self.priority

    def feature_flags(self) -> dict[str, bool]:
        """Return every feature name mapped to whether this tier includes it."""
        return {f.value: f in self.features for f in Feature}

    def targets_dict(self) -> dict[str, dict[str, str | None]]:
        """Return the targets as ``{severity: {"response": .., "resolution": ..}}``."""
        return {
            sev.value: {"response": pair[0], "resolution": pair[1]}
            for sev, pair in self.targets.items()
        }

    def to_dict(self, schedule: Mapping[str, Any]) -> dict[str, Any]:
        """Serialise for ``GET /tiers`` with the tier's schedule document."""
        return {
            "tier": self.tier.value,
            "priority": self.priority,
            "period": self.period,
            "price": self.price,
            "needs_contract": self.needs_contract,
            "features": self.feature_flags(),
            "critical_incidents_schedule": self.critical_incidents_schedule,
            "max_open_tickets": self.max_open_tickets,
            "schedule": dict(schedule),
            "targets": self.targets_dict(),
            "customer_obligations": list(self.customer_obligations),
        }


_F = Feature
_ALWAYS = frozenset(
    {_F.installation_consulting, _F.updates_access, _F.knowledge_base, _F.improvement_proposals}
)
_EXTENDED = _ALWAYS | {
    _F.critical_incidents,
    _F.dedicated_manager,
    _F.remote_access,
    _F.consulting_additional_functionality,
    _F.consulting_complex_projects,
}
_BUSINESS = _EXTENDED | {_F.performance_analysis, _F.dedicated_engineer, _F.on_site_visit}
_PREMIUM = _BUSINESS | {_F.customer_resource_access_monitoring, _F.scheduled_maintenance}
_C, _H, _M = Severity.critical, Severity.high, Severity.medium

CATALOGUE: Mapping[Tier, TierSpec] = MappingProxyType(
    {
        Tier.premium: TierSpec(
            tier=Tier.premium,
            priority=1,
            period="contract",
            price="contract",
            schedule=TWENTY_FOUR_SEVEN,
            critical_incidents_schedule=TWENTY_FOUR_SEVEN,
            features=_PREMIUM,
            max_open_tickets=None,
            needs_contract=True,
            customer_obligations=(
                "recommended redundancy scheme",
                "online remote access to product management and monitoring",
            ),
            targets={_C: ("20min", "3h"), _H: ("30min", "4h"), _M: ("2h", "32h")},
        ),
        Tier.business: TierSpec(
            tier=Tier.business,
            priority=2,
            period="contract",
            price="contract",
            schedule=TWENTY_FOUR_SEVEN,
            critical_incidents_schedule=TWENTY_FOUR_SEVEN,
            features=_BUSINESS,
            max_open_tickets=None,
            needs_contract=True,
            customer_obligations=(
                "recommended redundancy scheme",
                "prompt full access to incident information",
            ),
            targets={_C: ("30min", "4h"), _H: ("1h", "6h"), _M: ("2h", "32h")},
        ),
        Tier.extended: TierSpec(
            tier=Tier.extended,
            priority=3,
            period="contract",
            price="contract",
            schedule=EIGHT_FIVE,
            critical_incidents_schedule=EIGHT_FIVE,
            features=_EXTENDED,
            max_open_tickets=None,
            needs_contract=True,
            customer_obligations=("timely and complete incident information",),
            targets={_C: ("30min", "4h"), _H: ("2h", "16h"), _M: ("4h", "10d")},
        ),
        Tier.standard: TierSpec(
            tier=Tier.standard,
            priority=4,
            period="warranty or licence period",
            price="included in product",
            schedule=EIGHT_FIVE,
            critical_incidents_schedule=EIGHT_FIVE,
            features=_ALWAYS | {_F.critical_incidents},
            max_open_tickets=1,
            needs_contract=False,
            customer_obligations=("incident information",),
            targets={_C: ("2h", "2d"), _H: ("4h", "8d"), _M: ("8h", "15d")},
        ),
        Tier.basic: TierSpec(
            tier=Tier.basic,
            priority=5,
            period="unlimited",
            price="free",
            schedule=EIGHT_FIVE,
            critical_incidents_schedule=None,
            features=_ALWAYS,
            max_open_tickets=1,
            needs_contract=False,
            customer_obligations=(),
            targets={_C: (None, None), _H: (None, None), _M: ("8h", None)},
        ),
    }
)
"""Every tier, in the rules' words; the single source of what a customer is owed."""

CONTRACT_TIERS: tuple[Tier, ...] = tuple(t for t, spec in CATALOGUE.items() if spec.needs_contract)


def tiers_with(feature: Feature) -> list[Tier]:
    """Return the tiers that include ``feature``, highest first."""
    return [t for t, spec in CATALOGUE.items() if feature in spec.features]


SEVERITY_CAPS: Mapping[Tier, Severity] = MappingProxyType({Tier.basic: Severity.medium})
"""The highest severity a tier is served at: basic has no critical or high service."""
