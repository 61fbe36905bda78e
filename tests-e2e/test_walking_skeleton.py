"""One ticket through every service, and exactly one timer per ticket across a restart."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import DLQ, SLA, TICKETS
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.observer import TopicObserver, wait_until_consumed

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


class TestOneTicketThroughEveryService:
    async def test_ticket_events_reach_every_topic_and_consumer(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, warranty_until="2099-12-31")
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [TICKETS, SLA, DLQ]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="critical")

            assert re.fullmatch(r"TP-\d{4}-\d{6}", ticket["registration_number"])
            assert ticket["tier"] == "standard"
            assert ticket["customer_id"] == customer["id"]
            created = await observer.wait_for(
                lambda s: s.type == "ticket.created" and s.subject == ticket["id"]
            )
            scheduled = await observer.wait_for(
                lambda s: s.type == "sla.timer.scheduled" and s.subject == ticket["id"], count=2
            )
            # Escalation and notification read both topics: each group commits a record only
            # after its handlers' transaction did (or after parking it on the DLQ).
            for group in ("escalation", "notification"):
                await wait_until_consumed(stack.bootstrap, group, [*created, *scheduled])
            await asyncio.sleep(0.5)  # a parked record precedes its commit: let the DLQ show
            parked = observer.matching(lambda s: s.topic == DLQ and s.key == ticket["id"])

        assert parked == [], "an event of the ticket was dead-lettered"

        assert created[0].topic == TICKETS
        assert created[0].key == ticket["id"]
        assert created[0].data["registration_number"] == ticket["registration_number"]
        assert {s.data["timer"] for s in scheduled} == {"response", "resolution"}
        assert all(s.key == ticket["id"] and s.topic == SLA for s in scheduled)
        # The envelope chains causes: the timer events were caused by ticket.created.
        assert all(s.value["causationid"] == created[0].value["id"] for s in scheduled)
        assert all(s.value["correlationid"] == created[0].value["correlationid"] for s in scheduled)
        # standard/critical: response 2 working hours, resolution 2 working days (8x5).
        assert {s.data["target"] for s in scheduled} == {"2h", "2d"}

    async def test_ticket_is_readable_through_the_gateway(self, api: httpx.AsyncClient) -> None:
        customer = await make_customer(api)
        contact = await make_contact(api, customer["id"])
        ticket = await make_ticket(api, contact["email"], severity="critical")

        r = await api.get(f"/api/v1/tickets/{ticket['id']}")

        assert r.status_code == 200
        assert r.json()["registration_number"] == ticket["registration_number"]
        # basic tier: critical is accepted but capped at medium (rules, section 3).
        assert r.json()["severity"] == "medium"
        assert r.json()["severity_capped"] is True


class TestSlaClockRestartMidBurst:
    async def test_every_ticket_gets_exactly_one_timer_of_each_kind(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        burst = 60
        contacts = []
        for _ in range(burst):
            customer = await make_customer(api)
            contacts.append((await make_contact(api, customer["id"]))["email"])

        async with TopicObserver(stack.bootstrap, [SLA]) as observer:
            first = await asyncio.gather(*(make_ticket(api, e) for e in contacts[: burst // 2]))
            await asyncio.sleep(0.3)
            await asyncio.to_thread(stack.stop, "sla-clock", kill=True)  # mid-burst, no grace
            second = await asyncio.gather(*(make_ticket(api, e) for e in contacts[burst // 2 :]))
            await asyncio.to_thread(stack.start, "sla-clock")
            await asyncio.to_thread(stack.wait_ready, ["sla-clock"])
            ticket_ids = {t["id"] for t in [*first, *second]}

            await observer.wait_for(
                lambda s: s.type == "sla.timer.scheduled" and s.subject in ticket_ids,
                count=2 * burst,
                timeout=60,
            )
            await asyncio.sleep(1.0)  # let any redelivery show itself

        events: dict[tuple[str, str], set[str]] = defaultdict(set)
        timers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for seen in observer.matching(lambda s: s.type == "sla.timer.scheduled"):
            if seen.subject in ticket_ids:
                events[(seen.subject, seen.data["timer"])].add(seen.value["id"])
                timers[(seen.subject, seen.data["timer"])].add(seen.data["timer_id"])
        assert set(events) == {(t, k) for t in ticket_ids for k in ("response", "resolution")}
        # A republished record may repeat an event id, never mint a second timer.
        assert all(len(ids) == 1 for ids in events.values()), events
        assert all(len(ids) == 1 for ids in timers.values()), timers
