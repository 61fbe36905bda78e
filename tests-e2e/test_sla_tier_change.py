"""A customer's tier changing reaches its open tickets: up moves them, down leaves them.

Rules, section 4 (decision in docs/decisions.md, "Rules"): entitlement announces the
effective tier (contract.changed), intake emits ticket.tier_changed for each open ticket
whose tier it raises, and sla-clock recomputes its deadlines from the original start.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import SLA, TICKETS
from shared.testing.builders import make_contact, make_contract, make_customer, make_ticket
from shared.testing.observer import Seen, TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


def _of(ticket: dict[str, Any], event_type: str) -> Any:
    return lambda s: s.subject == ticket["id"] and s.type == event_type


def _due(seen: list[Seen]) -> dict[str, datetime]:
    return {s.data["timer"]: datetime.fromisoformat(s.data["due_at"]) for s in seen}


async def _sla(api: httpx.AsyncClient, ticket: dict[str, Any]) -> dict[str, Any]:
    r = await api.get(f"/api/v1/tickets/{ticket['id']}/sla")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


class TestTierGoingUp:
    async def test_a_premium_contract_moves_an_open_standard_ticket_to_premium_targets(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, warranty_until="2099-12-31", trained_specialists=1)
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [TICKETS, SLA]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="high")
            assert ticket["tier"] == "standard"
            before = _due(await observer.wait_for(_of(ticket, "sla.timer.scheduled"), count=2))

            await make_contract(api, customer["id"], "premium")
            [changed] = await observer.wait_for(_of(ticket, "ticket.tier_changed"), timeout=30)
            recomputed = await observer.wait_for(_of(ticket, "sla.timer.recomputed"), count=2)

        assert (changed.data["previous_tier"], changed.data["tier"]) == ("standard", "premium")
        assert changed.data["cause"] == "contract.changed"
        assert changed.data["policy"]["targets"]["premium"]["high"] == {
            "response": "30min",
            "resolution": "4h",
        }
        # premium high: 30 min / 4 h on 24x7, counted from the original registration.
        received = datetime.fromisoformat(ticket["received_at"])
        expected = {"response": received + timedelta(minutes=30), "resolution": received + 4 * H}
        assert _due(recomputed) == expected
        assert expected != before
        view = await _sla(api, ticket)
        assert (view["tier"], view["schedule"]) == ("premium", "24x7")
        assert {t["timer"]: datetime.fromisoformat(t["due_at"]) for t in view["timers"]} == expected
        r = await api.get(f"/api/v1/tickets/{ticket['id']}")
        assert (r.json()["tier"], r.json()["tier_priority"]) == ("premium", 1)
        # Intake's SLA summary follows sla.timer.recomputed (target and due instant).
        for _ in range(100):
            summary = (await api.get(f"/api/v1/tickets/{ticket['id']}")).json()["sla"]
            timers = {t["timer"]: t for t in (summary or {}).get("timers", [])}
            if timers.get("resolution", {}).get("target") == "4h":
                break
            await asyncio.sleep(0.1)
        assert timers["resolution"]["target"] == "4h"
        assert datetime.fromisoformat(timers["resolution"]["due_at"]) == expected["resolution"]
        # Exactly once per (ticket, contract event).
        assert len(observer.matching(_of(ticket, "ticket.tier_changed"))) == 1

    async def test_a_warranty_lifts_a_basic_ticket_to_standard_and_its_severity_cap(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api)  # basic: critical is capped at medium
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [TICKETS, SLA]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="critical")
            assert (ticket["tier"], ticket["severity"]) == ("basic", "medium")
            await observer.wait_for(_of(ticket, "sla.timer.scheduled"), count=2)

            r = await api.patch(
                f"/api/v1/customers/{customer['id']}", json={"warranty_until": "2099-12-31"}
            )
            assert r.status_code == 200, r.text
            [changed] = await observer.wait_for(_of(ticket, "ticket.tier_changed"), timeout=30)
            recomputed = await observer.wait_for(_of(ticket, "sla.timer.recomputed"), count=2)

        assert (changed.data["tier"], changed.data["severity"]) == ("standard", "critical")
        assert changed.data["cause"] == "customer.changed"
        # standard critical: 2 h / 2 working days on 8x5; basic had no resolution target.
        assert {s.data["timer"]: s.data["target"] for s in recomputed} == {
            "response": "2h",
            "resolution": "2d",
        }
        view = await _sla(api, ticket)
        assert (view["tier"], view["severity"], view["severity_capped"]) == (
            "standard",
            "critical",
            False,
        )


H = timedelta(hours=1)


class TestTierGoingDown:
    async def test_an_ended_contract_leaves_open_tickets_on_their_terms(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, trained_specialists=1)
        premium = await make_contract(api, customer["id"], "premium")
        await make_contract(api, customer["id"], "extended")
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [TICKETS, SLA]) as observer:
            kept = await make_ticket(api, contact["email"], severity="critical")
            assert kept["tier"] == "premium"
            before = _due(await observer.wait_for(_of(kept, "sla.timer.scheduled"), count=2))

            # The premium contract ends: the customer falls back to extended (a downgrade).
            r = await api.patch(
                f"/api/v1/customers/{customer['id']}/contracts/{premium['id']}",
                json={"ends_on": premium["starts_on"]},
            )
            assert r.status_code == 200, r.text
            # A later upgrade of the same customer is the marker: intake handles one
            # customer's contract events in order, so when this one's ticket moves, the
            # downgrade before it has been handled too.
            marker = await make_ticket(api, contact["email"], severity="critical")
            assert marker["tier"] == "extended"
            await make_contract(api, customer["id"], "business")
            await observer.wait_for(_of(marker, "ticket.tier_changed"), timeout=30)
            await observer.wait_for(_of(marker, "sla.timer.recomputed"), count=2)

        assert observer.matching(_of(kept, "ticket.tier_changed")) == []
        assert observer.matching(_of(kept, "sla.timer.recomputed")) == []
        view = await _sla(api, kept)
        assert view["tier"] == "premium"
        assert {t["timer"]: datetime.fromisoformat(t["due_at"]) for t in view["timers"]} == before
        r = await api.get(f"/api/v1/tickets/{kept['id']}")
        assert r.json()["tier"] == "premium"
