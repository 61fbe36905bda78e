"""Scheduled maintenance through the gateway: a premium plan, its occurrences, the one event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import CONTRACTS
from shared.testing.builders import key_client, make_customer_contact
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

OPENED = "maintenance.occurrence_opened"


def plan_body(what: str) -> dict[str, Any]:
    """A weekly plan whose first occurrence is tomorrow, within its lead: due at once."""
    start = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None, second=0, microsecond=0)
    return {
        "what": what,
        "frequency": "weekly",
        "rrule": "FREQ=WEEKLY",
        "timezone": "UTC",
        "starts_at": start.isoformat(),
        "lead": "P2D",
        "window": "agreed",
        "agreed_window": {"weekdays": [0, 1, 2, 3, 4, 5, 6], "starts": "00:00", "ends": "23:59"},
    }


def opened_for(plan: dict[str, Any]) -> Any:
    return lambda s: s.type == OPENED and s.data["plan_id"] == plan["id"]


async def add_plan(api: httpx.AsyncClient, customer_id: str, what: str) -> dict[str, Any]:
    r = await api.post(f"/api/v1/customers/{customer_id}/maintenance", json=plan_body(what))
    assert r.status_code == 201, r.text
    plan: dict[str, Any] = r.json()
    return plan


async def test_a_premium_plan_announces_its_occurrence_once(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    customer, contact = await make_customer_contact(api, "premium")
    async with TopicObserver(stack.bootstrap, [CONTRACTS]) as observer:
        plan = await add_plan(api, customer["id"], "Index rebuild")
        [seen] = await observer.wait_for(opened_for(plan), timeout=30)
        # Two later plans announced by later passes are the barrier: by then the first
        # plan's occurrence has been due in at least two more passes.
        for what in ("Log rotation", "Backup check"):
            later = await add_plan(api, customer["id"], what)
            await observer.wait_for(opened_for(later), timeout=30)

        assert len(observer.matching(opened_for(plan))) == 1
    first = plan["next_occurrences"][0]
    assert seen.subject == customer["id"]
    assert seen.data["occurrence_key"] == first["key"]
    assert (seen.data["what"], seen.data["contact_email"]) == ("Index rebuild", contact["email"])
    assert datetime.fromisoformat(seen.data["scheduled_at"]) == datetime.fromisoformat(
        first["scheduled_at"]
    )


async def test_the_customer_reads_its_plan_and_cannot_change_it(api: httpx.AsyncClient) -> None:
    customer, _ = await make_customer_contact(api, "premium")
    plan = await add_plan(api, customer["id"], "Certificate renewal")

    async with key_client(api, "customer", customer["id"]) as own:
        listed = await own.get(
            f"/api/v1/customers/{customer['id']}/maintenance", params={"count": 3}
        )
        refused = await own.post(
            f"/api/v1/customers/{customer['id']}/maintenance", json=plan_body("Mine")
        )

    assert listed.status_code == 200, listed.text
    [got] = listed.json()
    assert got["id"] == plan["id"]
    assert [o["outcome"] for o in got["next_occurrences"]] == ["scheduled"] * 3
    assert refused.status_code == 403


async def test_a_standard_customer_is_refused_naming_premium(api: httpx.AsyncClient) -> None:
    customer, _ = await make_customer_contact(api, "standard")

    r = await api.post(
        f"/api/v1/customers/{customer['id']}/maintenance", json=plan_body("Index rebuild")
    )

    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert (problem["feature"], problem["tiers"]) == ("scheduled_maintenance", ["premium"])
    assert "premium" in problem["detail"]
