"""What a change of the customer's effective tier does to an open ticket (rules, section 4).

Decision (docs/decisions.md, "Rules"): a tier going up (a new or upgraded contract, a
warranty granting standard) moves the customer's tickets that are not closed to the new
tier's terms, recomputed from their original start; a tier going down (an expiry, a
downgrade) leaves them on the terms they were admitted under.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.domain.model import TIER_PRIORITY, Severity, admitted_severity


@dataclass(frozen=True)
class TierMove:
    """The terms an open ticket moves to: tier, queue priority and served severity."""

    tier: str
    priority: int
    severity: Severity
    severity_capped: bool


def tier_move(*, current: str, new: str, requested_severity: str) -> TierMove | None:
    """Return the move for a ticket of tier ``current`` when the customer's tier is ``new``.

    None unless ``new`` is a known tier above ``current`` (an equal or lower tier keeps
    the ticket's terms). The served severity is recomputed from what the customer asked
    for, so a basic ticket capped at medium gets its critical or high back.
    """
    rank = TIER_PRIORITY.get(new)
    if rank is None or rank >= TIER_PRIORITY.get(current, max(TIER_PRIORITY.values())):
        return None
    severity, capped = admitted_severity(new, Severity(requested_severity))
    return TierMove(tier=new, priority=rank, severity=severity, severity_capped=capped)
