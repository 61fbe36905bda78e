"""Premium services through the use cases, in memory: alerts, maintenance, phone confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from intake.adapters.entitlement import TierInfo
from intake.domain.actors import Actor, ActorKind
from intake.domain.alerts import AlertmanagerPayload
from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.usecases import admission, alerts, maintenance, premium
from shared.errors import Forbidden
from shared.events.premium import MaintenanceOccurrenceOpened
from shared.events.vocabulary import Feature, Severity, Tier

from .conftest import PRIORITY, FakeEntitlements, FakeUnitOfWork, make_terms

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
AGENT = Actor(kind=ActorKind.agent, name="eng-1")
MONITORING = Feature.customer_resource_access_monitoring


def payload(status: str, *fingerprints: str) -> AlertmanagerPayload:
    end = "2026-11-27T10:00:00Z" if status == "resolved" else "0001-01-01T00:00:00Z"
    alert = {
        "status": status,
        "labels": {"alertname": "DiskFull", "severity": "critical"},
        "annotations": {"summary": "disk full"},
        "startsAt": "2026-11-27T08:59:00.123456789Z",
        "endsAt": end,
    }
    body = {
        "version": "4",
        "groupKey": "g",
        "status": status,
        "receiver": "desk",
        "alerts": [{**alert, "fingerprint": fp} for fp in fingerprints],
    }
    return AlertmanagerPayload.model_validate(body)


def customer_of_tier(entitlements: FakeEntitlements, tier: Tier) -> object:
    entitlements.catalogue = [
        TierInfo(tier=t, priority=p, features={MONITORING: t == Tier.premium})
        for t, p in PRIORITY.items()
    ]
    terms = make_terms(tier)
    entitlements.customers[terms.customer_id] = terms
    return terms.customer_id


async def receive(uow: FakeUnitOfWork, entitlements: FakeEntitlements, customer_id, body):
    return await alerts.receive(
        body,
        customer_id=customer_id,
        uow=uow,
        entitlements=entitlements,
        config=IntakeConfig(),
        now=NOW,
    )


async def test_an_alert_opens_once_then_comments(uow, entitlements) -> None:
    customer_id = customer_of_tier(entitlements, Tier.premium)
    [opened] = await receive(uow, entitlements, customer_id, payload("firing", "fp1", "fp1"))
    assert opened.ticket is not None
    assert opened.ticket.severity == Severity.critical
    assert opened.ticket.alert_fingerprint == "fp1"
    [again] = await receive(uow, entitlements, customer_id, payload("firing", "fp1"))
    [gone] = await receive(uow, entitlements, customer_id, payload("resolved", "fp1"))
    assert again.ticket is not None
    assert gone.ticket is not None
    assert again.ticket.id == gone.ticket.id == opened.ticket.id
    notes = await uow.comments.of_ticket(opened.ticket.id, include_internal=True)
    assert [n.author for n in notes] == ["alertmanager", "alertmanager"]
    assert uow.event_types().count("ticket.alert_received") == 3


async def test_alerts_need_the_monitoring_feature(uow, entitlements) -> None:
    customer_id = customer_of_tier(entitlements, Tier.business)
    with pytest.raises(Forbidden) as refused:
        await receive(uow, entitlements, customer_id, payload("firing", "fp1"))
    assert refused.value.extensions["tiers"] == ["premium"]
    assert uow.tickets.items == {}


async def test_a_maintenance_occurrence_opens_one_ticket(uow) -> None:
    terms = make_terms(Tier.premium)
    at = NOW + timedelta(days=2)
    event = MaintenanceOccurrenceOpened(
        customer_id=terms.customer_id,
        plan_id=uuid4(),
        occurrence_key="p@2026-11-29T07:00:00Z",
        occurrence_id=uuid4(),
        original_at=at,
        scheduled_at=at,
        what="Backups check",
    )
    async with uow:  # the consumer's transaction, with its inbox claim: the use case joins it
        first = await maintenance.open_occurrence(
            event, terms=terms, uow=uow, config=IntakeConfig(), now=NOW
        )
        again = await maintenance.open_occurrence(
            event, terms=terms, uow=uow, config=IntakeConfig(), now=NOW
        )
        assert not uow.committed  # the caller commits
    assert first is not None
    assert again is None
    assert first.maintenance_occurrence_key == event.occurrence_key
    assert (first.type, first.subject) == ("service_request", "Backups check")


async def test_a_phone_confirmation_replay_changes_nothing(uow, entitlements, contact) -> None:
    contact(tier=Tier.premium)
    cmd = OpenTicket(contact_email="ann@example.com", subject="Down", severity=Severity.critical)
    admitted = await admission.open_ticket(
        cmd, uow=uow, entitlements=entitlements, config=IntakeConfig(), now=NOW
    )
    for _ in range(2):
        ticket = await premium.record_phone_confirmation(
            admitted.ticket.id,
            confirmed_by="Ivan",
            confirmed_at=NOW,
            actor=AGENT,
            uow=uow,
            now=NOW + timedelta(minutes=5),
        )
    assert (ticket.phone_confirmed_by, ticket.phone_confirmed_at) == ("Ivan", NOW)
    assert uow.event_types().count("ticket.phone_confirmation_recorded") == 1
