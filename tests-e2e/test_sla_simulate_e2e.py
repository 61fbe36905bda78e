"""simulate agrees with a live ticket: the same history, driven through the API and given
as data, ends with the same outcomes and the same deadlines (within a second)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.testing.builders import make_contact, make_customer, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

# A contract's own 24x7 policy in seconds: the response is missed on purpose, the
# resolution is met after a pause.
RESPONSE_TARGET, RESOLUTION_TARGET = "2s", "40s"


async def _move(api: httpx.AsyncClient, ticket_id: str, action: str, **body: Any) -> datetime:
    at = datetime.now(UTC)
    r = await api.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"action": action, **body})
    assert r.status_code == 200, r.text
    return at


async def _settled(api: httpx.AsyncClient, ticket_id: str, status: str) -> dict[str, Any]:
    """Wait until sla-clock has applied the ticket's move to ``status``."""
    for _ in range(200):
        r = await api.get(f"/api/v1/tickets/{ticket_id}/sla")
        if r.status_code == 200 and r.json()["status"] == status:
            body: dict[str, Any] = r.json()
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"sla-clock did not see {ticket_id} become {status}")


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _contact_on_a_tiny_24x7_contract(api: httpx.AsyncClient) -> dict[str, Any]:
    """A contact of a new customer whose premium contract counts 24x7 on tiny targets."""
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
    contact: dict[str, Any] = await make_contact(api, customer["id"])
    return contact


async def _simulate(
    api: httpx.AsyncClient,
    received: datetime,
    policy: dict[str, Any],
    history: list[dict[str, Any]],
) -> dict[str, Any]:
    r = await api.post(
        "/api/v1/sla/simulate",
        json={
            "tier": "premium",
            "severity": "critical",
            "received_at": received.isoformat(),
            "policy": policy,
            "history": history,
        },
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


class TestSimulateAgreesWithALiveTicket:
    async def test_same_history_same_outcomes_and_dues(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        contact = await _contact_on_a_tiny_24x7_contract(api)

        received = datetime.now(UTC)
        ticket = await make_ticket(api, contact["email"], severity="critical")
        tid = ticket["id"]
        await _settled(api, tid, "new")
        await asyncio.sleep(2.5)  # past the response target
        taken = await _move(api, tid, "take", assignee="agent-1")
        await asyncio.sleep(0.5)
        waiting = await _move(api, tid, "wait_for_customer", reason="need logs")
        await asyncio.sleep(1.5)
        resumed = await _move(api, tid, "resume")
        await asyncio.sleep(0.5)
        resolved = await _move(api, tid, "resolve")
        await _settled(api, tid, "resolved")

        r = await api.get(f"/api/v1/tickets/{tid}/sla/explain")
        assert r.status_code == 200, r.text
        live = r.json()
        history = [
            {"kind": "taken_into_work", "at": taken.isoformat()},
            {"kind": "waiting", "at": waiting.isoformat(), "reason": "need logs"},
            {"kind": "resumed", "at": resumed.isoformat()},
            {"kind": "resolved", "at": resolved.isoformat()},
        ]
        simulated = await _simulate(api, received, live["policy"], history)

        outcomes = {t["timer"]: t["outcome"] for t in live["timers"]}
        assert outcomes == {"response": "breached", "resolution": "met"}
        assert {t["timer"]: t["outcome"] for t in simulated["timers"]} == outcomes
        for mine, theirs in zip(live["timers"], simulated["timers"], strict=True):
            gap = abs(_instant(mine["due_at"]) - _instant(theirs["due_at"]))
            assert gap < timedelta(seconds=1), (mine["timer"], mine["due_at"], theirs["due_at"])
            # Each interval's minutes are rounded to a thousandth on the wire.
            rounding = 0.0005 * len(mine["intervals"]) + 1e-9
            assert sum(i["minutes"] for i in mine["intervals"]) == pytest.approx(
                mine["target_minutes"], abs=rounding
            )
            assert len(mine["pauses"]) == len(theirs["pauses"])

        foreign = await api.get("/api/v1/tickets/00000000-0000-0000-0000-000000000000/sla/explain")
        assert foreign.status_code == 404
