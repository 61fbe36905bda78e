"""The auto-close job on real PostgreSQL: durable instants, an injectable clock, one event each."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.app import create_app
from intake.config import Settings
from intake.domain.actors import Actor, ActorKind
from intake.domain.commands import MoveTicket, OpenTicket
from intake.domain.config import IntakeConfig
from intake.domain.lifecycle import Action
from intake.usecases import admission, lifecycle
from shared.clock import FrozenClock
from shared.db import sessionmaker
from shared.settings import DatabaseSettings, KafkaSettings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

FRIDAY_NOON_MSK = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
AGENT = Actor(kind=ActorKind.agent, name="eng-it")


def entitlement_stub(customer_id: uuid.UUID) -> EntitlementClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "customer_id": str(customer_id),
                "contact_id": str(uuid.uuid4()),
                "tier": "standard",
                "policy_version": "test",
                "max_open_tickets": 1,
                "priority": 4,
                "features": {"critical_incidents": True},
            },
        )

    return EntitlementClient(
        httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://e")
    )


async def resolved_ticket(uow: Any, entitlements: EntitlementClient, at: datetime) -> uuid.UUID:
    config = IntakeConfig()
    admitted = await admission.open_ticket(
        OpenTicket(contact_email="it@example.com", subject="Auto-close me"),
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=at,
    )
    for action in (Action.take, Action.resolve):
        await lifecycle.change_status(
            MoveTicket(ticket_id=admitted.ticket.id, action=action, actor=AGENT, assignee="eng-it"),
            uow=uow,
            entitlements=entitlements,
            config=config,
            now=at,
        )
    return admitted.ticket.id


async def status_and_events(
    engine: AsyncEngine, ticket_id: uuid.UUID
) -> tuple[str, list[dict[str, Any]]]:
    async with engine.connect() as conn:
        status = await conn.scalar(
            text("SELECT status FROM intake.ticket WHERE id = :id"), {"id": ticket_id}
        )
        rows = (
            await conn.execute(
                text("SELECT payload FROM intake.outbox WHERE key = :k ORDER BY seq"),
                {"k": str(ticket_id)},
            )
        ).all()
    payloads = [r.payload if isinstance(r.payload, dict) else json.loads(r.payload) for r in rows]
    return str(status), payloads


class TestAutoCloseDue:
    async def test_closes_only_after_three_working_days(self, engine: AsyncEngine) -> None:
        entitlements = entitlement_stub(uuid.uuid4())
        uow = IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")
        ticket_id = await resolved_ticket(uow, entitlements, FRIDAY_NOON_MSK)

        # Tuesday: only two working days passed (the weekend does not count).
        await lifecycle.auto_close_due(uow, now=FRIDAY_NOON_MSK + timedelta(days=4))
        assert (await status_and_events(engine, ticket_id))[0] == "resolved"

        await lifecycle.auto_close_due(uow, now=FRIDAY_NOON_MSK + timedelta(days=5))
        status, events = await status_and_events(engine, ticket_id)
        assert status == "closed"
        last = events[-1]
        assert (last["type"], last["sequence"]) == ("ticket.status_changed", 4)
        assert (last["data"]["to_status"], last["data"]["reason"]) == ("closed", "no_objection")

        # A second pass has nothing left to do: no second event.
        await lifecycle.auto_close_due(uow, now=FRIDAY_NOON_MSK + timedelta(days=9))
        assert len((await status_and_events(engine, ticket_id))[1]) == 4


class TestBackgroundJob:
    async def test_runs_on_the_runtime_clock(self, database_url: str, engine: AsyncEngine) -> None:
        entitlements = entitlement_stub(uuid.uuid4())
        uow = IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")
        ticket_id = await resolved_ticket(uow, entitlements, FRIDAY_NOON_MSK)
        clock = FrozenClock(FRIDAY_NOON_MSK + timedelta(days=1))
        settings = Settings(
            database=DatabaseSettings(url=database_url),
            kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1"),
            run_consumer=False,
            run_relay=False,
            auto_close_poll_seconds=0.05,
        )
        async with LifespanManager(create_app(settings, clock=clock)):
            await asyncio.sleep(0.3)
            assert (await status_and_events(engine, ticket_id))[0] == "resolved"
            clock.set(FRIDAY_NOON_MSK + timedelta(days=5))
            for _ in range(100):
                if (await status_and_events(engine, ticket_id))[0] == "closed":
                    break
                await asyncio.sleep(0.05)
        assert (await status_and_events(engine, ticket_id))[0] == "closed"
