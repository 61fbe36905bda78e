"""Contracts name their dedicated people with addresses and may carry an escalation policy."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

TERMS = {"tier": "premium", "starts_on": "2026-01-01", "ends_on": "2099-12-31"}
POLICY = {
    "version": "acme-1",
    "entries": [
        {
            "on_duty": "always",
            "rules": [{"timer": "response", "trigger": "breach", "notify": ["line_lead"]}],
        }
    ],
}


async def test_people_policy_and_the_old_free_text_form(ent: Any) -> None:
    customer = await ent.customer(trained_specialists=1)
    staff_id = str(uuid.uuid4())
    contract = await ent.contract(
        customer["id"],
        **TERMS,
        dedicated_engineer={"name": "Anna", "email": "anna@vendor.example", "language": "en"},
        dedicated_manager={"staff_id": staff_id},
        escalation_policy=POLICY,
    )
    assert contract["dedicated_engineer"]["email"] == "anna@vendor.example"
    assert contract["dedicated_engineer"]["language"] == "en"
    assert contract["dedicated_manager"]["staff_id"] == staff_id
    assert contract["escalation_policy"]["version"] == "acme-1"
    [event] = await ent.events("contract.changed", customer["id"])
    assert event["contract"]["dedicated_engineer"]["email"] == "anna@vendor.example"
    assert event["contract"]["escalation_policy"]["entries"][0]["on_duty"] == "always"

    r = await ent.http.patch(
        f"/api/v1/customers/{customer['id']}/contracts/{contract['id']}",
        json={"dedicated_engineer": "A. Volkov"},  # the old free text: a name, no address
    )
    assert r.status_code == 200, r.text
    assert r.json()["dedicated_engineer"]["name"] == "A. Volkov"
    assert r.json()["dedicated_engineer"]["email"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dedicated_engineer": {"email": "not-an-address"}}, "body.dedicated_engineer.email"),
        ({"dedicated_manager": {}}, "body.dedicated_manager"),
        (
            {"escalation_policy": {"entries": [{"rules": [{"timer": "x", "trigger": "breach"}]}]}},
            "body.escalation_policy.entries.0.rules.0.timer",
        ),
        ({"escalation_policy": {"entries": []}}, "body.escalation_policy.entries"),
    ],
)
async def test_bad_people_and_policies_are_422_naming_the_field(
    ent: Any, body: dict[str, Any], field: str
) -> None:
    customer = await ent.customer(trained_specialists=1)
    r = await ent.http.post(f"/api/v1/customers/{customer['id']}/contracts", json={**TERMS, **body})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in r.json()["errors"]}, r.json()["errors"]
