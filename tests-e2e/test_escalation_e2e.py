"""Escalation end to end: a breach nobody acts on moves the ticket and calls the right people.

A premium customer whose contract carries a tiny 24x7 policy (a response target of
seconds) and its own escalation policy (call the engineer on duty always, so the test
does not depend on the hour), dedicated engineer and manager with addresses, an
engineer on duty for line 2 and line 2's lead. The escalation service is stopped
before the breach and restarted twice, and the breach is replayed: exactly one
``escalation.raised`` all the same.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer

from deskstack.stack import RunningStack
from shared.events.base import Envelope
from shared.events.topics import ESCALATIONS, SLA, TICKETS
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.observer import Seen, TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

RESPONSE_TARGET = "6s"  # room to take the second ticket in time on a loaded machine
ESCALATION_POLICY = {
    "version": "e2e-tiny-24x7",
    "entries": [
        {
            "tiers": ["premium"],
            "severities": ["critical"],
            "on_duty": "always",
            "assign_on_duty": True,
            "rules": [
                {
                    "timer": "response",
                    "trigger": "breach",
                    "next_line": True,
                    "notify": ["line_lead", "assignee"],
                }
            ],
        }
    ],
}


@dataclass
class Scenario:
    """What the breach scenario did and saw (shared by the event and the email test)."""

    breached: dict[str, Any]
    taken: dict[str, Any]
    lead: dict[str, Any]
    on_duty: dict[str, Any]
    seen: list[Seen]


def _email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@vendor.example"


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _people(api: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    lead = await _ok(
        await api.post(
            "/api/v1/staff",
            json={"name": "Line 2 Lead", "email": _email("lead"), "line": 2, "role": "lead"},
        ),
        201,
    )
    engineer = await _ok(
        await api.post(
            "/api/v1/staff",
            json={"name": "Duty Engineer", "email": _email("duty"), "line": 2, "language": "en"},
        ),
        201,
    )
    now = datetime.now(UTC)
    await _ok(
        await api.post(
            "/api/v1/duty",
            json={
                "staff_id": engineer["id"],
                "starts_at": (now - timedelta(hours=1)).isoformat(),
                "ends_at": (now + timedelta(hours=12)).isoformat(),
            },
        ),
        201,
    )
    return lead, engineer


async def _premium_contact(api: httpx.AsyncClient) -> dict[str, Any]:
    customer = await make_customer(api, trained_specialists=1)
    today = datetime.now(UTC).date()
    await _ok(
        await api.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={
                "tier": "premium",
                "starts_on": (today - timedelta(days=1)).isoformat(),
                "ends_on": (today + timedelta(days=365)).isoformat(),
                "dedicated_engineer": {"name": "Anna Volkova", "email": _email("deng")},
                "dedicated_manager": {"name": "Mark Sokolov", "email": _email("dman")},
                "policy": {
                    "schedule": {"kind": "24x7"},
                    "targets": {"critical": {"response": RESPONSE_TARGET, "resolution": "1h"}},
                },
                "escalation_policy": ESCALATION_POLICY,
            },
        ),
        201,
    )
    return await make_contact(api, customer["id"])


async def _replay(stack: RunningStack, breach: Seen) -> None:
    """Send the breach again as it was (redelivery) and as a new event (replay)."""
    again = Envelope.model_validate(breach.value)
    copy = again.model_copy(update={"id": uuid.uuid4()})
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap)
    await producer.start()
    try:
        for envelope in (again, copy):
            await producer.send_and_wait(
                SLA, envelope.model_dump_json().encode(), key=breach.subject.encode()
            )
    finally:
        await producer.stop()


async def _restart_escalation(stack: RunningStack) -> None:
    stack.stop("escalation")
    stack.start("escalation")
    await asyncio.to_thread(stack.wait_ready, ["escalation"], timeout=60)


def _of(ticket: dict[str, Any], kind: str) -> Any:
    return lambda s: s.subject == ticket["id"] and s.type == kind


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def scenario(stack: RunningStack, api: httpx.AsyncClient) -> Scenario:
    lead, on_duty = await _people(api)
    contact = await _premium_contact(api)
    async with TopicObserver(stack.bootstrap, [SLA, ESCALATIONS, TICKETS]) as observer:
        breached = await make_ticket(api, contact["email"], severity="critical")
        assert breached["tier"] == "premium"
        stack.stop("escalation")  # down when the breach fires
        try:
            [breach] = await observer.wait_for(
                lambda s: _of(breached, "sla.timer.breached")(s) and s.data["timer"] == "response",
                timeout=60,
            )
        finally:
            stack.start("escalation")
        await asyncio.to_thread(stack.wait_ready, ["escalation"], timeout=60)
        await observer.wait_for(_of(breached, "escalation.raised"), timeout=60)
        try:
            await observer.wait_for(_of(breached, "ticket.escalated"), timeout=60)
        except TimeoutError as exc:  # say why: intake's own account of the event
            raise TimeoutError(f"{exc}\nintake's log:\n{stack.log_tail('intake', 80)}") from exc

        await _restart_escalation(stack)
        await _replay(stack, breach)

        taken = await make_ticket(api, contact["email"], severity="critical")
        await _ok(
            await api.post(
                f"/api/v1/tickets/{taken['id']}/transitions",
                json={"action": "take", "assignee": "agent-1"},
            )
        )
        await observer.wait_for(_of(taken, "sla.timer.met"), timeout=30)
        await asyncio.sleep(8)  # past the taken ticket's deadline; duplicates show themselves
    return Scenario(breached, taken, lead, on_duty, list(observer.seen))


class TestBreachEscalates:
    async def test_exactly_one_escalation_moves_the_ticket_and_names_duty_and_lead(
        self, scenario: Scenario, api: httpx.AsyncClient
    ) -> None:
        ticket = scenario.breached
        raised = [s for s in scenario.seen if _of(ticket, "escalation.raised")(s)]
        assert len(raised) == 1, [s.data for s in raised]
        data = raised[0].data
        assert raised[0].key == ticket["id"]
        assert (data["trigger"], data["timer"]) == ("sla.timer.breached", "response")
        assert (data["from_line"], data["to_line"], data["line"]) == (1, 2, 2)
        told = {(r["role"], r["email"]) for r in data["recipients"]}
        assert ("on_duty", scenario.on_duty["email"]) in told
        assert ("line_lead", scenario.lead["email"]) in told
        duty = next(r for r in data["recipients"] if r["email"] == scenario.on_duty["email"])
        assert duty["language"] == "en"

        moves = [s for s in scenario.seen if _of(ticket, "ticket.escalated")(s)]
        assert [(m.data["line"], m.data["source"]) for m in moves] == [(2, "escalation")]
        now = await _ok(await api.get(f"/api/v1/tickets/{ticket['id']}"))
        assert now["support_line"] == 2
        # Nobody had taken it: the policy hands it to the engineer on duty.
        assert data["assign_to"] == scenario.on_duty["id"]
        assert now["assignee"] == scenario.on_duty["email"]

        listed = await _ok(await api.get(f"/api/v1/tickets/{ticket['id']}/escalations"))
        assert [e["id"] for e in listed] == [data["escalation_id"]]

    async def test_a_ticket_taken_before_its_deadline_raises_nothing(
        self, scenario: Scenario, api: httpx.AsyncClient
    ) -> None:
        ticket = scenario.taken
        assert not [s for s in scenario.seen if _of(ticket, "escalation.raised")(s)]
        assert not [s for s in scenario.seen if _of(ticket, "sla.timer.breached")(s)]
        assert await _ok(await api.get(f"/api/v1/tickets/{ticket['id']}/escalations")) == []


def _addressees_about(path: Path, ticket: dict[str, Any]) -> set[str]:
    """Who a received message is addressed to, if it is about ``ticket`` (else nobody)."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    texts = [str(message.get("Subject", ""))]
    texts += [
        part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text" and not part.is_multipart()
    ]
    if not any(ticket["registration_number"] in t or ticket["id"] in t for t in texts):
        return set()
    found: set[str] = set()
    for header in ("To", "Cc", "Bcc"):
        for address in message.get_all(header, []):
            found |= {a.addr_spec.lower() for a in address.addresses}
    return found


def _count_mail(mail_dir: Path, wanted: set[str], ticket: dict[str, Any]) -> dict[str, int]:
    """How many received messages about ``ticket`` name each wanted address."""
    counts = dict.fromkeys(wanted, 0)
    for path in mail_dir.glob("*.eml"):
        for address in _addressees_about(path, ticket) & wanted:
            counts[address] += 1
    return counts


async def test_duty_engineer_and_lead_each_get_exactly_one_email(
    scenario: Scenario, stack: RunningStack
) -> None:
    """The stack's mail catcher keeps one .eml per message in ``stack.mail_dir``."""
    mail_dir = stack.mail_dir
    wanted = {scenario.on_duty["email"].lower(), scenario.lead["email"].lower()}
    counts: dict[str, int] = {}
    for _ in range(150):  # up to 30 s for delivery (retries with backoff included)
        counts = await asyncio.to_thread(_count_mail, mail_dir, wanted, scenario.breached)
        if all(counts.values()):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(2)  # a duplicate would arrive now
    counts = await asyncio.to_thread(_count_mail, mail_dir, wanted, scenario.breached)
    assert counts == dict.fromkeys(wanted, 1), counts

    # People read what happened in their language, never the event type.
    duty = await asyncio.to_thread(
        _subjects_to, mail_dir, scenario.on_duty["email"], scenario.breached
    )
    lead = await asyncio.to_thread(
        _subjects_to, mail_dir, scenario.lead["email"], scenario.breached
    )
    [in_english], [in_russian] = duty, lead
    assert "Escalation level 2: Response deadline passed" in in_english
    assert "Эскалация, уровень 2: Срок реакции истёк" in in_russian
    assert not [s for s in duty + lead if _EVENT_TYPE.search(s)]


# A dotted event type (sla.timer.breached): for the events, not for people.
_EVENT_TYPE = re.compile(r"\b[a-z]+\.[a-z_]+(\.[a-z_]+)*\b")


def _subjects_to(mail_dir: Path, address: str, ticket: dict[str, Any]) -> list[str]:
    """The subjects of the received messages about ``ticket`` sent to ``address``."""
    subjects = []
    for path in mail_dir.glob("*.eml"):
        if address.lower() in _addressees_about(path, ticket):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            subjects.append(str(message.get("Subject", "")))
    return subjects


class TestManualEscalation:
    async def test_an_agents_move_is_raised_through_the_same_path_without_a_loop(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        customer = await make_customer(api, warranty_until="2099-12-31")
        contact = await make_contact(api, customer["id"])
        async with TopicObserver(stack.bootstrap, [ESCALATIONS, TICKETS]) as observer:
            ticket = await make_ticket(api, contact["email"], severity="high")
            await _ok(
                await api.post(
                    f"/api/v1/tickets/{ticket['id']}/escalations",
                    json={"line": 2, "reason": "needs a developer"},
                )
            )
            [raised] = await observer.wait_for(_of(ticket, "escalation.raised"), timeout=30)
            await asyncio.sleep(2)  # a loop would show a second move or raise now
        assert (raised.data["trigger"], raised.data["from_line"], raised.data["to_line"]) == (
            "manual",
            1,
            2,
        )
        assert raised.data["reason"] == "needs a developer"
        assert len(observer.matching(_of(ticket, "escalation.raised"))) == 1
        moves = observer.matching(_of(ticket, "ticket.escalated"))
        assert [(m.data["line"], m.data["source"]) for m in moves] == [(2, "agent")]
        listed = await _ok(await api.get(f"/api/v1/tickets/{ticket['id']}/escalations"))
        assert [e["trigger"] for e in listed] == ["manual"]
