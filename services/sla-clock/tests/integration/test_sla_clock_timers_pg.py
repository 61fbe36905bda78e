"""sla-clock against PostgreSQL: ticket events in, timers, alarms and timer events out."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from shared.auth import Role
from shared.clock import FrozenClock
from shared.events.base import Envelope
from shared.events.tickets import TicketCreated
from shared.testing.auth import principal_headers
from shared.testing.builders import policy_document
from sla_clock.domain.clock import TicketClock, timer_id_for
from sla_clock.domain.timers import fold
from sla_clock.service import rebuild_ticket

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

T0 = datetime(2031, 6, 1, 3, 0, tzinfo=UTC)  # a Sunday; premium runs 24x7
H = timedelta(hours=1)
M = timedelta(minutes=1)


def _types(events: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return [(t, d["timer"]) for t, d in events]


class TestTicketEventsAnsweredWithTimerEvents:
    async def test_registration_schedules_two_timers_with_warnings_and_alarms(self, desk) -> None:
        ticket_id, created = await desk.created(at=T0)

        events = await desk.events(ticket_id)
        assert _types(events) == [
            ("sla.timer.scheduled", "response"),
            ("sla.timer.scheduled", "resolution"),
        ]
        response = events[0][1]
        assert response["timer_id"] == str(timer_id_for(ticket_id, "response"))
        assert response["target"] == "20min"
        assert datetime.fromisoformat(response["due_at"]) == T0 + 20 * M
        assert [datetime.fromisoformat(w) for w in response["warning_at"]] == [
            T0 + 10 * M,
            T0 + 15 * M,
            T0 + 18 * M,
        ]
        alarms = await desk.alarms(ticket_id)
        assert len(alarms) == 8  # 3 warnings + 1 breach per timer
        assert {(a.timer, a.kind, a.percent) for a in alarms} >= {
            ("response", "breach", 100),
            ("resolution", "warning", 50),
        }
        # The envelope chain: every timer event was caused by the ticket event.
        rows = await desk.rows(
            "SELECT payload FROM sla_clock.outbox WHERE key = :k", k=str(ticket_id)
        )
        assert {r.payload["causationid"] for r in rows} == {str(created.id)}

    async def test_the_warnings_are_the_ones_the_tickets_policy_names(self, desk) -> None:
        policy = policy_document(
            version="warn-once",
            schedules={"premium": "24x7"},
            targets={"premium": {"critical": ("1h", "10h")}},
            warning_percents=[80],
        )
        ticket_id, _ = await desk.created(at=T0, policy=policy)

        response = (await desk.events(ticket_id))[0][1]
        assert [datetime.fromisoformat(w) for w in response["warning_at"]] == [T0 + 48 * M]
        alarms = await desk.alarms(ticket_id)
        assert sorted((a.timer, a.kind, a.percent) for a in alarms) == [
            ("resolution", "breach", 100),
            ("resolution", "warning", 80),
            ("response", "breach", 100),
            ("response", "warning", 80),
        ]

    async def test_a_ticket_created_without_a_policy_is_refused_for_the_dead_letters(
        self, desk
    ) -> None:
        # Intake always sends the policy entitlement gave it; without one the clock has no
        # targets. The handler refuses the payload (a ValidationError naming the field),
        # which the consumer dead-letters at once instead of retrying.
        ticket_id = uuid.uuid4()
        bare = TicketCreated(
            ticket_id=ticket_id,
            registration_number="TP-none",
            severity="high",
            tier="premium",
            channel="api",
            subject="no policy",
            received_at=T0,
        )
        with pytest.raises(ValidationError, match="policy"):
            await desk.deliver(Envelope.wrap(bare, source="intake", subject=str(ticket_id)))
        assert (
            await desk.rows(
                "SELECT 1 FROM sla_clock.ticket_event WHERE ticket_id = :t", t=ticket_id
            )
            == []
        )

    async def test_a_redelivered_event_has_no_second_effect(self, desk) -> None:
        ticket_id, created = await desk.created(at=T0)
        await desk.deliver(created)
        assert len(await desk.events(ticket_id)) == 2
        assert len(await desk.alarms(ticket_id)) == 8

    async def test_pause_removes_alarms_and_resume_reschedules_them(self, desk) -> None:
        ticket_id, _ = await desk.created(at=T0)
        await desk.move(ticket_id, "new", "in_progress", T0 + 5 * M)
        after_take = await desk.alarms(ticket_id)
        assert {a.timer for a in after_take} == {"resolution"}  # response met: cancelled

        await desk.move(ticket_id, "in_progress", "waiting_customer", T0 + H)
        assert await desk.alarms(ticket_id) == []

        await desk.move(ticket_id, "waiting_customer", "in_progress", T0 + 2 * H)
        resumed = await desk.alarms(ticket_id)
        breach = next(a for a in resumed if a.kind == "breach")
        assert breach.fire_at == T0 + 4 * H  # 3 h + the hour paused
        assert _types(await desk.events(ticket_id))[2:] == [
            ("sla.timer.met", "response"),
            ("sla.timer.paused", "resolution"),
            ("sla.timer.resumed", "resolution"),
        ]
        resumed_event = (await desk.events(ticket_id))[-1][1]
        assert resumed_event["paused_seconds"] == 3600
        assert datetime.fromisoformat(resumed_event["due_at"]) == T0 + 4 * H

    async def test_corrective_action_meets_and_cancels(self, desk) -> None:
        ticket_id, _ = await desk.created(at=T0)
        await desk.move(ticket_id, "new", "in_progress", T0 + 5 * M)
        await desk.corrective(ticket_id, "solution", T0 + H)
        assert await desk.alarms(ticket_id) == []
        kind, met = (await desk.events(ticket_id))[-1]
        assert kind == "sla.timer.met"
        assert met["on_time"] is True
        assert met["working_seconds"] == 3600

    async def test_severity_change_recomputes_and_moves_alarms(self, desk) -> None:
        ticket_id, _ = await desk.created(at=T0, severity="medium")  # 2 h / 32 h
        await desk.severity(ticket_id, "critical", T0 + 5 * M)
        events = await desk.events(ticket_id)
        assert _types(events)[2:] == [
            ("sla.timer.recomputed", "response"),
            ("sla.timer.recomputed", "resolution"),
        ]
        assert datetime.fromisoformat(events[2][1]["previous_due_at"]) == T0 + 2 * H
        assert datetime.fromisoformat(events[2][1]["due_at"]) == T0 + 20 * M
        breaches = {a.timer: a.fire_at for a in await desk.alarms(ticket_id) if a.kind == "breach"}
        assert breaches == {"response": T0 + 20 * M, "resolution": T0 + 3 * H}

    async def test_hardware_fault_stops_and_closing_stops(self, desk) -> None:
        ticket_id, _ = await desk.created(at=T0, severity="high")
        await desk.hardware(ticket_id, T0 + M)
        assert await desk.alarms(ticket_id) == []
        stopped = [d for t, d in await desk.events(ticket_id) if t == "sla.timer.stopped"]
        assert [d["reason"] for d in stopped] == ["hardware_fault: PSU"] * 2


class TestEveryTicketEventIsAnswered:
    @pytest.mark.parametrize(
        ("event_type", "data"),
        [
            ("ticket.assigned", {"assignee": "eng-2", "previous_assignee": "eng-1"}),
            ("ticket.commented", {"comment_id": str(uuid.uuid4()), "public": True}),
            ("ticket.escalated", {"line": 2, "previous_line": 1}),
            (
                "ticket.change_request_advanced",
                {"step": "estimate", "cr_status": "estimated", "previous_cr_status": "submitted"},
            ),
            ("ticket.hardware_fault_cleared", {}),  # not known to this build
        ],
    )
    async def test_an_event_that_moves_no_timer_is_answered_once_with_the_deadlines(
        self, desk, event_type: str, data: dict[str, Any]
    ) -> None:
        ticket_id, _ = await desk.created(at=T0)
        await desk.move(ticket_id, "new", "in_progress", T0 + 5 * M)
        alarms_before = await desk.alarms(ticket_id)
        event = Envelope(
            type=event_type,
            source="intake",
            subject=str(ticket_id),
            data={"ticket_id": str(ticket_id), "occurred_at": (T0 + H).isoformat(), **data},
        )
        assert event_type in desk.handlers or event_type == "ticket.hardware_fault_cleared"
        [handler] = desk.handlers[event_type]
        assert handler is desk.handler
        await desk.deliver(event)
        await desk.deliver(event)  # redelivered: no second answer

        rows = await desk.rows(
            "SELECT event_type, payload FROM sla_clock.outbox WHERE key = :k AND "
            "payload->>'causationid' = :c ORDER BY seq",
            k=str(ticket_id),
            c=str(event.id),
        )
        answers = [(r.event_type, r.payload["data"]) for r in rows]
        assert _types(answers) == [
            ("sla.timer.unchanged", "response"),
            ("sla.timer.unchanged", "resolution"),
        ]
        response, resolution = (d for _, d in answers)
        due = {d["timer"]: datetime.fromisoformat(d["due_at"]) for d in (response, resolution)}
        assert due == {"response": T0 + 20 * M, "resolution": T0 + 3 * H}
        assert (response["state"], resolution["state"]) == ("met", "running")
        assert resolution["cause"] == event_type
        assert len(resolution["warning_at"]) == 3
        [stored] = await desk.rows(
            "SELECT data FROM sla_clock.ticket_event WHERE event_id = :e", e=event.id
        )
        # The history keeps what every ticket event carries, not the event's own fields.
        assert set(stored.data) == {"ticket_id", "customer_id", "status", "occurred_at"}
        assert await desk.alarms(ticket_id) == alarms_before


class TestRebuild:
    async def _story(self, desk) -> uuid.UUID:
        ticket_id, _ = await desk.created(at=T0, severity="high")
        await desk.move(ticket_id, "new", "in_progress", T0 + 10 * M)
        await desk.move(ticket_id, "in_progress", "waiting_customer", T0 + H)
        await desk.move(ticket_id, "waiting_customer", "in_progress", T0 + 2 * H)
        await desk.severity(ticket_id, "critical", T0 + 2 * H + M)
        await desk.move(ticket_id, "in_progress", "resolved", T0 + 3 * H)
        await desk.move(ticket_id, "resolved", "in_progress", T0 + 5 * H)
        return ticket_id

    async def test_the_rebuild_from_history_equals_the_live_state(self, desk, sla_app) -> None:
        ticket_id = await self._story(desk)
        async with desk.uow() as uow:
            live = await uow.sla.snapshot(ticket_id)
            history = await uow.sla.history(ticket_id)
        assert live is not None
        assert len(history) == 7
        rebuilt = fold(fact for _, fact in history)
        assert rebuilt is not None
        assert rebuilt.to_dict() == live.clock.to_dict()
        # 3 h target + 1 h waiting + 2 h resolved-then-reopened.
        assert rebuilt.resolution.due_at == T0 + 6 * H

        alarms_before = [(a.kind, a.percent, a.fire_at) for a in await desk.alarms(ticket_id)]
        events_before = len(await desk.events(ticket_id))
        async with sla_app() as (client, _):
            r = await client.post(f"/api/v1/sla/tickets/{ticket_id}/rebuild")
        assert r.status_code == 200, r.text
        assert r.json()["changed"] is False
        assert r.json()["events"] == 7
        assert [
            (a.kind, a.percent, a.fire_at) for a in await desk.alarms(ticket_id)
        ] == alarms_before
        assert len(await desk.events(ticket_id)) == events_before

    async def test_a_rebuild_repairs_a_wrong_live_state_and_announces_it(
        self, desk, sla_app
    ) -> None:
        ticket_id = await self._story(desk)
        # Pretend an older engine had stored a wrong deadline.
        async with desk.uow() as uow:
            snapshot = await uow.sla.snapshot(ticket_id)
            assert snapshot is not None
            broken = snapshot.clock.to_dict()
            broken["resolution"]["due_at"] = (T0 + 9 * H).isoformat()
            await uow.sla.store(
                TicketClock.from_dict(broken), last_seq=snapshot.last_seq, plans=[], events=[]
            )
            await uow.commit()

        async with sla_app() as (client, _):
            r = await client.post(f"/api/v1/sla/tickets/{ticket_id}/rebuild")
        assert r.json()["changed"] is True
        assert datetime.fromisoformat(r.json()["after"]["resolution"]["due_at"]) == T0 + 6 * H
        kind, data = (await desk.events(ticket_id))[-1]
        assert (kind, data["reason"]) == ("sla.timer.recomputed", "rebuild")
        assert datetime.fromisoformat(data["previous_due_at"]) == T0 + 9 * H

    async def test_a_replay_over_open_tickets_repairs_them_and_leaves_closed_ones(
        self, desk, sla_app
    ) -> None:
        open_id = await self._story(desk)
        closed_id, _ = await desk.created(at=T0)
        await desk.move(closed_id, "new", "closed", T0 + H)

        async def break_deadline(ticket_id: uuid.UUID) -> None:
            async with desk.uow() as uow:
                snapshot = await uow.sla.snapshot(ticket_id)
                assert snapshot is not None
                broken = snapshot.clock.to_dict()
                broken["resolution"]["due_at"] = (T0 + 9 * H).isoformat()
                await uow.sla.store(
                    TicketClock.from_dict(broken), last_seq=snapshot.last_seq, plans=[], events=[]
                )
                await uow.commit()

        await break_deadline(open_id)
        await break_deadline(closed_id)

        async with sla_app() as (client, _):
            r = await client.post("/api/v1/sla/rebuild")

        assert r.status_code == 200
        assert str(open_id) in r.json()["changed"]
        assert str(closed_id) not in r.json()["changed"]
        kind, data = (await desk.events(open_id))[-1]
        assert (kind, data["reason"]) == ("sla.timer.recomputed", "rebuild")

    async def test_rebuilding_an_unknown_ticket_is_404(self, sla_app) -> None:
        async with sla_app() as (client, _):
            r = await client.post(f"/api/v1/sla/tickets/{uuid.uuid4()}/rebuild")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")


class TestTicketSlaView:
    async def test_shows_state_due_used_left_pauses_and_events(self, desk, sla_app) -> None:
        ticket_id, _ = await desk.created(at=T0)
        await desk.move(ticket_id, "new", "in_progress", T0 + 5 * M)
        await desk.move(ticket_id, "in_progress", "waiting_customer", T0 + H)
        await desk.move(ticket_id, "waiting_customer", "in_progress", T0 + 90 * M)

        async with sla_app(clock=FrozenClock(T0 + 2 * H)) as (client, _):
            r = await client.get(f"/api/v1/tickets/{ticket_id}/sla")
        assert r.status_code == 200, r.text
        body = r.json()
        response, resolution = body["timers"]
        assert (response["timer"], response["state"], response["outcome"]) == (
            "response",
            "met",
            "met",
        )
        assert response["working_time_used_seconds"] == 300
        assert resolution["state"] == "running"
        assert resolution["working_time_used_seconds"] == 90 * 60  # 2 h minus 30 min paused
        assert resolution["working_time_left_seconds"] == 90 * 60
        assert datetime.fromisoformat(resolution["due_at"]) == T0 + 3 * H + 30 * M
        assert resolution["paused"][0]["reason"] == "waiting_customer"
        assert [a["percent"] for a in resolution["alarms"]] == [50, 75, 90, 100]
        assert [e["type"] for e in body["events"]] == [
            "ticket.created",
            "ticket.status_changed",
            "ticket.status_changed",
            "ticket.status_changed",
        ]

    async def test_unknown_ticket_is_a_404_problem(self, sla_app) -> None:
        async with sla_app() as (client, _):
            r = await client.get(f"/api/v1/tickets/{uuid.uuid4()}/sla")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "ticket" in r.json()["detail"]

    async def test_a_customer_sees_only_its_own_tickets(self, desk, sla_app) -> None:
        ticket_id, _ = await desk.created(at=T0)
        async with sla_app() as (client, _):
            r = await client.get(
                f"/api/v1/tickets/{ticket_id}/sla",
                headers=principal_headers(Role.customer, uuid.uuid4()),
            )
        assert r.status_code == 404

    async def test_only_the_gateway_is_answered(self, sla_app) -> None:
        async with sla_app() as (client, _):
            r = await client.get("/api/v1/sla/report", headers={"x-internal-token": "guess"})
            spec = await client.get("/openapi.json", headers={"x-internal-token": ""})
            live = await client.get("/health/live", headers={"x-internal-token": ""})
        assert (r.status_code, spec.status_code, live.status_code) == (401, 401, 200)
        assert r.json()["type"].endswith("/not-through-gateway")

    async def test_rebuilding_every_ticket_is_for_managers(self, sla_app) -> None:
        async with sla_app() as (client, _):
            agent = await client.post("/api/v1/sla/rebuild", headers=principal_headers(Role.agent))
        assert agent.status_code == 403
        assert "manager" in agent.json()["allowed_roles"]


class TestReport:
    async def test_compliance_per_tier_and_severity_as_json_and_csv(self, desk, sla_app) -> None:
        customer = uuid.uuid4()
        start = datetime(2032, 1, 4, 0, 0, tzinfo=UTC)
        # Three premium/critical tickets: responses at 10, 15 (met) and 40 min (breached).
        for minutes in (10, 15, 40):
            ticket_id, _ = await desk.created(at=start, customer_id=customer)
            await desk.move(ticket_id, "new", "in_progress", start + minutes * M)
            await desk.move(ticket_id, "in_progress", "resolved", start + 2 * H)
        # One premium/high ticket still open past its 30 min response target.
        await desk.created(at=start, severity="high", customer_id=customer)
        # Another customer's ticket is filtered out.
        await desk.created(at=start)

        params = {
            "from": start.isoformat(),
            "to": (start + 24 * H).isoformat(),
            "customer": str(customer),
        }
        async with sla_app(clock=FrozenClock(start + 3 * H)) as (client, _):
            r = await client.get("/api/v1/sla/report", params=params)
            r_csv = await client.get(
                "/api/v1/sla/report", params=params, headers={"Accept": "text/csv"}
            )
            r_fmt = await client.get("/api/v1/sla/report", params={**params, "format": "csv"})
            r_bad = await client.get(
                "/api/v1/sla/report", params={"from": start.isoformat(), "to": start.isoformat()}
            )
        assert r.status_code == 200, r.text
        groups = {(g["tier"], g["severity"]): g for g in r.json()["groups"]}
        assert set(groups) == {("premium", "critical"), ("premium", "high")}
        critical = groups[("premium", "critical")]
        assert critical["tickets"] == 3
        assert critical["response"]["met"] == 2
        assert critical["response"]["breached"] == 1
        assert critical["response"]["compliance_percent"] == pytest.approx(66.67)
        assert critical["response"]["median_working_seconds"] == 15 * 60
        assert critical["response"]["p90_working_seconds"] == 40 * 60
        assert critical["resolution"]["met"] == 3
        assert critical["resolution"]["median_working_seconds"] == 2 * 3600
        high = groups[("premium", "high")]
        assert high["response"]["breached"] == 1
        assert high["response"]["compliance_percent"] == 0

        assert r_csv.status_code == 200
        assert r_csv.headers["content-type"].startswith("text/csv")
        assert r_fmt.text == r_csv.text
        rows = list(csv.DictReader(io.StringIO(r_csv.text)))
        by_key = {(row["tier"], row["severity"]): row for row in rows}
        assert by_key[("premium", "critical")]["response_breached"] == "1"
        assert by_key[("premium", "critical")]["response_p90_working_seconds"] == "2400.0"

        assert r_bad.status_code == 422
        assert r_bad.json()["field"] == "to"


class TestExcludedInReport:
    async def test_excluded_closures_are_counted_apart_in_json_and_csv(self, desk, sla_app) -> None:
        customer = uuid.uuid4()
        start = datetime(2033, 1, 4, 0, 0, tzinfo=UTC)  # premium runs 24x7
        # One premium/critical ticket met on time ...
        met_id, _ = await desk.created(at=start, customer_id=customer)
        await desk.move(met_id, "new", "in_progress", start + 10 * M)
        await desk.corrective(met_id, "solution", start + 2 * H)
        # ... and one closed as not reproducible 6 h in, past both targets.
        gone_id, _ = await desk.created(at=start, customer_id=customer)
        await desk.move(gone_id, "new", "in_progress", start + 40 * M)  # response late
        await desk.move(
            gone_id, "in_progress", "closed_not_reproducible", start + 6 * H, "no remote access"
        )
        stopped = [d for t, d in await desk.events(gone_id) if t == "sla.timer.stopped"]
        # Every timer ends excluded on the topic, the met response too (issue 23).
        assert [(d["timer"], d["outcome"]) for d in stopped] == [
            ("response", "excluded"),
            ("resolution", "excluded"),
        ]

        params = {"from": start.isoformat(), "to": (start + 24 * H).isoformat()}
        params["customer"] = str(customer)
        async with sla_app(clock=FrozenClock(start + 8 * H)) as (client, _):
            r = await client.get("/api/v1/sla/report", params=params)
            r_csv = await client.get("/api/v1/sla/report", params={**params, "format": "csv"})
            view = await client.get(f"/api/v1/tickets/{gone_id}/sla")
        [group] = r.json()["groups"]
        assert group["tickets"] == 2
        for kind in ("response", "resolution"):
            assert (group[kind]["met"], group[kind]["breached"]) == (1, 0)
            assert group[kind]["excluded"] == 1
            assert group[kind]["compliance_percent"] == 100
        [row] = list(csv.DictReader(io.StringIO(r_csv.text)))
        assert (row["response_excluded"], row["resolution_excluded"]) == ("1", "1")
        assert (row["resolution_breached"], row["resolution_compliance_percent"]) == ("0", "100.0")
        body = view.json()
        assert body["excluded_reason"] == "closed_not_reproducible: no remote access"
        assert [t["outcome"] for t in body["timers"]] == ["excluded", "excluded"]


class TestAlarmsOfAMovedDeadline:
    async def test_a_deadline_moved_after_its_breach_gets_a_breach_of_its_own(self, desk) -> None:
        from sla_clock.scheduler import AlarmScheduler

        base = datetime(2044, 2, 7, 10, 0, tzinfo=UTC)  # premium runs 24x7
        ticket_id, _ = await desk.created(at=base, severity="critical")  # response 20 min
        clock = FrozenClock(base + 21 * M)
        scheduler = AlarmScheduler(uow_factory=desk.uow, clock=clock)
        while await scheduler.fire_due():
            pass
        # Lowered to medium (response 2 h) while the response clock still runs.
        await desk.severity(ticket_id, "medium", base + 25 * M)
        clock.set(base + 130 * M)
        while await scheduler.fire_due():
            pass

        fired = [
            (data["timer"], kind, data.get("percent"), datetime.fromisoformat(data["due_at"]))
            for kind, data in await desk.events(ticket_id)
            if kind in ("sla.timer.warning", "sla.timer.breached") and data["timer"] == "response"
        ]
        old_due, new_due = base + 20 * M, base + 2 * H
        assert fired == [
            ("response", "sla.timer.warning", 50, old_due),
            ("response", "sla.timer.warning", 75, old_due),
            ("response", "sla.timer.warning", 90, old_due),
            ("response", "sla.timer.breached", None, old_due),
            ("response", "sla.timer.warning", 50, new_due),
            ("response", "sla.timer.warning", 75, new_due),
            ("response", "sla.timer.warning", 90, new_due),
            ("response", "sla.timer.breached", None, new_due),
        ]

    async def test_a_breach_already_fired_does_not_fire_again_for_a_passed_deadline(
        self, desk
    ) -> None:
        from sla_clock.scheduler import AlarmScheduler

        base = datetime(2044, 3, 6, 10, 0, tzinfo=UTC)
        ticket_id, _ = await desk.created(at=base, severity="high")  # response 30 min
        clock = FrozenClock(base + 40 * M)
        scheduler = AlarmScheduler(uow_factory=desk.uow, clock=clock)
        while await scheduler.fire_due():
            pass
        # Raised to critical (20 min): the new deadline passed long ago, already breached.
        await desk.severity(ticket_id, "critical", base + 45 * M)
        clock.set(base + 50 * M)
        while await scheduler.fire_due():
            pass

        breaches = [
            data
            for kind, data in await desk.events(ticket_id)
            if kind == "sla.timer.breached" and data["timer"] == "response"
        ]
        assert len(breaches) == 1


class TestExcludedClosingOnTheTopic:
    @pytest.mark.parametrize(
        "status", ["closed_not_reproducible", "closed_not_product_issue", "rejected_out_of_scope"]
    )
    async def test_each_timer_ends_excluded_exactly_once(self, desk, status: str) -> None:
        start = datetime(2033, 2, 1, 0, 0, tzinfo=UTC)
        ticket_id, _ = await desk.created(at=start)
        await desk.move(ticket_id, "new", "in_progress", start + 10 * M)  # response met
        closing = await desk.move(ticket_id, "in_progress", status, start + 2 * H, "detail")
        await desk.deliver(closing)  # redelivered: the history absorbs it
        async with desk.uow() as uow:  # a re-fold must not announce it again
            rebuilt = await rebuild_ticket(uow, ticket_id)
            await uow.commit()
        assert rebuilt.changed is False
        events = await desk.events(ticket_id)
        for timer in ("response", "resolution"):
            mine = [(t, d) for t, d in events if d["timer"] == timer]
            last_type, last = mine[-1]
            assert (last_type, last["outcome"]) == ("sla.timer.stopped", "excluded")
            assert last["reason"] == f"{status}: detail"
            assert [t for t, _ in mine].count("sla.timer.stopped") == 1
        response_types = [t for t, d in events if d["timer"] == "response"]
        assert response_types == ["sla.timer.scheduled", "sla.timer.met", "sla.timer.stopped"]
        assert await desk.alarms(ticket_id) == []  # nothing left to fire
