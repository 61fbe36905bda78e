"""The premium ticket events: built from the domain's decisions, on the tickets topic, round-trip."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from intake.domain.actors import ActorKind
from intake.domain.alerts import AlertAction, AlertmanagerPayload, alert_event, decide
from intake.domain.visits import Visit, VisitStep, advance_visit, visit_event
from shared.events import EVENT_TYPES, Envelope, topics
from shared.events.base import EventData
from shared.events.premium import (
    TicketAlertReceived,
    TicketPhoneConfirmationRecorded,
    VisitCancelled,
    VisitDone,
    VisitRequested,
    VisitScheduled,
)

TICKET = UUID("00000000-0000-4000-8000-0000000000c1")
CUSTOMER = UUID("00000000-0000-4000-8000-0000000000c2")
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
REQUESTED = Visit(
    visit_id=UUID("00000000-0000-4000-8000-0000000000c3"),
    ticket_id=TICKET,
    address="Moscow, Arbat 1",
    wished_date=date(2026, 3, 6),
)
ALERT = {
    "version": "4",
    "groupKey": '{}:{alertname="DiskFull"}',
    "truncatedAlerts": 0,
    "status": "firing",
    "receiver": "desk",
    "groupLabels": {},
    "commonLabels": {},
    "commonAnnotations": {},
    "externalURL": "http://alertmanager:9093",
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "DiskFull", "severity": "critical"},
            "annotations": {},
            "startsAt": "2026-03-04T08:59:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "",
            "fingerprint": "d15cf011",
        }
    ],
}


def round_trip(event: EventData) -> EventData | None:
    wire = Envelope.wrap(event, source="intake", subject=str(TICKET)).model_dump_json()
    return Envelope.model_validate_json(wire).typed()


class TestVisitEvents:
    def test_each_stage_of_a_visit_is_its_event(self) -> None:
        scheduled = advance_visit(
            REQUESTED,
            VisitStep.schedule,
            actor=ActorKind.agent,
            now=NOW,
            scheduled_at=NOW + timedelta(days=1),
            engineer="Sidorov",
        )
        done = advance_visit(
            scheduled,
            VisitStep.complete,
            actor=ActorKind.agent,
            now=NOW + timedelta(days=1, hours=2),
            engineer="Sidorov",
            time_spent=timedelta(minutes=90, seconds=1),
        )
        cancelled = advance_visit(
            REQUESTED, VisitStep.cancel, actor=ActorKind.customer, now=NOW, reason="not needed"
        )

        events = [
            visit_event(v, customer_id=CUSTOMER, by="anna@example.com")
            for v in (REQUESTED, scheduled, done, cancelled)
        ]

        assert [type(e) for e in events] == [
            VisitRequested,
            VisitScheduled,
            VisitDone,
            VisitCancelled,
        ]
        assert isinstance(events[2], VisitDone)
        assert events[2].time_spent_minutes == 91  # a started minute counts
        assert isinstance(events[3], VisitCancelled)
        assert events[3].reason == "not needed"
        for event in events:
            assert event.TOPIC == topics.TICKETS
            assert round_trip(event) == event


class TestAlertEvent:
    def test_an_alert_that_opened_a_ticket_records_its_severity(self) -> None:
        payload = AlertmanagerPayload.model_validate(ALERT)
        alert = payload.alerts[0]
        decision = decide(alert, open_ticket=None)

        event = alert_event(
            decision, alert, payload=payload, ticket_id=TICKET, customer_id=CUSTOMER
        )

        assert isinstance(event, TicketAlertReceived)
        assert (event.action, event.severity, event.alert_name) == (
            "open_ticket",
            "critical",
            "DiskFull",
        )
        assert event.ends_at is None
        assert round_trip(event) == event

    def test_an_ignored_alert_is_not_recorded(self) -> None:
        payload = AlertmanagerPayload.model_validate(
            {**ALERT, "alerts": [{**ALERT["alerts"][0], "status": "resolved"}]}
        )  # type: ignore[dict-item]
        decision = decide(payload.alerts[0], open_ticket=None)
        assert decision.action is AlertAction.ignore

        with pytest.raises(ValueError, match="ignored"):
            alert_event(
                decision, payload.alerts[0], payload=payload, ticket_id=TICKET, customer_id=CUSTOMER
            )


class TestRegistry:
    @pytest.mark.parametrize(
        "event_type",
        [
            "ticket.visit_requested",
            "ticket.visit_scheduled",
            "ticket.visit_done",
            "ticket.visit_cancelled",
            "ticket.alert_received",
            "ticket.phone_confirmation_recorded",
        ],
    )
    def test_ticket_scoped_events_go_on_the_tickets_topic(self, event_type: str) -> None:
        assert EVENT_TYPES[event_type].TOPIC == topics.TICKETS

    def test_the_phone_confirmation_round_trips(self) -> None:
        event = TicketPhoneConfirmationRecorded(
            ticket_id=TICKET,
            customer_id=CUSTOMER,
            confirmed_by="Anna",
            confirmed_at=NOW,
            recorded_by="agent",
        )

        assert round_trip(event) == event
