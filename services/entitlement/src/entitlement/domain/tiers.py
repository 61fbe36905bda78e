"""Tiers and the fallback rule for customers without an active contract."""

from datetime import date
from enum import StrEnum

DEFAULT_POLICY_VERSION = "default-2026.1"


class Tier(StrEnum):
    """Service tiers, lowest first."""

    basic = "basic"
    standard = "standard"
    extended = "extended"
    business = "business"
    premium = "premium"


MAX_OPEN_TICKETS: dict[Tier, int | None] = {
    Tier.premium: None,
    Tier.business: None,
    Tier.extended: None,
    Tier.standard: 1,
    Tier.basic: 1,
}

MAX_ACTIVE_CONTACTS = 4


def fallback_tier(*, warranty_until: date | None, on: date) -> tuple[Tier, str]:
    """Standard while the product is in warranty, else basic (rules, section 2)."""
    if warranty_until is not None and on <= warranty_until:
        return Tier.standard, f"standard support within warranty until {warranty_until.isoformat()}"
    return Tier.basic, "basic support: no active contract and no warranty"
