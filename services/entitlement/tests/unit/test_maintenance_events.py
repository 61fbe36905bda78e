"""What a due maintenance occurrence publishes, and that it survives the wire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from entitlement.domain.maintenance import (
    Frequency,
    MaintenancePlan,
    OutsideWindow,
    Override,
    OverrideKind,
    next_occurrences,
    occurrence_key,
)
from entitlement.domain.maintenance_events import occurrence_events
from shared.events import Envelope, topics
from shared.events.premium import (
    MaintenanceOccurrenceMoved,
    MaintenanceOccurrenceOpened,
    MaintenanceOccurrenceSkipped,
)

PLAN_ID = UUID("00000000-0000-4000-8000-000000000011")
CUSTOMER_ID = UUID("00000000-0000-4000-8000-000000000012")
AFTER = datetime(2026, 3, 1, tzinfo=UTC)


def make_plan(rrule: str, starts_at: datetime, **extra: object) -> MaintenancePlan:
    return MaintenancePlan(
        plan_id=PLAN_ID,
        customer_id=CUSTOMER_ID,
        what="Index rebuild",
        frequency=Frequency.weekly,
        rrule=rrule,
        timezone="Europe/Moscow",
        starts_at=starts_at,
        lead=timedelta(hours=12),
        **extra,  # type: ignore[arg-type]
    )


class TestOccurrenceEvents:
    def test_an_occurrence_in_working_time_asks_for_its_ticket(self) -> None:
        plan = make_plan("FREQ=WEEKLY;BYDAY=WE", datetime(2026, 3, 4, 10, 0))
        [occurrence] = next_occurrences(plan, after=AFTER, count=1)

        [opened] = occurrence_events(plan, occurrence)

        assert isinstance(opened, MaintenanceOccurrenceOpened)
        assert opened.TOPIC == topics.CONTRACTS
        assert (opened.customer_id, opened.plan_id, opened.what) == (
            CUSTOMER_ID,
            PLAN_ID,
            "Index rebuild",
        )
        assert opened.occurrence_key == occurrence.key
        assert opened.scheduled_at == occurrence.scheduled_at

    def test_the_opened_event_names_whom_the_ticket_is_for(self) -> None:
        plan = make_plan("FREQ=WEEKLY;BYDAY=WE", datetime(2026, 3, 4, 10, 0))
        [occurrence] = next_occurrences(plan, after=AFTER, count=1)
        contact_id = UUID("00000000-0000-4000-8000-000000000013")

        [opened] = occurrence_events(plan, occurrence, contact=(contact_id, "ops@example.com"))
        [anonymous] = occurrence_events(plan, occurrence)

        assert isinstance(opened, MaintenanceOccurrenceOpened)
        assert (opened.contact_id, opened.contact_email) == (contact_id, "ops@example.com")
        assert (opened.timezone, opened.opens_at) == ("Europe/Moscow", occurrence.opens_at)
        assert isinstance(anonymous, MaintenanceOccurrenceOpened)
        assert (anonymous.contact_id, anonymous.contact_email) == (None, None)

    def test_a_moved_occurrence_says_why_before_its_ticket(self) -> None:
        plan = make_plan("FREQ=WEEKLY;BYDAY=SA", datetime(2026, 3, 14, 10, 0))
        [occurrence] = next_occurrences(plan, after=AFTER, count=1)

        moved, opened = occurrence_events(plan, occurrence)

        assert isinstance(moved, MaintenanceOccurrenceMoved)
        assert isinstance(opened, MaintenanceOccurrenceOpened)
        assert moved.reason == "outside_working_time"
        assert moved.moved_by is None
        assert moved.original_at < moved.scheduled_at == opened.scheduled_at
        assert moved.occurrence_id == opened.occurrence_id

    def test_a_skipped_occurrence_names_who_skipped_it(self) -> None:
        plan = make_plan("FREQ=WEEKLY;BYDAY=WE", datetime(2026, 3, 4, 10, 0))
        key = occurrence_key(PLAN_ID, datetime(2026, 3, 4, 7, tzinfo=UTC))
        skip = {key: Override(kind=OverrideKind.skip, reason="release freeze")}
        [occurrence] = next_occurrences(plan, after=AFTER, count=1, overrides=skip)

        [skipped] = occurrence_events(plan, occurrence, by="agent-ivanov")

        assert isinstance(skipped, MaintenanceOccurrenceSkipped)
        assert (skipped.reason, skipped.skipped_by) == ("release freeze", "agent-ivanov")

    def test_the_events_survive_the_envelope(self) -> None:
        plan = make_plan(
            "FREQ=WEEKLY;BYDAY=SU", datetime(2026, 3, 15, 10, 0), outside_window=OutsideWindow.move
        )
        [occurrence] = next_occurrences(plan, after=AFTER, count=1)

        for event in occurrence_events(plan, occurrence):
            wire = Envelope.wrap(
                event, source="entitlement", subject=str(CUSTOMER_ID)
            ).model_dump_json()
            assert Envelope.model_validate_json(wire).typed() == event
