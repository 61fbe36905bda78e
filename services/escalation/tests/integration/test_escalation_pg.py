"""Escalation's handlers, OLA scheduler and API on PostgreSQL: once per alarm, current state only."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from escalation.scheduler import OlaScheduler
from shared.events.contracts import ContactChanged, ContractChanged
from shared.events.sla import TimerBreached, TimerMet, TimerRecomputed, TimerScheduled, TimerWarning
from shared.events.tickets import (
    TicketCreated,
    TicketEscalated,
    TicketStatusChanged,
    TicketTierChanged,
)

from .conftest import START, Desk, headers

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

DUE = START + timedelta(minutes=30)
TWENTY_FOUR_SEVEN = {"kind": "24x7", "timezone": "Europe/Moscow"}


def uniq(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@vendor.example"


async def staff(desk: Desk, *, line: int, role: str, duty: bool = False) -> dict[str, Any]:
    r = await desk.api.post(
        "/api/v1/staff",
        json={"name": f"{role} {line}", "email": uniq(role), "line": line, "role": role},
        headers=headers("manager"),
    )
    assert r.status_code == 201, r.text
    person: dict[str, Any] = r.json()
    if duty:
        r = await desk.api.post(
            "/api/v1/duty",
            json={
                "staff_id": person["id"],
                "starts_at": (START - timedelta(hours=1)).isoformat(),
                "ends_at": (START + timedelta(days=2)).isoformat(),
            },
            headers=headers("manager"),
        )
        assert r.status_code == 201, r.text
    return person


async def customer_with_contract(desk: Desk, **contract: Any) -> tuple[uuid.UUID, dict[str, str]]:
    customer_id = uuid.uuid4()
    engineer = {"name": "Dedicated Engineer", "email": uniq("deng")}
    await desk.send(
        ContractChanged(
            customer_id=customer_id,
            change="created",
            contract={
                "id": str(uuid.uuid4()),
                "customer_id": str(customer_id),
                "tier": "premium",
                "starts_at": (START - timedelta(days=1)).isoformat(),
                "ends_at": (START + timedelta(days=365)).isoformat(),
                "dedicated_engineer": engineer,
                "dedicated_manager": {"name": "Dedicated Manager", "email": uniq("dman")},
                **contract,
            },
        ),
        subject=customer_id,
    )
    await desk.send(
        ContactChanged(
            customer_id=customer_id,
            change="created",
            contact={
                "id": str(uuid.uuid4()),
                "name": "Ivan",
                "email": uniq("ivan"),
                "active": True,
                "language": "en",
            },
        ),
        subject=customer_id,
    )
    return customer_id, engineer


async def open_ticket(desk: Desk, customer_id: uuid.UUID) -> uuid.UUID:
    ticket_id = uuid.uuid4()
    await desk.send(
        TicketCreated(
            ticket_id=ticket_id,
            customer_id=customer_id,
            status="new",
            registration_number=f"TP-{ticket_id.hex[:6]}",
            severity="critical",
            tier="premium",
            channel="api",
            subject="Down",
            received_at=START,
            policy={"version": "t", "targets": {}, "schedules": {"premium": TWENTY_FOUR_SEVEN}},
        ),
        subject=ticket_id,
    )
    for timer in ("response", "resolution"):
        await desk.send(
            TimerScheduled(
                ticket_id=ticket_id, timer=timer, due_at=DUE, started_at=START, state="running"
            ),
            subject=ticket_id,
        )
    return ticket_id


def breach(ticket_id: uuid.UUID, timer: str = "response", due: datetime = DUE) -> TimerBreached:
    return TimerBreached(ticket_id=ticket_id, timer=timer, due_at=due, state="running")


class TestAlarms:
    async def test_breach_raises_once_with_line_move_and_people(self, desk: Desk) -> None:
        lead = await staff(desk, line=2, role="lead")
        duty = await staff(desk, line=2, role="engineer", duty=True)
        customer_id, _ = await customer_with_contract(desk)
        ticket_id = await open_ticket(desk, customer_id)

        first = await desk.send(breach(ticket_id), subject=ticket_id)
        await desk.deliver(first)  # redelivered: the inbox drops it
        await desk.send(breach(ticket_id), subject=ticket_id)  # replayed as a new event

        [raised] = await desk.outbox(ticket_id, "escalation.raised")
        assert (raised["from_line"], raised["to_line"], raised["line"]) == (1, 2, 2)
        assert raised["trigger"] == "sla.timer.breached"
        assert raised["out_of_hours"] is True
        told = {(r["role"], r["email"]) for r in raised["recipients"]}
        assert ("line_lead", lead["email"]) in told
        assert ("on_duty", duty["email"]) in told
        assert raised["assign_to"] is not None  # unassigned 24x7 critical ticket at night
        [row] = await desk.rows(
            "SELECT * FROM escalation.escalation WHERE ticket_id = :t", t=ticket_id
        )
        assert row.to_line == 2

    async def test_met_or_recomputed_timer_raises_nothing(self, desk: Desk) -> None:
        await staff(desk, line=2, role="engineer", duty=True)
        customer_id, _ = await customer_with_contract(desk)
        met = await open_ticket(desk, customer_id)
        await desk.send(
            TimerMet(ticket_id=met, timer="response", met_at=START, due_at=DUE, state="met"),
            subject=met,
        )
        await desk.send(breach(met), subject=met)
        moved = await open_ticket(desk, customer_id)
        await desk.send(
            TimerRecomputed(
                ticket_id=moved,
                timer="response",
                due_at=DUE + timedelta(hours=1),
                previous_due_at=DUE,
                severity="medium",  # severity lowered: the clock moved
                tier="premium",
            ),
            subject=moved,
        )
        await desk.send(breach(moved), subject=moved)  # the alarm of the old due instant

        assert await desk.outbox(met, "escalation.raised") == []
        assert await desk.outbox(moved, "escalation.raised") == []
        # The new due instant's breach is current, and decided for a medium ticket: no
        # round-the-clock call at night.
        await desk.send(breach(moved, due=DUE + timedelta(hours=1)), subject=moved)
        [raised] = await desk.outbox(moved, "escalation.raised")
        assert raised["severity"] == "medium"
        assert raised["out_of_hours"] is True
        assert "on_duty" not in {r["role"] for r in raised["recipients"]}

    async def test_resolution_warning_tells_the_dedicated_engineer(self, desk: Desk) -> None:
        customer_id, engineer = await customer_with_contract(desk)
        ticket_id = await open_ticket(desk, customer_id)
        warning = TimerWarning(
            ticket_id=ticket_id, timer="resolution", due_at=DUE, percent=75, fire_at=START
        )
        await desk.send(warning, subject=ticket_id)
        [raised] = await desk.outbox(ticket_id, "escalation.raised")
        assert raised["to_line"] is None
        assert ("dedicated_engineer", engineer["email"]) in {
            (r["role"], r["email"]) for r in raised["recipients"]
        }

    async def test_contract_policy_overrides_the_default(self, desk: Desk) -> None:
        policy = {
            "version": f"contract-{uuid.uuid4().hex[:6]}",
            "entries": [
                {"rules": [{"timer": "response", "trigger": "breach", "notify": ["contacts"]}]}
            ],
        }
        customer_id, _ = await customer_with_contract(desk, escalation_policy=policy)
        ticket_id = await open_ticket(desk, customer_id)
        await desk.send(breach(ticket_id), subject=ticket_id)
        [raised] = await desk.outbox(ticket_id, "escalation.raised")
        assert raised["to_line"] is None  # this contract does not move lines
        assert {(r["role"], r["language"]) for r in raised["recipients"]} == {("contacts", "en")}
        r = await desk.api.get("/api/v1/escalation-policies", headers=headers("agent"))
        assert policy["version"] in {p["version"] for p in r.json()}


class TestManualAndOla:
    async def test_manual_move_raises_once_and_a_decided_move_does_not_loop(
        self, desk: Desk
    ) -> None:
        customer_id, _ = await customer_with_contract(desk)
        ticket_id = await open_ticket(desk, customer_id)
        await desk.send(
            TicketEscalated(
                ticket_id=ticket_id,
                customer_id=customer_id,
                line=2,
                previous_line=1,
                reason="needs a developer",
                source="agent",
            ),
            subject=ticket_id,
        )
        await desk.send(
            TicketEscalated(
                ticket_id=ticket_id,
                customer_id=customer_id,
                line=3,
                previous_line=2,
                source="escalation",
            ),
            subject=ticket_id,
        )
        [raised] = await desk.outbox(ticket_id, "escalation.raised")
        assert (raised["trigger"], raised["from_line"], raised["to_line"]) == ("manual", 1, 2)
        assert raised["reason"] == "needs a developer"
        olas = await desk.rows(
            "SELECT line FROM escalation.ola WHERE ticket_id = :t ORDER BY line", t=ticket_id
        )
        assert [o.line for o in olas] == [2, 3]

    async def test_ola_warns_and_breaches_once_unless_the_line_responds(self, desk: Desk) -> None:
        await staff(desk, line=2, role="lead")
        customer_id, _ = await customer_with_contract(desk)
        slow, quick = await open_ticket(desk, customer_id), await open_ticket(desk, customer_id)
        for ticket_id in (slow, quick):
            await desk.send(
                TicketEscalated(ticket_id=ticket_id, line=2, previous_line=1, source="escalation"),
                subject=ticket_id,
            )
        await desk.send(
            TicketStatusChanged(
                ticket_id=quick,
                from_status="new",
                to_status="in_progress",
                action="take",
                assignee="someone",
                occurred_at=START,
            ),
            subject=quick,
        )
        try:
            desk.clock.advance(timedelta(minutes=50))  # default OLA, critical: 1 h (24x7)
            await desk.ola.fire_due()
            desk.clock.advance(timedelta(minutes=20))
            await desk.ola.fire_due()
            await desk.ola.fire_due()
        finally:
            desk.clock.set(START)
        [warned] = await desk.outbox(slow, "ola.warning")
        assert warned["percent"] == 75
        [breached] = await desk.outbox(slow, "ola.breached")
        assert breached["line"] == 2
        assert any(r["role"] == "line_lead" for r in breached["recipients"])
        assert await desk.outbox(quick, "ola.warning") == []
        assert await desk.outbox(quick, "ola.breached") == []

    async def test_the_scheduler_sleeps_until_a_new_target_wakes_it(self, desk: Desk) -> None:
        """No poll at idle: a pass plans the next at the earliest instant, and a commit
        that stores a nearer target (a new escalation) wakes it at once."""
        scheduler = OlaScheduler(uow_factory=desk.runtime.uow, clock=desk.clock, poll_seconds=1e6)
        desk.runtime.state.ola_scheduler = scheduler
        desk.clock.set(START - timedelta(days=1))  # before every other test's targets
        stop = asyncio.Event()
        task = asyncio.create_task(scheduler.run(stop))
        try:
            await _until(lambda: scheduler.passes >= 1)
            asleep = scheduler.passes
            await asyncio.sleep(0.5)
            assert scheduler.passes == asleep  # nothing due: it sleeps, it does not poll
            customer_id, _ = await customer_with_contract(desk)
            ticket_id = await open_ticket(desk, customer_id)
            await desk.send(
                TicketEscalated(ticket_id=ticket_id, line=2, previous_line=1, source="escalation"),
                subject=ticket_id,
            )
            await _until(lambda: scheduler.passes > asleep)  # woken: the new target is nearest
            [ola] = await desk.rows(
                "SELECT warning_at FROM escalation.ola WHERE ticket_id = :t", t=ticket_id
            )
            assert await scheduler.next_instant() == ola.warning_at
        finally:
            stop.set()
            await task
            desk.runtime.state.ola_scheduler = None
            desk.clock.set(START)


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


class TestApi:
    async def test_list_acknowledge_and_scope(self, desk: Desk) -> None:
        customer_id, _ = await customer_with_contract(desk)
        ticket_id = await open_ticket(desk, customer_id)
        await desk.send(breach(ticket_id), subject=ticket_id)
        await desk.send(  # intake applied the move: line 2's OLA starts
            TicketEscalated(ticket_id=ticket_id, line=2, previous_line=1, source="escalation"),
            subject=ticket_id,
        )
        mine = headers("customer", customer_id)
        other = headers("customer", uuid.uuid4())

        r = await desk.api.get(f"/api/v1/tickets/{ticket_id}/escalations", headers=mine)
        assert r.status_code == 200, r.text
        [esc] = r.json()
        r = await desk.api.get(f"/api/v1/tickets/{ticket_id}/escalations", headers=other)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert (
            await desk.api.get(f"/api/v1/escalations/{esc['id']}", headers=other)
        ).status_code == 404
        assert (await desk.api.get("/api/v1/escalations", headers=other)).json() == []
        listed = await desk.api.get(
            "/api/v1/escalations",
            params={"ticket_id": str(ticket_id), "state": "open"},
            headers=headers("agent"),
        )
        assert [e["id"] for e in listed.json()] == [esc["id"]]

        refused = await desk.api.post(f"/api/v1/escalations/{esc['id']}/acknowledge", headers=mine)
        assert refused.status_code == 403
        acked = await desk.api.post(
            f"/api/v1/escalations/{esc['id']}/acknowledge", headers=headers("agent")
        )
        assert acked.status_code == 200, acked.text
        assert acked.json()["acknowledged_by"] == "key-agent"
        again = await desk.api.post(
            f"/api/v1/escalations/{esc['id']}/acknowledge", headers=headers("agent")
        )
        assert again.json()["acknowledged_at"] == acked.json()["acknowledged_at"]
        assert len(await desk.outbox(ticket_id, "escalation.acknowledged")) == 1
        [ola] = await desk.rows(
            "SELECT met_at FROM escalation.ola WHERE ticket_id = :t", t=ticket_id
        )
        assert ola.met_at is not None  # the line responded: its OLA is met

    async def test_staff_and_duty_roles_and_validation(self, desk: Desk) -> None:
        body = {"name": "N", "email": uniq("n"), "line": 1}
        assert (
            await desk.api.post("/api/v1/staff", json=body, headers=headers("agent"))
        ).status_code == 403
        assert (
            await desk.api.get("/api/v1/staff", headers=headers("customer", uuid.uuid4()))
        ).status_code == 403
        assert (await desk.api.post("/api/v1/staff", json=body)).status_code == 401
        for who in (headers("system"), headers("bot", uuid.uuid4())):  # the vendor's business
            assert (await desk.api.get("/api/v1/duty", headers=who)).status_code == 403
        assert (await desk.api.get("/api/v1/staff", headers=headers("agent"))).status_code == 200
        bad = await desk.api.post(
            "/api/v1/staff", json={**body, "line": 4}, headers=headers("manager")
        )
        assert bad.status_code == 422
        assert "line" in bad.text
        person = await staff(desk, line=3, role="engineer", duty=True)
        dup = await desk.api.post(
            "/api/v1/staff", json={**body, "email": person["email"]}, headers=headers("manager")
        )
        assert dup.status_code == 409
        patched = await desk.api.patch(
            f"/api/v1/staff/{person['id']}", json={"language": "en"}, headers=headers("manager")
        )
        assert patched.json()["language"] == "en"
        inverted = await desk.api.post(
            "/api/v1/duty",
            json={
                "staff_id": person["id"],
                "starts_at": START.isoformat(),
                "ends_at": START.isoformat(),
            },
            headers=headers("manager"),
        )
        assert inverted.status_code == 422
        on_duty = await desk.api.get(
            "/api/v1/duty",
            params={"line": 3, "at": (START + timedelta(hours=1)).isoformat()},
            headers=headers("agent"),
        )
        assert person["id"] in {d["staff_id"] for d in on_duty.json()}
        later = await desk.api.get(
            "/api/v1/duty",
            params={"line": 3, "at": (START + timedelta(days=3)).isoformat()},
            headers=headers("agent"),
        )
        assert person["id"] not in {d["staff_id"] for d in later.json()}


class TestTopicOrder:
    async def test_a_breach_read_before_its_ticket_still_escalates_once(self, desk: Desk) -> None:
        customer_id, _ = await customer_with_contract(desk)
        ticket_id = uuid.uuid4()
        late = TicketCreated(
            ticket_id=ticket_id,
            customer_id=customer_id,
            status="new",
            registration_number=f"TP-{ticket_id.hex[:6]}",
            severity="critical",
            tier="premium",
            channel="api",
            subject="Down",
            received_at=START,
        )
        alarm = TimerBreached(
            ticket_id=ticket_id,
            timer="response",
            due_at=DUE,
            state="running",
            customer_id=customer_id,
            tier="premium",
            severity="critical",
        )
        await desk.send(alarm, subject=ticket_id)  # tickets topic lags behind the sla topic
        await desk.send(late, subject=ticket_id)
        [raised] = await desk.outbox(ticket_id, "escalation.raised")
        assert (raised["tier"], raised["to_line"]) == ("premium", 2)
        [row] = await desk.rows(
            "SELECT registration_number, line FROM escalation.ticket WHERE ticket_id = :t",
            t=ticket_id,
        )
        assert (row.registration_number, row.line) == (late.registration_number, 2)

    async def test_a_tier_change_updates_tier_severity_and_schedule(self, desk: Desk) -> None:
        customer_id, _ = await customer_with_contract(desk)
        ticket_id = await open_ticket(desk, customer_id)
        await desk.send(
            TicketTierChanged(
                ticket_id=ticket_id,
                tier="standard",
                previous_tier="premium",
                severity="high",
                policy={"version": "t", "targets": {}, "schedules": {"standard": {"kind": "8x5"}}},
            ),
            subject=ticket_id,
        )
        [row] = await desk.rows(
            "SELECT tier, severity, schedule FROM escalation.ticket WHERE ticket_id = :t",
            t=ticket_id,
        )
        assert (row.tier, row.severity, row.schedule["kind"]) == ("standard", "high", "8x5")

    async def test_a_timer_event_carries_a_severity_change_to_the_ticket(self, desk: Desk) -> None:
        customer_id, _ = await customer_with_contract(desk)
        ticket_id = await open_ticket(desk, customer_id)
        await desk.send(
            TimerRecomputed(
                ticket_id=ticket_id,
                timer="resolution",
                due_at=DUE + timedelta(hours=4),
                previous_due_at=DUE,
                tier="premium",
                severity="high",
                state="running",
            ),
            subject=ticket_id,
        )
        [row] = await desk.rows(
            "SELECT t.severity, t.tier, m.due_at FROM escalation.ticket t "
            "JOIN escalation.timer m ON m.ticket_id = t.ticket_id AND m.timer = 'resolution' "
            "WHERE t.ticket_id = :t",
            t=ticket_id,
        )
        assert (row.severity, row.tier, row.due_at) == ("high", "premium", DUE + timedelta(hours=4))


class TestStaffAdminFlag:
    async def test_only_an_admin_marks_a_staff_member_admin(self, desk: Desk) -> None:
        body = {"name": "Root", "email": uniq("root"), "line": 1, "admin": True}

        by_manager = await desk.api.post("/api/v1/staff", json=body, headers=headers("manager"))
        by_admin = await desk.api.post("/api/v1/staff", json=body, headers=headers("admin"))
        plain = await staff(desk, line=1, role="engineer")
        raise_self = await desk.api.patch(
            f"/api/v1/staff/{plain['id']}", json={"admin": True}, headers=headers("manager")
        )
        lowered = await desk.api.patch(
            f"/api/v1/staff/{by_admin.json()['id']}",
            json={"admin": False},
            headers=headers("admin"),
        )

        assert by_manager.status_code == 403
        assert by_manager.json()["type"].endswith("admin-flag-by-admin")
        assert (by_admin.status_code, by_admin.json()["admin"]) == (201, True)
        assert plain["admin"] is False
        assert raise_self.status_code == 403
        assert (lowered.status_code, lowered.json()["admin"]) == (200, False)
