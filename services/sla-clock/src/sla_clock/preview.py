"""The deadline preview: what a ticket's deadlines would be under a policy (nothing stored)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.errors import Unprocessable
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, Tier
from sla_clock.domain.clock import iso, policy_of
from sla_clock.domain.targets import Policy, compute_due

__all__ = ["parse_policy", "preview"]


def parse_policy(data: dict[str, Any]) -> PolicyDocument:
    """Validate a policy sent with a preview; a bad one is the caller's problem (422)."""
    try:
        doc = PolicyDocument.model_validate(data)
        policy_of(doc)  # the targets and schedules must parse too
    except (KeyError, ValueError, TypeError, ValidationError) as exc:
        raise Unprocessable(
            f"The policy is not valid ({exc}); send it in the shape of GET /api/v1/policies "
            "(version, schedules per tier, targets per tier and severity) or leave it out.",
            slug="invalid-policy",
            field="policy",
        ) from exc
    return doc


def _local(value: datetime | None, like: datetime) -> datetime | None:
    return None if value is None else value.astimezone(like.tzinfo)


def preview(
    *,
    tier: Tier,
    severity: Severity,
    received_at: datetime,
    pauses: Sequence[tuple[datetime, datetime]],
    policy: PolicyDocument,
) -> dict[str, Any]:
    """Compute what a ticket's deadlines would be under ``policy``.

    The severity is served as intake would admit it: the policy's cap for the tier
    (``PolicyDocument.served_severity``), the one place that rule is applied.
    """
    served, capped = policy.served_severity(tier, severity)
    chosen: Policy = policy_of(policy)
    try:
        due = compute_due(
            chosen, tier=tier, severity=served, received_at=received_at, pauses=pauses
        )
    except KeyError as exc:
        raise Unprocessable(
            f"{exc.args[0] if exc.args else exc}; add the tier to the policy or pick another.",
            slug="no-target",
            field="tier",
        ) from exc
    response, resolution = chosen.targets_for(tier, served)
    return {
        "tier": tier.value,
        "severity": served.value,
        "requested_severity": severity.value,
        "severity_capped": capped,
        "policy_version": chosen.version,
        "schedule": due.schedule.kind.value,
        "timezone": due.schedule.timezone,
        "received_at": received_at.isoformat(),
        "response_target": None if response is None else str(response),
        "resolution_target": None if resolution is None else str(resolution),
        # In the caller's offset, so "17:00+03:00 -> 12:00+03:00" reads as it was asked.
        "response_due": iso(_local(due.response_due, received_at)),
        "resolution_due": iso(_local(due.resolution_due, received_at)),
    }
