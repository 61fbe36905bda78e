"""SLA clock end to end: warnings and breaches on support.sla.v1, and the lifecycle's timers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import SLA
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.observer import Seen, TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ALARMS = ("sla.timer.warning", "sla.timer.breached")
# A contract's own policy with targets of seconds (sla-clock's Target unit "s"), 24x7.
RESPONSE_TARGET, RESOLUTION_TARGET = "3s", "6s"


def _alarm_key(seen: Seen) -> tuple[str, str, int | None]:
    return (seen.data["timer"], seen.type, seen.data.get("percent"))


async def _transition(api: httpx.AsyncClient, ticket_id: str, action: str, **body: Any) -> None:
    r = await api.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"action": action, **body})
    assert r.status_code == 200, r.text


class TestTinyPolicyBreach:
    async def test_warnings_then_breach_arrive_in_order_exactly_once(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, trained_specialists=1)
        today = datetime.now(UTC).date()
        r = await api.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={
                "tier": "premium",
                "starts_on": (today - timedelta(days=1)).isoformat(),
                "ends_on": (today + timedelta(days=365)).isoformat(),
                "policy": {
                    "schedule": {"kind": "24x7"},
                    "targets": {
                        "critical": {"response": RESPONSE_TARGET, "resolution": RESOLUTION_TARGET}
                    },
                },
            },
        )
        assert r.status_code == 201, r.text
        contact = await make_contact(api, customer["id"])

        async with TopicObserver(stack.bootstrap, [SLA]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="critical")
            assert ticket["tier"] == "premium"

            def mine(seen: Seen) -> bool:
                return seen.subject == ticket["id"] and seen.type in ALARMS

            await observer.wait_for(
                lambda s: mine(s) and s.type == "sla.timer.breached", count=2, timeout=90
            )
            await asyncio.sleep(1.0)  # let any duplicate show itself

        alarms = observer.matching(mine)
        for timer in ("response", "resolution"):
            sequence = [_alarm_key(s) for s in alarms if s.data["timer"] == timer]
            assert sequence == [
                (timer, "sla.timer.warning", 50),
                (timer, "sla.timer.warning", 75),
                (timer, "sla.timer.warning", 90),
                (timer, "sla.timer.breached", None),
            ], sequence
        assert len({s.value["id"] for s in alarms}) == 8
        assert all(s.key == ticket["id"] for s in alarms)
        scheduled = observer.matching(
            lambda s: s.subject == ticket["id"] and s.type == "sla.timer.scheduled"
        )
        assert {s.data["target"] for s in scheduled} == {RESPONSE_TARGET, RESOLUTION_TARGET}

        r = await api.get(f"/api/v1/tickets/{ticket['id']}/sla")
        assert r.status_code == 200, r.text
        timers = {t["timer"]: t for t in r.json()["timers"]}
        assert timers["response"]["outcome"] == "breached"
        assert [a["fired_at"] is not None for a in timers["resolution"]["alarms"]] == [True] * 4


class TestLifecycleMovesTheTimers:
    async def test_take_wait_and_resume_answer_with_timer_events(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, warranty_until="2099-12-31")
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [SLA]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="critical")
            tid = ticket["id"]

            def of(kind: str) -> Any:
                return lambda s: s.subject == tid and s.type == kind

            await observer.wait_for(of("sla.timer.scheduled"), count=2)
            await _transition(api, tid, "take", assignee="agent-1")
            [met] = await observer.wait_for(of("sla.timer.met"))
            await _transition(api, tid, "wait_for_customer", reason="need logs")
            [paused] = await observer.wait_for(of("sla.timer.paused"))
            await _transition(api, tid, "resume")
            [resumed] = await observer.wait_for(of("sla.timer.resumed"))

        assert met.data["timer"] == "response"
        assert met.data["on_time"] is True
        assert paused.data["timer"] == resumed.data["timer"] == "resolution"
        assert resumed.data["due_at"] is not None

        r = await api.get(f"/api/v1/tickets/{tid}/sla")
        assert r.status_code == 200, r.text
        body = r.json()
        response, resolution = body["timers"]
        assert response["state"] == "met"
        assert resolution["state"] == "running"
        assert len(resolution["paused"]) == 1
        assert resolution["paused"][0]["to"] is not None
        assert [e["type"] for e in body["events"]][:1] == ["ticket.created"]
        assert len(body["events"]) == 4

        unknown = await api.get("/api/v1/tickets/00000000-0000-0000-0000-000000000000/sla")
        assert unknown.status_code == 404

    async def test_preview_through_the_gateway(self, api: httpx.AsyncClient) -> None:
        r = await api.post(
            "/api/v1/sla/preview",
            json={
                "tier": "premium",
                "severity": "critical",
                "received_at": "2026-03-01T03:00:00+03:00",
            },
        )
        assert r.status_code == 200, r.text
        assert r.json()["response_due"] == "2026-03-01T03:20:00+03:00"
        bad = await api.post(
            "/api/v1/sla/preview",
            json={
                "tier": "gold",
                "severity": "critical",
                "received_at": "2026-03-01T03:00:00+03:00",
            },
        )
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")


class TestExcludedClosingEndsEveryTimer:
    """Issue 23: the topic ends every timer of an excluded ticket the way the view does."""

    @pytest.mark.parametrize(
        ("action", "reason"),
        [
            ("close_not_reproducible", "no remote access given"),
            ("close_not_product_issue", "customer's own script"),
            ("reject_out_of_scope", "legal_advice"),
        ],
    )
    async def test_met_response_then_excluded_close_ends_both_timers_excluded_once(
        self, stack: RunningStack, api: httpx.AsyncClient, action: str, reason: str
    ) -> None:
        customer = await make_customer(api, warranty_until="2099-12-31")
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [SLA]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="critical")
            tid = ticket["id"]

            def of(kind: str) -> Any:
                return lambda s: s.subject == tid and s.type == kind

            await observer.wait_for(of("sla.timer.scheduled"), count=2)
            await _transition(api, tid, "take", assignee="agent-1")
            [met] = await observer.wait_for(of("sla.timer.met"))
            await _transition(api, tid, action, reason=reason)
            await observer.wait_for(of("sla.timer.stopped"), count=2)
            # A rebuild folds the same history: it must find nothing new to announce.
            r = await api.post(f"/api/v1/sla/tickets/{tid}/rebuild")
            assert r.status_code == 200, r.text
            assert r.json()["changed"] is False
            await asyncio.sleep(1.5)  # let any duplicate or late announcement show itself

        assert met.data["timer"] == "response"
        mine = observer.matching(lambda s: s.subject == tid and s.type != "sla.timer.unchanged")
        for timer in ("response", "resolution"):
            events = [s for s in mine if s.data["timer"] == timer]
            last = events[-1]
            assert (last.type, last.data["outcome"]) == ("sla.timer.stopped", "excluded"), timer
            stops = [s for s in events if s.type == "sla.timer.stopped"]
            assert len(stops) == 1, [s.value["id"] for s in stops]
        [response_stop] = [
            s for s in mine if s.data["timer"] == "response" and s.type == "sla.timer.stopped"
        ]
        assert response_stop.data["state"] == "met"  # it was met; it is now not counted

        r = await api.get(f"/api/v1/tickets/{tid}/sla")
        assert r.status_code == 200, r.text
        assert [t["outcome"] for t in r.json()["timers"]] == ["excluded", "excluded"]

        # Consumers keep what they had: intake's summary still shows the response met (the
        # extra stop carries state met), nothing is breached, and nothing escalated.
        summary: dict[str, Any] = {}
        for _ in range(40):
            ticket_now = (await api.get(f"/api/v1/tickets/{tid}")).json()
            summary = {t["timer"]: t for t in (ticket_now.get("sla") or {}).get("timers", [])}
            if summary.get("resolution", {}).get("state") == "stopped":
                break
            await asyncio.sleep(0.25)
        assert summary["response"]["state"] == "met"
        assert summary["response"]["met_at"] is not None
        assert summary["resolution"]["state"] == "stopped"
        assert not any(t["breached"] for t in summary.values())
        escalations = await api.get(f"/api/v1/tickets/{tid}/escalations")
        assert escalations.status_code == 200, escalations.text
        assert escalations.json() == []
