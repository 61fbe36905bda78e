"""Entitlement through the gateway: contracts, contacts and checks, with events on the topic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import CONTRACTS
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


class TestEntitlementThroughTheGateway:
    async def test_contract_tier_reaches_tickets_and_every_change_is_announced(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with TopicObserver(stack.bootstrap, [CONTRACTS]) as observer:
            customer = await make_customer(api, trained_specialists=1, products=["Docs"])
            contact = await make_contact(api, customer["id"])
            r = await api.post(
                f"/api/v1/customers/{customer['id']}/contracts",
                json={
                    "tier": "premium",
                    "starts_on": day(-1),
                    "ends_on": day(365),
                    "dedicated_engineer": "A. Volkov",
                },
            )
            assert r.status_code == 201, r.text
            contract = r.json()

            changes = await observer.wait_for(
                lambda s: (
                    s.subject == customer["id"]
                    and s.type in {"customer.changed", "contact.changed", "contract.changed"}
                ),
                count=3,
            )

        assert [s.type for s in changes] == [
            "customer.changed",
            "contact.changed",
            "contract.changed",
        ]
        assert all(s.key == customer["id"] and s.topic == CONTRACTS for s in changes)
        assert changes[2].data["effective_tier"] == "premium"

        entitlement = await api.get(
            "/api/v1/entitlements", params={"contact_email": contact["email"]}
        )
        assert entitlement.status_code == 200
        assert entitlement.json()["tier"] == "premium"
        assert entitlement.json()["contract_id"] == contract["id"]
        # The old free-text form is still accepted and reads back as a person.
        assert entitlement.json()["dedicated_engineer"]["name"] == "A. Volkov"

        ticket = await make_ticket(api, contact["email"], severity="critical")
        assert ticket["tier"] == "premium"
        assert ticket["customer_id"] == customer["id"]

    async def test_rules_refuse_through_the_gateway(self, api: httpx.AsyncClient) -> None:
        customer = await make_customer(api)
        no_specialist = await api.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={"tier": "business", "starts_on": day(0), "ends_on": day(30)},
        )
        for _ in range(4):
            await make_contact(api, customer["id"])
        fifth = await api.post(
            f"/api/v1/customers/{customer['id']}/contacts",
            json={"name": "Fifth", "email": f"fifth-{customer['id']}@example.com"},
        )
        stranger = await api.post(
            "/api/v1/tickets",
            json={
                "contact_email": "stranger@nowhere.example",
                "subject": "Help",
                "severity": "high",
            },
        )
        tiers = await api.get("/api/v1/tiers")

        assert no_specialist.status_code == 422
        assert no_specialist.json()["type"].endswith("/no-trained-specialist")
        assert fifth.status_code == 409
        assert fifth.json()["type"].endswith("/contact-limit")
        assert stranger.status_code == 403
        assert [t["tier"] for t in tiers.json()] == [
            "premium",
            "business",
            "extended",
            "standard",
            "basic",
        ]

    async def test_oversized_and_out_of_range_input_is_refused_through_the_gateway(
        self, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, trained_specialists=1)
        huge_product = await api.post(
            "/api/v1/customers", json={"name": "Huge", "products": ["a" * 300_000]}
        )
        # Past the gateway's body limit (1 MiB) the service is not even asked.
        huge_body = await api.post(
            "/api/v1/customers", json={"name": "Huge", "products": ["a" * 3_000_000]}
        )
        far_contract = await api.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={"tier": "extended", "starts_on": day(0), "ends_on": "9999-12-31"},
        )
        far_instant = await api.get(
            f"/api/v1/customers/{customer['id']}/entitlement",
            params={"at": "0001-01-01T00:00:00+03:00"},
        )
        long_target = await api.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={
                "tier": "business",
                "starts_on": day(0),
                "ends_on": day(30),
                "policy": {"targets": {"high": {"response": "1h", "resolution": "367d"}}},
            },
        )
        still_served = await api.get(f"/api/v1/customers/{customer['id']}/entitlement")

        assert huge_product.status_code == 422, huge_product.text[:500]
        assert huge_product.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in huge_product.json()["errors"]] == ["body.products.0"]
        assert huge_body.status_code == 413, huge_body.text[:500]
        assert huge_body.headers["content-type"] == "application/problem+json"
        assert far_contract.status_code == 422, far_contract.text
        assert [e["field"] for e in far_contract.json()["errors"]] == ["body.ends_on"]
        assert far_instant.status_code == 422, far_instant.text
        assert [e["field"] for e in far_instant.json()["errors"]] == ["query.at"]
        assert long_target.status_code == 422, long_target.text
        assert long_target.json()["type"].endswith("/invalid-policy")
        assert "at most 366d" in long_target.json()["detail"]
        assert still_served.status_code == 200
        assert still_served.json()["tier"] == "basic"
