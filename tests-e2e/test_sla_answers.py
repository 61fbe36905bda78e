"""Every ticket event is answered on support.sla.v1 (architecture: "sla-clock answers each
ticket event"), so a consumer of the SLA topic alone knows each ticket's deadlines."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import SLA, TICKETS
from shared.testing.builders import act_as_customer, make_customer_contact, make_ticket, move
from shared.testing.observer import Seen, TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

MOVES_NO_TIMER = (
    "ticket.assigned",
    "ticket.commented",
    "ticket.escalated",
    "ticket.change_request_advanced",
)


EXPECTED_TICKET_EVENTS = Counter(
    {
        "ticket.created": 2,
        "ticket.status_changed": 3,
        "ticket.commented": 2,
        "ticket.assigned": 1,
        "ticket.escalated": 1,
        "ticket.severity_changed": 1,
        "ticket.change_request_advanced": 1,
    }
)


async def _walk_the_ticket(api: httpx.AsyncClient, tid: str, customer: dict[str, Any]) -> None:
    """Take, reassign, comment twice, escalate, change severity, resolve and reopen."""
    url = f"/api/v1/tickets/{tid}"
    calls = [
        await move(api, tid, "take", assignee="eng-1"),
        await api.post(f"{url}/assignment", json={"assignee": "eng-2"}),
        await api.post(f"{url}/comments", json={"body": "Logs attached", **customer}),
        await api.post(f"{url}/comments", json={"body": "Looking", "public": False}),
        await api.post(f"{url}/escalations", json={"line": 2}),
        await api.post(f"{url}/severity", json={"severity": "medium", **customer}),
        await move(api, tid, "resolve"),
        await move(api, tid, "reopen", **customer),
    ]
    assert [c.status_code for c in calls] == [200, 200, 201, 201, 200, 200, 200, 200], [
        c.text for c in calls if c.status_code >= 300
    ]


async def _estimate(api: httpx.AsyncClient, cr_id: str) -> None:
    r = await api.post(
        f"/api/v1/change-requests/{cr_id}/steps",
        json={
            "step": "estimate",
            "person_hours": "8",
            "work_plan": "patch",
            "cost": "1",
            "delivery_date": "2027-02-01",
        },
    )
    assert r.status_code == 200, r.text


async def _answers_to(observer: TopicObserver, events: list[Seen]) -> dict[str, list[Seen]]:
    """The SLA events caused by each ticket event, keyed ``type#id``."""
    answers: dict[str, list[Seen]] = {}
    for event in events:
        answers[event.type + "#" + event.value["id"]] = await observer.wait_for(
            lambda s, e=event: s.topic == SLA and s.value["causationid"] == e.value["id"],
            count=1,
            timeout=30,
        )
    return answers


def _assert_answered(answers: dict[str, list[Seen]]) -> None:
    for key, seen in answers.items():
        event_type = key.split("#")[0]
        if event_type in MOVES_NO_TIMER:
            assert sorted((s.type, s.data["timer"]) for s in seen) == [
                ("sla.timer.unchanged", "resolution"),
                ("sla.timer.unchanged", "response"),
            ], key
            assert all(s.data["cause"] == event_type for s in seen)
            running = [s for s in seen if s.data["state"] == "running"]
            assert all(s.data["due_at"] for s in running), key
        else:
            assert all(s.type != "sla.timer.unchanged" for s in seen), key


class TestEveryTicketEventIsAnswered:
    async def test_each_ticket_event_gets_its_timer_events_or_unchanged(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "extended")
        customer = {"actor": act_as_customer(contact["email"])}
        async with TopicObserver(stack.bootstrap, [TICKETS, SLA]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="high")
            tid = ticket["id"]
            await _walk_the_ticket(api, tid, customer)
            cr = await make_ticket(api, contact["email"], type="change_request", subject="Patch")
            await _estimate(api, cr["id"])

            def ticket_event(s: Seen) -> bool:
                return s.topic == TICKETS and s.subject in (tid, cr["id"])

            events = await observer.wait_for(ticket_event, count=11, timeout=30)
            answers = await _answers_to(observer, events)

        assert Counter(e.type for e in events) == EXPECTED_TICKET_EVENTS
        _assert_answered(answers)
