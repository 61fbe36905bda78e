"""The change-request workflow (rules, section 9) end to end through the gateway."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import TICKETS
from shared.testing.builders import (
    act_as_customer,
    make_contact,
    make_customer_contact,
    make_ticket,
)
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def step(api: httpx.AsyncClient, ticket_id: str, name: str, **body: Any) -> httpx.Response:
    return await api.post(f"/api/v1/change-requests/{ticket_id}/steps", json={"step": name, **body})


async def new_cr(api: httpx.AsyncClient) -> tuple[dict[str, Any], str, str]:
    customer, contact = await make_customer_contact(api, "standard")
    other = await make_contact(api, customer["id"])
    ticket = await make_ticket(
        api, contact["email"], type="change_request", subject="Private patch for our config"
    )
    return ticket, contact["email"], other["email"]


ESTIMATE = {
    "person_hours": "24",
    "work_plan": "1. analyse 2. patch 3. test",
    "cost": "120000",
    "delivery_date": "2027-02-01",
}
DELIVERY = {
    "release_package": "patch-4.2.1-acme.zip",
    "instructions": "Stop the service, unpack, start",
    "test_plan": "1. post a document 2. check the log",
}


class TestChangeRequestPath:
    async def test_every_step_to_deployed_with_a_defect_round(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        ticket, customer_email, colleague_email = await new_cr(api)
        assert ticket["cr_status"] == "submitted"
        customer = {"actor": act_as_customer(customer_email)}
        colleague = {"actor": act_as_customer(colleague_email)}
        path = [
            ("estimate", ESTIMATE, "estimated"),
            ("send_proposal", {}, "proposal_sent"),
            ("approve", colleague, "approved"),  # any of the customer's contacts
            ("start_development", {}, "in_development"),
            ("submit_to_vendor_testing", {}, "vendor_testing"),
            ("deliver", DELIVERY, "delivered"),
            ("start_customer_testing", customer, "customer_testing"),
            ("report_defects", {**customer, "defect_protocol": "Step 2 fails"}, "defects_reported"),
            ("start_development", {}, "in_development"),
            ("submit_to_vendor_testing", {}, "vendor_testing"),
            ("deliver", DELIVERY, "delivered"),
            ("start_customer_testing", customer, "customer_testing"),
            ("accept", customer, "accepted"),
            ("deploy", {}, "deployed"),
        ]
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            for name, body, status in path:
                r = await step(api, ticket["id"], name, **body)
                assert r.status_code == 200, (name, r.text)
                assert r.json()["cr_status"] == status
            seen = await observer.wait_for(
                lambda s: s.type == "ticket.change_request_advanced" and s.subject == ticket["id"],
                count=len(path),
            )
        assert [s.data["step"] for s in seen] == [p[0] for p in path]
        assert [s.data["cr_status"] for s in seen] == [p[2] for p in path]
        assert seen[0].data["details"]["person_hours"] == "24"
        assert seen[7].data["details"]["defect_protocol"] == "Step 2 fails"
        assert seen[2].data["actor"] == f"customer:{colleague_email}"
        assert [s.value["sequence"] for s in seen] == list(range(2, 2 + len(path)))
        final = (await api.get(f"/api/v1/change-requests/{ticket['id']}")).json()
        assert final["allowed_steps"] == []
        assert final["details"]["delivery_date"] == "2027-02-01"
        assert len(final["details"]["history"]) == len(path)

    async def test_decline_ends_it(self, api: httpx.AsyncClient) -> None:
        ticket, email, _ = await new_cr(api)
        for name, body in [
            ("estimate", ESTIMATE),
            ("send_proposal", {}),
            ("decline", {"actor": act_as_customer(email)}),
        ]:
            assert (await step(api, ticket["id"], name, **body)).status_code == 200
        r = await step(api, ticket["id"], "start_development")
        assert r.status_code == 409
        assert r.json()["allowed"] == []


class TestChangeRequestRefusals:
    async def test_an_agent_cannot_approve_or_accept(self, api: httpx.AsyncClient) -> None:
        ticket, _, _ = await new_cr(api)
        await step(api, ticket["id"], "estimate", **ESTIMATE)
        await step(api, ticket["id"], "send_proposal")
        r = await step(api, ticket["id"], "approve")
        assert r.status_code == 403
        assert "customer" in r.json()["detail"]

    async def test_another_customers_contact_cannot_approve(self, api: httpx.AsyncClient) -> None:
        ticket, _, _ = await new_cr(api)
        await step(api, ticket["id"], "estimate", **ESTIMATE)
        await step(api, ticket["id"], "send_proposal")
        _, stranger = await make_customer_contact(api)
        r = await step(api, ticket["id"], "approve", actor=act_as_customer(stranger["email"]))
        assert r.status_code == 403

    async def test_a_customer_cannot_estimate(self, api: httpx.AsyncClient) -> None:
        ticket, email, _ = await new_cr(api)
        r = await step(api, ticket["id"], "estimate", actor=act_as_customer(email), **ESTIMATE)
        assert r.status_code == 403

    async def test_estimate_needs_every_figure(self, api: httpx.AsyncClient) -> None:
        ticket, _, _ = await new_cr(api)
        r = await step(api, ticket["id"], "estimate", person_hours="8")
        assert r.status_code == 422
        assert r.json()["missing"] == ["work_plan", "cost", "delivery_date"]

    async def test_delivery_needs_instructions_and_test_plan(self, api: httpx.AsyncClient) -> None:
        ticket, email, _ = await new_cr(api)
        for name, body in [
            ("estimate", ESTIMATE),
            ("send_proposal", {}),
            ("approve", {"actor": act_as_customer(email)}),
            ("start_development", {}),
            ("submit_to_vendor_testing", {}),
        ]:
            assert (await step(api, ticket["id"], name, **body)).status_code == 200
        r = await step(api, ticket["id"], "deliver", release_package="p.zip")
        assert r.status_code == 422
        assert r.json()["missing"] == ["instructions", "test_plan"]

    async def test_out_of_order_step_is_a_409_with_allowed_steps(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, _, _ = await new_cr(api)
        r = await step(api, ticket["id"], "deploy")
        assert r.status_code == 409
        assert r.json()["allowed"] == ["estimate"]

    async def test_an_incident_has_no_change_request(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api)
        ticket = await make_ticket(api, contact["email"])
        assert (await api.get(f"/api/v1/change-requests/{ticket['id']}")).status_code == 404
        r = await step(api, ticket["id"], "estimate", **ESTIMATE)
        assert r.status_code == 409
