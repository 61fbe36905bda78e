"""One incident from first contact to auto-close, with its ticket events and its timer events.

Intake is restarted for this module with a short agreed time (``INTAKE_AUTO_CLOSE_AFTER_SECONDS``),
so the durable auto-close job fires within the test; the module restores the default after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deskstack.stack import RunningStack
from shared.events.topics import SLA, TICKETS
from shared.testing.builders import make_customer_contact, make_ticket, move
from shared.testing.observer import Seen, TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]
AGREED_SECONDS = 3


def _restart_intake(stack: RunningStack, env: dict[str, str] | None) -> None:
    if env is None:
        stack.extra_env.pop("intake", None)
    else:
        stack.extra_env["intake"] = env
    stack.stop("intake")
    stack.start("intake")
    # Serving HTTP is enough here: the walk reads timer events from the topic, and the
    # consumer (intake's SLA read model) joins its group in the background (~10 s on Tansu).
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{stack.url('intake')}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(stack.log_tail("intake"))
        time.sleep(0.1)


@pytest.fixture(scope="module")
def quick_close(stack: RunningStack) -> Iterator[RunningStack]:
    _restart_intake(
        stack,
        {
            "INTAKE_AUTO_CLOSE_AFTER_SECONDS": str(AGREED_SECONDS),
            "INTAKE_AUTO_CLOSE_POLL_SECONDS": "0.2",
        },
    )
    try:
        yield stack
    finally:
        _restart_intake(stack, None)


@pytest_asyncio.fixture(loop_scope="session")
async def observer(quick_close: RunningStack) -> AsyncIterator[TopicObserver]:
    async with TopicObserver(quick_close.bootstrap, [TICKETS, SLA]) as obs:
        yield obs


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def ok(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code in (200, 201), r.text
    body: dict[str, Any] = r.json()
    return body


def _of(tid: str, event_type: str) -> Any:
    return lambda s: s.subject == tid and s.type == event_type


async def _walk_to_resolved(api: httpx.AsyncClient, observer: TopicObserver, tid: str) -> None:
    """Take, wait for the customer about a second, resume, record a workaround, resolve."""
    await ok(await move(api, tid, "take", assignee="eng-walk"))
    await observer.wait_for(_of(tid, "sla.timer.met"))  # response met when taken into work
    await ok(await move(api, tid, "wait_for_customer", reason="need the log"))
    await observer.wait_for(_of(tid, "sla.timer.paused"))
    await asyncio.sleep(1.0)  # the customer takes a moment to answer
    await ok(await move(api, tid, "resume"))
    await ok(
        await api.post(
            f"/api/v1/tickets/{tid}/corrective-actions",
            json={"kind": "workaround", "summary": "Post in two batches"},
        )
    )
    resolved = await ok(await move(api, tid, "resolve"))
    assert resolved["auto_close_at"] is not None


async def _assert_auto_closed(
    api: httpx.AsyncClient, observer: TopicObserver, tid: str
) -> list[Seen]:
    """Check the close and the ticket's whole event history; return its ticket events."""
    closed_events = await observer.wait_for(
        lambda s: _of(tid, "ticket.status_changed")(s) and s.data["to_status"] == "closed",
        timeout=AGREED_SECONDS + 15,
    )
    final = await ok(await api.get(f"/api/v1/tickets/{tid}"))
    assert (final["status"], final["status_reason"]) == ("closed", "no_objection")
    assert closed_events[0].data["reason"] == "no_objection"
    assert closed_events[0].data["action"] == "auto_close"

    ticket_events = [s for s in observer.seen if s.topic == TICKETS and s.subject == tid]
    assert [(s.type, s.data.get("to_status") or s.data.get("kind")) for s in ticket_events] == [
        ("ticket.created", None),
        ("ticket.status_changed", "in_progress"),
        ("ticket.status_changed", "waiting_customer"),
        ("ticket.status_changed", "in_progress"),
        ("ticket.corrective_action_recorded", "workaround"),
        ("ticket.status_changed", "resolved"),
        ("ticket.status_changed", "closed"),
    ]
    assert [s.value["sequence"] for s in ticket_events] == list(range(1, 8))
    assert all(s.key == tid and s.data["status"] and s.data["occurred_at"] for s in ticket_events)
    return ticket_events


async def _assert_timer_events(
    observer: TopicObserver, tid: str, ticket_events: list[Seen]
) -> None:
    """The timer events sla-clock answered with: the pause shifts the resolution
    deadline by exactly the waiting time."""

    def resolution(event_type: str) -> list[Seen]:
        return observer.matching(
            lambda s: _of(tid, event_type)(s) and s.data["timer"] == "resolution"
        )

    await observer.wait_for(
        lambda s: _of(tid, "sla.timer.met")(s) and s.data["timer"] == "resolution"
    )
    [scheduled] = resolution("sla.timer.scheduled")
    [paused] = resolution("sla.timer.paused")
    [resumed] = resolution("sla.timer.resumed")
    waited = at(resumed.data["resumed_at"]) - at(paused.data["paused_at"])
    assert waited.total_seconds() >= 1.0
    assert at(resumed.data["due_at"]) - at(scheduled.data["due_at"]) == waited
    assert at(paused.data["paused_at"]) == at(ticket_events[2].data["occurred_at"])
    assert at(resumed.data["resumed_at"]) == at(ticket_events[3].data["occurred_at"])
    [met] = resolution("sla.timer.met")
    assert at(met.data["met_at"]) == at(ticket_events[4].data["occurred_at"])
    response_met = observer.matching(
        lambda s: _of(tid, "sla.timer.met")(s) and s.data["timer"] == "response"
    )
    assert at(response_met[0].data["met_at"]) == at(ticket_events[1].data["occurred_at"])


class TestIncidentWalk:
    async def test_new_to_auto_closed_with_ticket_and_timer_events(
        self, api: httpx.AsyncClient, observer: TopicObserver
    ) -> None:
        # premium runs 24x7, so a pause shifts the deadline by exactly its wall time.
        _, contact = await make_customer_contact(api, "premium")
        ticket = await make_ticket(api, contact["email"], severity="high", subject="Posting fails")
        tid = ticket["id"]

        await _walk_to_resolved(api, observer, tid)

        ticket_events = await _assert_auto_closed(api, observer, tid)
        await _assert_timer_events(observer, tid, ticket_events)

    async def test_an_objection_reopens_and_cancels_the_auto_close(
        self, api: httpx.AsyncClient, observer: TopicObserver
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        ticket = await make_ticket(api, contact["email"])
        await ok(await move(api, ticket["id"], "take", assignee="eng-walk"))
        await ok(await move(api, ticket["id"], "resolve"))
        reopened = await ok(
            await move(
                api,
                ticket["id"],
                "reopen",
                actor={"kind": "customer", "contact_email": contact["email"]},
            )
        )
        assert (reopened["status"], reopened["auto_close_at"]) == ("in_progress", None)
        await asyncio.sleep(AGREED_SECONDS + 1.0)  # past the agreed time: nothing may close it
        still = await ok(await api.get(f"/api/v1/tickets/{ticket['id']}"))
        assert still["status"] == "in_progress"
