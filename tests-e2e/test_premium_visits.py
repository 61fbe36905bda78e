"""On-site visits through the gateway: request, schedule, done, cancel, their events, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import TICKETS
from shared.testing.answers import ok, refused
from shared.testing.builders import act_as_customer, make_customer_contact, make_ticket
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ADDRESS = "Moscow, Tverskaya st. 7, office 12"


async def ticket_of(api: httpx.AsyncClient, tier: str) -> tuple[dict[str, Any], str]:
    _, contact = await make_customer_contact(api, tier)
    return await make_ticket(api, contact["email"]), contact["email"]


def request_body(email: str, **kw: Any) -> dict[str, Any]:
    wished = (date.today() + timedelta(days=2)).isoformat()
    return {
        "address": ADDRESS,
        "wished_date": wished,
        "within_ring_road": True,
        "actor": act_as_customer(email),
        **kw,
    }


class TestVisitWorkflow:
    async def test_request_schedule_done_with_events_in_order(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            ticket, email = await ticket_of(api, "business")
            base = f"/api/v1/tickets/{ticket['id']}/visits"
            visit = ok(await api.post(base, json=request_body(email)))
            assert (visit["status"], visit["allowed_steps"]) == (
                "requested",
                ["schedule", "cancel"],
            )
            steps = f"{base}/{visit['visit_id']}/steps"
            when = (datetime.now(UTC) + timedelta(days=2)).isoformat()
            sched = {"step": "schedule", "scheduled_at": when, "engineer": "eng-oleg"}
            assert ok(await api.post(steps, json=sched))["status"] == "scheduled"
            done = {"step": "complete", "engineer": "eng-oleg", "time_spent_minutes": 95}
            finished = ok(await api.post(steps, json=done))
            assert (finished["status"], finished["time_spent_minutes"]) == ("done", 95)
            types = ["ticket.visit_requested", "ticket.visit_scheduled", "ticket.visit_done"]
            seen = await observer.wait_for(
                lambda s: s.subject == ticket["id"] and s.type in types, count=3
            )
        assert [s.type for s in seen] == types
        assert seen[2].data["time_spent_minutes"] == 95
        [listed] = (await api.get(base)).json()
        assert listed["status"] == "done"
        refused(
            await api.post(steps, json={"step": "cancel", "reason": "x"}), 409, "illegal-transition"
        )

    async def test_customer_cancels_but_may_not_schedule(self, api: httpx.AsyncClient) -> None:
        ticket, email = await ticket_of(api, "premium")
        base = f"/api/v1/tickets/{ticket['id']}/visits"
        visit = ok(await api.post(base, json=request_body(email)))
        steps = f"{base}/{visit['visit_id']}/steps"
        when = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        me = act_as_customer(email)
        sched = {"step": "schedule", "scheduled_at": when, "engineer": "e", "actor": me}
        refused(await api.post(steps, json=sched), 403, "not-your-move")
        refused(await api.post(steps, json={"step": "cancel", "actor": me}), 422, "visit-details")
        cancel = {"step": "cancel", "reason": "fixed remotely", "actor": me}
        cancelled = ok(await api.post(steps, json=cancel))
        assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "fixed remotely")


class TestVisitRefusals:
    async def test_other_tiers_are_refused_naming_premium_and_business(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, email = await ticket_of(api, "extended")
        r = await api.post(f"/api/v1/tickets/{ticket['id']}/visits", json=request_body(email))
        problem = refused(r, 403, "feature-not-in-tier")
        assert (problem["feature"], problem["tiers"]) == ("on_site_visit", ["premium", "business"])

    async def test_bad_requests_are_problems(self, api: httpx.AsyncClient) -> None:
        ticket, email = await ticket_of(api, "premium")
        base = f"/api/v1/tickets/{ticket['id']}/visits"
        outside = request_body(email, within_ring_road=False)
        refused(await api.post(base, json=outside), 422, "visit-outside-area")
        past = request_body(email, wished_date="2020-01-01")
        refused(await api.post(base, json=past), 422, "visit-date")
        refused(await api.post(base, json={"address": ADDRESS}), 422, "validation-error")
        missing = f"{base}/00000000-0000-4000-8000-000000000000/steps"
        refused(await api.post(missing, json={"step": "cancel", "reason": "x"}), 404, "no-visit")
