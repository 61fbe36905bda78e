"""Who may change what in entitlement: a customer-bound key sees and changes only its own."""

from __future__ import annotations

import uuid

import pytest

from shared.auth import Role
from shared.testing.auth import principal_headers

from .conftest import Api

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize("role", [Role.bot, Role.customer])
class TestCustomerBoundKey:
    async def test_cannot_create_customers_sign_contracts_or_publish(
        self, ent: Api, role: Role
    ) -> None:
        mine = await ent.customer()
        who = principal_headers(role, mine["id"])

        created = await ent.http.post("/api/v1/customers", json={"name": "x"}, headers=who)
        signed = await ent.http.post(
            f"/api/v1/customers/{mine['id']}/contracts",
            json={"tier": "premium", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
            headers=who,
        )
        raised = await ent.http.patch(
            f"/api/v1/customers/{mine['id']}", json={"trained_specialists": 9}, headers=who
        )
        published = await ent.http.post(
            "/api/v1/releases", json={"product": "p", "version": "1"}, headers=who
        )

        assert [r.status_code for r in (created, signed, raised, published)] == [403] * 4
        assert created.json()["type"].endswith("/role-not-allowed")

    async def test_sees_only_its_own_customer(self, ent: Api, role: Role) -> None:
        mine, theirs = await ent.customer(), await ent.customer()
        who = principal_headers(role, mine["id"])

        listed = await ent.http.get("/api/v1/customers", params={"limit": 500}, headers=who)
        own = await ent.http.get(f"/api/v1/customers/{mine['id']}", headers=who)
        foreign = await ent.http.get(f"/api/v1/customers/{theirs['id']}", headers=who)
        foreign_contracts = await ent.http.get(
            f"/api/v1/customers/{theirs['id']}/contracts", headers=who
        )

        assert [c["id"] for c in listed.json()["items"]] == [mine["id"]]
        assert listed.json()["total"] == 1
        assert own.status_code == 200
        assert (foreign.status_code, foreign_contracts.status_code) == (404, 404)
        assert theirs["name"] not in foreign.text

    async def test_manages_its_own_contacts_only(self, ent: Api, role: Role) -> None:
        mine, theirs = await ent.customer(), await ent.customer()
        their_contact = await ent.contact(theirs["id"])
        who = principal_headers(role, mine["id"])
        body = {"name": "Ivan", "email": f"{uuid.uuid4().hex[:8]}@mine.example"}

        own = await ent.http.post(
            f"/api/v1/customers/{mine['id']}/contacts", json=body, headers=who
        )
        foreign = await ent.http.post(
            f"/api/v1/customers/{theirs['id']}/contacts", json=body, headers=who
        )
        their_entitlement = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": their_contact["email"]}, headers=who
        )

        assert own.status_code == 201, own.text
        assert foreign.status_code == 404
        assert their_entitlement.status_code == 404


class TestStaff:
    async def test_an_agent_reads_customers_but_does_not_change_them(self, ent: Api) -> None:
        customer = await ent.customer()
        agent = principal_headers(Role.agent)

        read = await ent.http.get(f"/api/v1/customers/{customer['id']}", headers=agent)
        changed = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}", json={"name": "y"}, headers=agent
        )
        by_manager = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}",
            json={"name": "y"},
            headers=principal_headers(Role.manager),
        )

        assert (read.status_code, changed.status_code, by_manager.status_code) == (200, 403, 200)

    async def test_a_request_without_the_internal_token_is_401(self, ent: Api) -> None:
        r = await ent.http.get("/api/v1/tiers", headers={"x-internal-token": "nope"})

        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
