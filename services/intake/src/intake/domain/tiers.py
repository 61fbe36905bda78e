"""What a change of the customer's effective tier does to an open ticket (rules, section 4).

Decision (docs/decisions.md, "Rules"): a tier going up (a new or upgraded contract, a
warranty granting standard) moves the customer's tickets that are not closed to the new
tier's terms, recomputed from their original start; a tier going down (an expiry, a
downgrade) leaves them on the terms they were admitted under. "Up" is entitlement's
priority (1 is the highest), read from its catalogue; intake keeps no ranking of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, Tier


@dataclass(frozen=True)
class TierMove:
    """The terms an open ticket moves to: tier, queue priority and served severity."""

    tier: Tier
    priority: int
    severity: Severity
    severity_capped: bool


def tier_move(
    *,
    current_priority: int,
    new: Tier,
    new_priority: int,
    requested_severity: Severity,
    policy: PolicyDocument | None,
) -> TierMove | None:
    """Return the move for a ticket of priority ``current_priority`` when the tier is ``new``.

    None unless ``new`` ranks above the ticket's tier (an equal or lower tier keeps the
    ticket's terms). The served severity is recomputed from what the customer asked for
    under the new policy, so a basic ticket capped at medium gets its critical or high back.
    """
    if new_priority >= current_priority:
        return None
    severity, capped = (
        policy.served_severity(new, requested_severity)
        if policy is not None
        else (Severity(requested_severity), False)
    )
    return TierMove(tier=new, priority=new_priority, severity=severity, severity_capped=capped)
