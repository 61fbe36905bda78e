"""Entitlement through the gateway: contracts, contacts and checks, with events on the topic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.events.topics import CONTRACTS
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.observer import TopicObserver
from shared.testing.stack import RunningStack

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
        assert entitlement.json()["dedicated_engineer"] == "A. Volkov"

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
