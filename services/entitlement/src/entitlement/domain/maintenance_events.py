"""The events a due maintenance occurrence announces, built from the pure decision."""

from __future__ import annotations

from uuid import UUID

from entitlement.domain.maintenance import MaintenancePlan, Occurrence, OccurrenceOutcome
from shared.events.base import EventData
from shared.events.premium import (
    MaintenanceOccurrenceMoved,
    MaintenanceOccurrenceOpened,
    MaintenanceOccurrenceSkipped,
)

__all__ = ["occurrence_events"]


def occurrence_events(
    plan: MaintenancePlan,
    occurrence: Occurrence,
    *,
    by: str | None = None,
    contact: tuple[UUID, str] | None = None,
) -> list[EventData]:
    """Return what to publish when ``occurrence`` comes due, in order.

    A moved occurrence says so before its ticket is asked for, so a reader of the topic
    sees why the ticket's date differs from the rule. ``by`` names the agent behind an
    override (None: the plan's window rule decided). ``contact`` (id, email) is whom
    intake opens the ticket for.
    """
    common = {
        "customer_id": plan.customer_id,
        "plan_id": plan.plan_id,
        "occurrence_key": occurrence.key,
        "occurrence_id": occurrence.occurrence_id,
        "original_at": occurrence.original_at,
    }
    if occurrence.outcome is OccurrenceOutcome.skipped:
        reason = occurrence.reason or "skipped"
        return [MaintenanceOccurrenceSkipped(**common, reason=reason, skipped_by=by)]
    assert occurrence.scheduled_at is not None  # only a skip has no instant
    opened = MaintenanceOccurrenceOpened(
        **common,
        scheduled_at=occurrence.scheduled_at,
        what=plan.what,
        contact_id=contact[0] if contact else None,
        contact_email=contact[1] if contact else None,
        timezone=plan.timezone,
        opens_at=occurrence.opens_at,
    )
    if occurrence.outcome is OccurrenceOutcome.scheduled:
        return [opened]
    moved = MaintenanceOccurrenceMoved(
        **common,
        scheduled_at=occurrence.scheduled_at,
        reason=occurrence.reason or "moved",
        moved_by=by,
    )
    return [moved, opened]
