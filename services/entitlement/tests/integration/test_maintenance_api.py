"""Maintenance plans over HTTP, and the scheduler announcing each occurrence exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from entitlement.usecases.maintenance_schedule import announce_due_occurrences
from shared.clock import FrozenClock

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

NOW = datetime.now(UTC)
TODAY = NOW.date()
OPENED = "maintenance.occurrence_opened"


def d(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def plan_body(**overrides: Any) -> dict[str, Any]:
    """A daily-looking weekly plan that is always in its window: every occurrence is scheduled."""
    start = (NOW + timedelta(days=1)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return {
        "what": "Index rebuild",
        "frequency": "weekly",
        "rrule": "FREQ=WEEKLY",
        "timezone": "UTC",
        "starts_at": start.replace(second=0).isoformat(),
        "lead": "P3D",
        "window": "agreed",
        "agreed_window": {"weekdays": [0, 1, 2, 3, 4, 5, 6], "starts": "00:00", "ends": "23:59"},
        **overrides,
    }


async def premium(ent) -> tuple[dict[str, Any], dict[str, Any]]:
    customer = await ent.customer(trained_specialists=1)
    contact = await ent.contact(customer["id"])
    await ent.contract(customer["id"], tier="premium", starts_on=d(-1), ends_on=d(60))
    return customer, contact


async def new_plan(ent, customer_id: str, **overrides: Any) -> dict[str, Any]:
    r = await ent.http.post(
        f"/api/v1/customers/{customer_id}/maintenance", json=plan_body(**overrides)
    )
    assert r.status_code == 201, r.text
    plan: dict[str, Any] = r.json()
    return plan


async def eventually(check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true within {timeout} s; last: {result!r}")
        await asyncio.sleep(0.02)
    return result


class TestPlans:
    async def test_a_premium_plan_shows_its_next_occurrences(self, ent) -> None:
        customer, contact = await premium(ent)

        plan = await new_plan(ent, customer["id"], contact_id=contact["id"])
        listed = await ent.http.get(
            f"/api/v1/customers/{customer['id']}/maintenance", params={"count": 3}
        )

        assert listed.status_code == 200, listed.text
        [got] = listed.json()
        assert got["id"] == plan["id"]
        assert got["contact_id"] == contact["id"]
        assert [o["outcome"] for o in got["next_occurrences"]] == ["scheduled"] * 3
        first = got["next_occurrences"][0]
        assert first["key"] == f"{plan['id']}@{first['original_at'][:19]}Z"
        assert first["announced"] is False

    async def test_a_standard_customer_is_refused_naming_premium(self, ent) -> None:
        customer = await ent.customer(warranty_until=d(30))

        r = await ent.http.post(f"/api/v1/customers/{customer['id']}/maintenance", json=plan_body())

        assert r.status_code == 403, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["tiers"] == ["premium"]
        assert "premium" in r.json()["detail"]

    @pytest.mark.parametrize(
        ("overrides", "slug"),
        [
            ({"rrule": "FREQ=DAILY"}, "maintenance-rrule"),
            ({"timezone": "Mars/Olympus"}, "maintenance-plan"),
            ({"lead": "P90D"}, "maintenance-plan"),
            ({"window": "working_time"}, "maintenance-window"),
        ],
    )
    async def test_an_invalid_plan_is_a_422(self, ent, overrides, slug) -> None:
        customer, _ = await premium(ent)

        r = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/maintenance", json=plan_body(**overrides)
        )

        assert r.status_code == 422, r.text
        assert r.json()["type"].endswith(slug)

    async def test_replace_and_delete(self, ent) -> None:
        customer, _ = await premium(ent)
        plan = await new_plan(ent, customer["id"])
        url = f"/api/v1/customers/{customer['id']}/maintenance/{plan['id']}"

        replaced = await ent.http.put(url, json=plan_body(what="Backup check"))
        deleted = await ent.http.delete(url)
        again = await ent.http.delete(url)
        listed = await ent.http.get(f"/api/v1/customers/{customer['id']}/maintenance")

        assert (replaced.status_code, replaced.json()["what"]) == (200, "Backup check")
        assert (deleted.status_code, again.status_code) == (204, 404)
        assert listed.json() == []

    async def test_an_agent_skips_or_moves_one_occurrence(self, ent) -> None:
        customer, _ = await premium(ent)
        plan = await new_plan(ent, customer["id"])
        first, second = plan["next_occurrences"][:2]
        base = f"/api/v1/customers/{customer['id']}/maintenance/occurrences"
        to = (datetime.fromisoformat(second["original_at"]) + timedelta(hours=2)).isoformat()

        skipped = await ent.http.post(f"{base}/{first['key']}/skip", json={"reason": "holiday"})
        moved = await ent.http.post(
            f"{base}/{second['key']}/move", json={"to": to, "reason": "customer asked"}
        )
        too_far = await ent.http.post(
            f"{base}/{second['key']}/move",
            json={"to": (NOW + timedelta(days=90)).isoformat(), "reason": "later"},
        )
        unknown = await ent.http.post(
            f"{base}/{plan['id']}@2020-01-01T00:00:00Z/skip", json={"reason": "no"}
        )

        assert skipped.status_code == 200, skipped.text
        occurrences = moved.json()["next_occurrences"]
        assert occurrences[0]["outcome"] == "skipped"
        assert occurrences[0]["reason"] == "holiday"
        assert occurrences[0]["decided_by"] is not None
        assert occurrences[1]["outcome"] == "moved"
        assert datetime.fromisoformat(occurrences[1]["scheduled_at"]) == datetime.fromisoformat(to)
        assert (too_far.status_code, unknown.status_code) == (422, 404)


class TestScheduler:
    async def test_two_passes_and_a_lost_watermark_announce_once(self, ent) -> None:
        customer, contact = await premium(ent)
        plan = await new_plan(ent, customer["id"])
        uow = ent.app.state.runtime.uow

        await announce_due_occurrences(uow, now=datetime.now(UTC))
        await announce_due_occurrences(uow, now=datetime.now(UTC))
        async with ent.engine.begin() as conn:  # a restored backup: the watermark goes back
            await conn.execute(
                text("UPDATE entitlement.maintenance_plan SET due_until = :at WHERE id = :id"),
                {"at": NOW - timedelta(days=10), "id": plan["id"]},
            )
        await announce_due_occurrences(uow, now=datetime.now(UTC))

        [opened] = await ent.events(OPENED, customer["id"])
        first = plan["next_occurrences"][0]
        assert opened["occurrence_key"] == first["key"]
        assert opened["what"] == "Index rebuild"
        assert (opened["contact_id"], opened["contact_email"]) == (contact["id"], contact["email"])
        assert opened["scheduled_at"] == opened["original_at"]
        listed = await ent.http.get(f"/api/v1/customers/{customer['id']}/maintenance")
        assert listed.json()[0]["next_occurrences"][0]["announced"] is True

    async def test_an_occurrence_moved_into_its_lead_time_is_announced_moved(self, ent) -> None:
        customer, _ = await premium(ent)
        plan = await new_plan(ent, customer["id"], lead="PT12H")
        uow = ent.app.state.runtime.uow
        await announce_due_occurrences(uow, now=datetime.now(UTC))  # nothing due yet
        second = plan["next_occurrences"][1]
        to = (datetime.now(UTC) + timedelta(hours=6)).isoformat()
        base = f"/api/v1/customers/{customer['id']}/maintenance/occurrences"
        past = await ent.http.post(
            f"{base}/{second['key']}/move",
            json={"to": (NOW - timedelta(hours=1)).isoformat(), "reason": "late"},
        )
        r = await ent.http.post(f"{base}/{second['key']}/move", json={"to": to, "reason": "now"})
        assert (past.status_code, r.status_code) == (422, 200)

        await announce_due_occurrences(uow, now=datetime.now(UTC))

        [moved] = await ent.events("maintenance.occurrence_moved", customer["id"])
        [opened] = await ent.events(OPENED, customer["id"])
        assert moved["occurrence_key"] == opened["occurrence_key"] == second["key"]
        assert moved["reason"] == "now"
        assert moved["moved_by"]  # the agent's key id
        assert datetime.fromisoformat(opened["scheduled_at"]) == datetime.fromisoformat(to)

    async def test_two_replicas_running_the_job_announce_once(self, ent, open_app) -> None:
        customer, _ = await premium(ent)
        await new_plan(ent, customer["id"])
        await new_plan(ent, customer["id"], what="Log rotation")
        clock = FrozenClock(datetime.now(UTC))
        job = {"run_maintenance_job": True, "maintenance_poll_seconds": 0.01}

        async with open_app(clock=clock, **job) as one, open_app(clock=clock, **job) as two:
            states = [one.app.state.runtime.state, two.app.state.runtime.state]
            await eventually(
                lambda: asyncio.sleep(0, all(s.maintenance_passes >= 3 for s in states))
            )

        opened = await ent.events(OPENED, customer["id"])
        assert sorted(e["what"] for e in opened) == ["Index rebuild", "Log rotation"]
