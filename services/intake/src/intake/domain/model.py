"""Intake's own names (its work queue, channels with their own endpoint, reasons) and pure checks.

The platform's vocabulary (tiers, severities, statuses ...) lives in
``shared.events.vocabulary``; which tier has which feature and how a severity is capped
are entitlement's rules, read from its answer and the policy a ticket carries.
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Unprocessable
from shared.events.vocabulary import TicketStatus

# The open and final groups are the platform's (shared.events.vocabulary): the open ones
# count against a tier's open-ticket limit (a resolved ticket awaits only the customer's
# confirmation, so it no longer blocks a new one).

# The agent work queue: tickets an agent must act on (waiting_customer is the customer's move).
QUEUE_STATUSES = frozenset({TicketStatus.new, TicketStatus.in_progress})


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
