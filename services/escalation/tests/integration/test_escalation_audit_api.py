"""Escalation's audit log: a manager's or admin's change commits its own entry.

The audit hook (``shared.audit``) writes the entry in the transaction of the change,
whatever repository made it; the app runs in process on the session database.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.audit import encode_name
from shared.events.tickets import TicketEscalated

from .conftest import Desk, headers
from .test_escalation_pg import customer_with_contract, open_ticket, uniq

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


def _as(role: str, name: str = "Duty planner") -> dict[str, str]:
    return {
        **headers(role),
        "x-principal-id": str(uuid.uuid4()),
        "x-principal-name": encode_name(name),
        "x-request-id": f"rid-{uuid.uuid4().hex[:10]}",
    }


async def _entries(desk: Desk, request: dict[str, str]) -> list[dict[str, Any]]:
    r = await desk.api.get(
        "/internal/audit", params={"request_id": request["x-request-id"]}, headers=_as("manager")
    )
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_a_managers_staff_and_duty_changes_are_on_record(desk: Desk) -> None:
    create, patch, duty = _as("manager", "Анна (ops)"), _as("manager"), _as("admin")

    created = await desk.api.post(
        "/api/v1/staff", json={"name": "Audited", "email": uniq("aud"), "line": 2}, headers=create
    )
    staff_id = created.json()["id"]
    patched = await desk.api.patch(f"/api/v1/staff/{staff_id}", json={"line": 3}, headers=patch)
    shift = await desk.api.post(
        "/api/v1/duty",
        json={
            "staff_id": staff_id,
            "starts_at": "2026-12-01T00:00:00+00:00",
            "ends_at": "2026-12-01T08:00:00+00:00",
        },
        headers=duty,
    )

    assert (created.status_code, patched.status_code, shift.status_code) == (201, 200, 201)
    [first] = await _entries(desk, create)
    [second] = await _entries(desk, patch)
    [third] = await _entries(desk, duty)
    assert (first["method"], first["path"], first["key_name"], first["service"]) == (
        "POST",
        "/api/v1/staff",
        "Анна (ops)",
        "escalation",
    )
    assert (second["method"], second["target_id"]) == ("PATCH", staff_id)
    assert (third["role"], third["path"]) == ("admin", "/api/v1/duty")


async def test_an_acknowledgement_is_on_record_with_its_escalation(desk: Desk) -> None:
    customer_id, _ = await customer_with_contract(desk)
    ticket_id = await open_ticket(desk, customer_id)
    await desk.send(
        TicketEscalated(ticket_id=ticket_id, line=2, previous_line=1, source="agent"),
        subject=ticket_id,
    )
    listed = await desk.api.get(f"/api/v1/tickets/{ticket_id}/escalations", headers=headers())
    [raised] = listed.json()
    ack, repeat = _as("manager"), _as("manager")

    first = await desk.api.post(f"/api/v1/escalations/{raised['id']}/acknowledge", headers=ack)
    again = await desk.api.post(f"/api/v1/escalations/{raised['id']}/acknowledge", headers=repeat)

    assert (first.status_code, again.status_code) == (200, 200)
    [entry] = await _entries(desk, ack)
    assert entry["target_id"] == raised["id"]
    assert await _entries(desk, repeat) == []  # a repeat changes nothing: no entry


async def test_refused_and_read_requests_leave_no_entry(desk: Desk) -> None:
    agent, invalid, reader = _as("agent"), _as("manager"), _as("manager")

    refused = await desk.api.post(
        "/api/v1/staff", json={"name": "No", "email": uniq("no"), "line": 1}, headers=agent
    )
    bad = await desk.api.patch(f"/api/v1/staff/{uuid.uuid4()}", json={"line": 2}, headers=invalid)
    read = await desk.api.get("/api/v1/staff", headers=reader)

    assert (refused.status_code, bad.status_code, read.status_code) == (403, 404, 200)
    for request in (agent, invalid, reader):
        assert await _entries(desk, request) == []
