"""Intake's handler registry: typed by payload, inbox names as before the registry."""

from __future__ import annotations

from intake.handlers import build_handlers
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    ContractChanged,
    CustomerChanged,
)
from shared.events.escalations import EscalationRaised
from shared.events.premium import MaintenanceOccurrenceOpened
from shared.events.sla import TimerBreached, TimerScheduled, TimerUnchanged
from shared.messaging.handlers import inbox_name


def _never() -> object:
    raise AssertionError("the entitlement client is not asked at registration")


def test_each_type_has_the_inbox_name_its_claims_were_made_under() -> None:
    registry = build_handlers(_never)  # type: ignore[arg-type]

    names = {t: [inbox_name(h) for h in registry[t]] for t in registry}

    assert names[TimerScheduled.TYPE] == ["intake.handlers.apply_timer_event"]
    assert names[TimerBreached.TYPE] == ["intake.handlers.apply_timer_event"]
    assert names[EscalationRaised.TYPE] == ["intake.handlers.apply_escalation"]
    # The tier change keeps its name; the entitlement read model's projection comes after.
    projection = "intake.handlers.project_entitlement"
    assert names[ContractChanged.TYPE] == ["intake.handlers.apply_tier_change", projection]
    assert names[CustomerChanged.TYPE] == ["intake.handlers.apply_tier_change", projection]
    assert names[ContactChanged.TYPE] == [projection]
    assert names[CalendarChanged.TYPE] == [projection]
    assert names[MaintenanceOccurrenceOpened.TYPE] == [
        "intake.handlers.apply_maintenance_occurrence"
    ]
    assert TimerUnchanged.TYPE not in registry  # skipped before any database work
