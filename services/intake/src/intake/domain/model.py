"""The ticket's vocabulary and the admission rules that need no I/O."""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Unprocessable


class TicketType(StrEnum):
    incident = "incident"
    service_request = "service_request"
    change_request = "change_request"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"


# Lower rank = more urgent (queue order).
SEVERITY_RANK: dict[str, int] = {Severity.critical: 0, Severity.high: 1, Severity.medium: 2}


class Channel(StrEnum):
    api = "api"
    web = "web"
    email = "email"
    chat = "chat"
    phone = "phone"


class Status(StrEnum):
    new = "new"
    in_progress = "in_progress"
    waiting_customer = "waiting_customer"
    resolved = "resolved"
    closed = "closed"
    rejected_out_of_scope = "rejected_out_of_scope"
    closed_not_reproducible = "closed_not_reproducible"
    closed_not_product_issue = "closed_not_product_issue"


# Tickets that count against a tier's open-ticket limit (a resolved ticket awaits only
# the customer's confirmation, so it no longer blocks a new one).
OPEN_STATUSES = frozenset({Status.new, Status.in_progress, Status.waiting_customer})
FINAL_STATUSES = frozenset(
    {
        Status.closed,
        Status.rejected_out_of_scope,
        Status.closed_not_reproducible,
        Status.closed_not_product_issue,
    }
)
# The agent work queue: tickets an agent must act on (waiting_customer is the customer's move).
QUEUE_STATUSES = frozenset({Status.new, Status.in_progress})


class Feature(StrEnum):
    """Tier features (rules, section 2, Table 1)."""

    critical_incidents = "critical_incidents"
    customer_resource_access_monitoring = "customer_resource_access_monitoring"
    scheduled_maintenance = "scheduled_maintenance"
    performance_analysis = "performance_analysis"
    dedicated_engineer = "dedicated_engineer"
    on_site_visit = "on_site_visit"
    dedicated_manager = "dedicated_manager"
    remote_access = "remote_access"
    consulting_additional_functionality = "consulting_additional_functionality"
    consulting_complex_projects = "consulting_complex_projects"
    installation_consulting = "installation_consulting"
    updates_access = "updates_access"
    knowledge_base = "knowledge_base"
    improvement_proposals = "improvement_proposals"


TIERS: tuple[str, ...] = ("premium", "business", "extended", "standard", "basic")
TIER_PRIORITY: dict[str, int] = {
    "premium": 1,
    "business": 2,
    "extended": 3,
    "standard": 4,
    "basic": 5,
}
SCHEDULE_24X7 = frozenset({"premium", "business"})

_ALL = frozenset(TIERS)
_TOP2 = frozenset({"premium", "business"})
_TOP3 = frozenset({"premium", "business", "extended"})
# Local copy of the rules' Table 1, used when entitlement does not send ``features``.
FEATURE_TIERS: dict[Feature, frozenset[str]] = {
    Feature.critical_incidents: frozenset({"premium", "business", "extended", "standard"}),
    Feature.customer_resource_access_monitoring: frozenset({"premium"}),
    Feature.scheduled_maintenance: frozenset({"premium"}),
    Feature.performance_analysis: _TOP2,
    Feature.dedicated_engineer: _TOP2,
    Feature.on_site_visit: _TOP2,
    Feature.dedicated_manager: _TOP3,
    Feature.remote_access: _TOP3,
    Feature.consulting_additional_functionality: _TOP3,
    Feature.consulting_complex_projects: _TOP3,
    Feature.installation_consulting: _ALL,
    Feature.updates_access: _ALL,
    Feature.knowledge_base: _ALL,
    Feature.improvement_proposals: _ALL,
}


def local_features(tier: str) -> dict[str, bool]:
    """The feature map of ``tier`` from the local copy of Table 1."""
    return {str(f): tier in tiers for f, tiers in FEATURE_TIERS.items()}


def tiers_with(feature: str, catalogue: dict[str, dict[str, bool]] | None = None) -> list[str]:
    """Tiers that include ``feature``, highest priority first."""
    if catalogue:
        found = [t for t in TIERS if catalogue.get(t, {}).get(feature)]
        extra = sorted(t for t, f in catalogue.items() if t not in TIERS and f.get(feature))
        return [*found, *extra]
    return [t for t in TIERS if t in FEATURE_TIERS.get(Feature(feature), frozenset())]


def admitted_severity(tier: str, requested: Severity) -> tuple[Severity, bool]:
    """Basic has no critical/high service: cap at medium and say so (rules, section 3)."""
    if tier == "basic" and requested in (Severity.critical, Severity.high):
        return Severity.medium, True
    return requested, False


MESSAGE_CHANNELS: dict[str, str] = {
    "email": "/api/v1/intake/email",
    "chat": "/api/v1/intake/chat",
}
"""Channels whose messages carry an external id; each has its own deduplicating endpoint."""


def check_generic_channel(channel: str) -> None:
    """Refuse email and chat on the generic ``POST /api/v1/tickets`` (rules, section 10).

    A re-sent email or chat message must never make a second ticket, which only their
    own endpoints guarantee (they key each message by sender and message id). The
    generic endpoint has no message id, so it sends the caller there instead of
    registering a ticket that a retry would duplicate.
    """
    endpoint = MESSAGE_CHANNELS.get(str(channel))
    if endpoint is None:
        return
    raise Unprocessable(
        f"Tickets from {channel} are posted to {endpoint} with the message id, so that a "
        f"re-sent message never makes a second ticket; POST /api/v1/tickets takes channels "
        f"api, web and phone.",
        slug="channel-has-own-endpoint",
        field="channel",
        endpoint=endpoint,
        errors=[
            {
                "field": "channel",
                "message": f"{channel} messages go to {endpoint} (with their message id)",
                "type": "value_error",
            }
        ],
    )


def registration_number(prefix: str, year: int, number: int) -> str:
    """Human-readable, unique, gap-tolerant: ``TP-2026-000123``."""
    return f"{prefix}-{year}-{number:06d}"


class OutOfScopeReason(StrEnum):
    """Reasons an agent may reject a ticket as out of scope (rules, section 6)."""

    user_hardware_or_software_setup = "user_hardware_or_software_setup"
    third_party_system = "third_party_system"
    violated_technical_requirements = "violated_technical_requirements"
    guest_os_setup = "guest_os_setup"
    digital_signature_keys = "digital_signature_keys"
    digital_signature_in_third_party_systems = "digital_signature_in_third_party_systems"
    digital_signature_integration = "digital_signature_integration"
    product_development = "product_development"
    user_data_entry = "user_data_entry"
    legal_advice = "legal_advice"
    training = "training"


class CorrectiveKind(StrEnum):
    solution = "solution"
    workaround = "workaround"
    action_plan = "action_plan"
