"""Intake admits tickets from its entitlement read model, so while entitlement is down too.

Runs on the session's stack: entitlement is stopped for the test and started again (and
waited for) before it ends. The customer, contract and contact are made through the API;
the test waits until intake answers a check for the contact from its read model (its
``intake_entitlement_checks`` counter, ``source="read_model"``), then stops entitlement.
"""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.testing.builders import make_contact, make_contract, make_customer, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

_FROM_MODEL = re.compile(
    r'^intake_entitlement_checks_total\{[^}]*source="read_model"[^}]*\} ([0-9.e+]+)$', re.M
)


async def _answered_from_model(stack: RunningStack) -> float:
    async with httpx.AsyncClient(timeout=10) as client:
        text = (await client.get(f"{stack.url('intake')}/metrics")).text
    return sum(float(v) for v in _FROM_MODEL.findall(text))


class TestEntitlementDown:
    async def test_intake_admits_tickets_while_entitlement_is_down(
        self, api: httpx.AsyncClient, stack: RunningStack
    ) -> None:
        customer = await make_customer(api, trained_specialists=1)
        await make_contract(api, customer["id"], "premium")
        contact = await make_contact(api, customer["id"])
        r = await api.get(f"/api/v1/customers/{customer['id']}/entitlement")
        assert r.status_code == 200, r.text
        owed = r.json()

        # Premium has no open-ticket limit: post until one is admitted from the read model.
        deadline = time.monotonic() + 30
        while True:
            before = await _answered_from_model(stack)
            first = await make_ticket(api, contact["email"], subject="While entitlement is up")
            if await _answered_from_model(stack) > before:
                break
            assert time.monotonic() < deadline, "intake's read model never had the contact"
            await asyncio.sleep(0.2)

        await asyncio.to_thread(stack.stop, "entitlement")
        try:
            r = await api.post(
                "/api/v1/tickets",
                json={
                    "contact_email": contact["email"],
                    "subject": "While entitlement is down",
                    "severity": "critical",
                },
            )
            assert r.status_code == 201, r.text
            ticket = r.json()
            assert ticket["customer_id"] == customer["id"]
            assert ticket["contact_id"] == contact["id"]
            assert ticket["tier"] == "premium"
            assert ticket["severity"] == "critical"
            assert ticket["policy_version"] == owed["policy_version"] == first["policy_version"]

            # What the read model has never seen still needs entitlement: a new address is
            # not refused by intake on its own, it waits for entitlement's answer.
            r = await api.post(
                "/api/v1/tickets",
                json={"contact_email": "never-seen@example.com", "subject": "Who am I"},
            )
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
        finally:
            await asyncio.to_thread(stack.start, "entitlement")
            await asyncio.to_thread(stack.wait_ready, ["entitlement"])

        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": "never-seen@example.com", "subject": "Who am I"},
        )
        assert r.status_code == 403, r.text
