"""The ticket lifecycle through the gateway: every move, every refused move, and their events."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from deskstack.stack import RunningStack
from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised
from shared.events.topics import ESCALATIONS, TICKETS
from shared.testing.builders import (
    act_as_customer,
    key_client,
    make_customer_contact,
    make_ticket,
    move,
)
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def new_ticket(
    api: httpx.AsyncClient, tier: str = "standard", **kw: Any
) -> tuple[dict[str, Any], str]:
    _, contact = await make_customer_contact(api, tier)
    return await make_ticket(api, contact["email"], **kw), contact["email"]


async def ok(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code in (200, 201), r.text
    body: dict[str, Any] = r.json()
    return body


async def ticket_in(api: httpx.AsyncClient, status: str) -> tuple[dict[str, Any], str]:
    """A standard-tier ticket brought to ``status`` by legal moves."""
    ticket, email = await new_ticket(api)
    path = {
        "new": [],
        "in_progress": [("take", {"assignee": "eng-1"})],
        "waiting_customer": [("take", {"assignee": "eng-1"}), ("wait_for_customer", {})],
        "resolved": [("take", {"assignee": "eng-1"}), ("resolve", {})],
        "closed": [
            ("take", {"assignee": "eng-1"}),
            ("resolve", {}),
            ("confirm", {"actor": act_as_customer(email)}),
        ],
    }[status]
    for action, body in path:
        ticket = await ok(await move(api, ticket["id"], action, **body))
    assert ticket["status"] == status
    return ticket, email


class TestLegalMoves:
    async def test_each_move_changes_status_and_publishes_one_event_in_sequence(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            ticket, email = await new_ticket(api, severity="high")
            steps = [
                ("take", {"assignee": "eng-anna"}, "in_progress"),
                ("wait_for_customer", {"reason": "need logs"}, "waiting_customer"),
                ("resume", {}, "in_progress"),
                ("resolve", {"reason": "patched"}, "resolved"),
                ("reopen", {"actor": act_as_customer(email)}, "in_progress"),
                ("resolve", {}, "resolved"),
                ("confirm", {"actor": act_as_customer(email)}, "closed"),
            ]
            for action, body, status in steps:
                after = await ok(await move(api, ticket["id"], action, **body))
                assert after["status"] == status, action
            changed = await observer.wait_for(
                lambda s: s.type == "ticket.status_changed" and s.subject == ticket["id"],
                count=len(steps),
            )
        assert [(s.data["from_status"], s.data["to_status"]) for s in changed] == [
            ("new", "in_progress"),
            ("in_progress", "waiting_customer"),
            ("waiting_customer", "in_progress"),
            ("in_progress", "resolved"),
            ("resolved", "in_progress"),
            ("in_progress", "resolved"),
            ("resolved", "closed"),
        ]
        assert [s.value["sequence"] for s in changed] == list(range(2, 2 + len(steps)))
        assert changed[0].data["assignee"] == "eng-anna"
        assert changed[1].data["reason"] == "need logs"
        assert all(s.key == ticket["id"] and s.data["occurred_at"] for s in changed)
        final = await ok(await api.get(f"/api/v1/tickets/{ticket['id']}"))
        assert (final["closed_at"] is not None, final["allowed_actions"]) == (True, [])

    async def test_a_customer_answer_resumes_a_waiting_ticket(self, api: httpx.AsyncClient) -> None:
        ticket, email = await ticket_in(api, "waiting_customer")
        r = await api.post(
            f"/api/v1/tickets/{ticket['id']}/comments",
            json={
                "body": "Logs attached",
                "actor": act_as_customer(email),
                "attachments": [{"filename": "app.log", "size_bytes": 1200}],
            },
        )
        assert r.status_code == 201, r.text
        after = await ok(await api.get(f"/api/v1/tickets/{ticket['id']}"))
        assert (after["status"], after["status_reason"]) == ("in_progress", "customer_replied")
        assert after["attachments"][0]["filename"] == "app.log"

    @pytest.mark.parametrize(
        ("action", "status"),
        [
            ("close_not_reproducible", "closed_not_reproducible"),
            ("close_not_product_issue", "closed_not_product_issue"),
        ],
    )
    async def test_not_reproducible_and_not_product_issue_close(
        self, api: httpx.AsyncClient, action: str, status: str
    ) -> None:
        ticket, _ = await ticket_in(api, "waiting_customer")
        after = await ok(await move(api, ticket["id"], action, reason="no access given"))
        assert (after["status"], after["status_reason"]) == (status, "no access given")

    async def test_reject_out_of_scope_with_a_rules_reason(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await new_ticket(api)
        after = await ok(
            await move(api, ticket["id"], "reject_out_of_scope", reason="legal_advice")
        )
        assert (after["status"], after["status_reason"]) == (
            "rejected_out_of_scope",
            "legal_advice",
        )


class TestRefusedMoves:
    @pytest.mark.parametrize(
        ("status", "action", "allowed"),
        [
            ("new", "resolve", ["take", "reject_out_of_scope"]),
            ("new", "wait_for_customer", ["take", "reject_out_of_scope"]),
            (
                "in_progress",
                "take",
                [
                    "wait_for_customer",
                    "resolve",
                    "reject_out_of_scope",
                    "close_not_reproducible",
                    "close_not_product_issue",
                ],
            ),
            (
                "in_progress",
                "confirm",
                [
                    "wait_for_customer",
                    "resolve",
                    "reject_out_of_scope",
                    "close_not_reproducible",
                    "close_not_product_issue",
                ],
            ),
            (
                "waiting_customer",
                "wait_for_customer",
                [
                    "resume",
                    "resolve",
                    "reject_out_of_scope",
                    "close_not_reproducible",
                    "close_not_product_issue",
                ],
            ),
            ("resolved", "resolve", ["confirm", "reopen"]),
            ("resolved", "reject_out_of_scope", ["confirm", "reopen"]),
            ("closed", "reopen", []),
            ("closed", "take", []),
        ],
    )
    async def test_an_illegal_move_is_a_409_listing_the_allowed_ones(
        self, api: httpx.AsyncClient, status: str, action: str, allowed: list[str]
    ) -> None:
        ticket, _ = await ticket_in(api, status)
        r = await move(api, ticket["id"], action, assignee="eng-1", reason="legal_advice")
        assert r.status_code == 409, r.text
        problem = r.json()
        assert problem["allowed"] == allowed
        assert problem["type"].endswith("/illegal-transition")
        assert status in problem["detail"]
        assert (await ok(await api.get(f"/api/v1/tickets/{ticket['id']}")))["status"] == status

    async def test_an_unknown_action_is_a_422(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await new_ticket(api)
        r = await move(api, ticket["id"], "teleport")
        assert r.status_code == 422

    async def test_the_customer_cannot_take_agent_moves(self, api: httpx.AsyncClient) -> None:
        ticket, email = await ticket_in(api, "in_progress")
        r = await move(api, ticket["id"], "resolve", actor=act_as_customer(email))
        assert r.status_code == 403
        assert "agent" in r.json()["detail"]
        # The customer's own bot, on its own customer's ticket (another's would be 404).
        async with key_client(api, "bot", ticket["customer_id"]) as bot:
            r = await move(bot, ticket["id"], "resolve", actor={"kind": "agent"})
        assert r.status_code == 403
        assert r.json()["type"].endswith("/agent-only")

    async def test_only_the_customer_confirms_or_reopens(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await ticket_in(api, "resolved")
        for action in ("confirm", "reopen"):
            r = await move(api, ticket["id"], action)
            assert r.status_code == 403, r.text
            assert r.json()["type"].endswith("/not-your-move")

    async def test_another_customers_contact_cannot_confirm(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await ticket_in(api, "resolved")
        _, stranger = await make_customer_contact(api)
        r = await move(api, ticket["id"], "confirm", actor=act_as_customer(stranger["email"]))
        assert r.status_code == 403
        assert r.json()["type"].endswith("/not-customers-contact")

    async def test_reject_needs_a_rules_reason_and_take_an_assignee(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, _ = await new_ticket(api)
        r = await move(api, ticket["id"], "reject_out_of_scope", reason="boring")
        assert r.status_code == 422
        assert "training" in r.json()["reasons"]
        r = await move(api, ticket["id"], "take")
        assert r.status_code == 422
        assert r.json()["type"].endswith("/assignee-required")

    async def test_unknown_ticket_is_404(self, api: httpx.AsyncClient) -> None:
        r = await move(api, "0192f000-0000-7000-8000-000000000000", "take", assignee="x")
        assert r.status_code == 404


class TestCorrectiveActions:
    @pytest.mark.parametrize("kind", ["solution", "workaround", "action_plan"])
    async def test_recorded_with_an_event(
        self, stack: RunningStack, api: httpx.AsyncClient, kind: str
    ) -> None:
        ticket, _ = await ticket_in(api, "in_progress")
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            after = await ok(
                await api.post(
                    f"/api/v1/tickets/{ticket['id']}/corrective-actions",
                    json={"kind": kind, "summary": "Restart the agent"},
                )
            )
            seen = await observer.wait_for(
                lambda s: (
                    s.type == "ticket.corrective_action_recorded" and s.subject == ticket["id"]
                )
            )
        assert after["corrective_actions"][0]["kind"] == kind
        assert seen[0].data["kind"] == kind

    async def test_refused_before_the_ticket_is_taken(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await new_ticket(api)
        r = await api.post(
            f"/api/v1/tickets/{ticket['id']}/corrective-actions",
            json={"kind": "solution", "summary": "x"},
        )
        assert r.status_code == 409
        assert r.json()["allowed"] == ["take", "reject_out_of_scope"]

    async def test_refused_from_a_bot(self, api: httpx.AsyncClient, bot: httpx.AsyncClient) -> None:
        ticket, _ = await ticket_in(api, "in_progress")
        r = await bot.post(
            f"/api/v1/tickets/{ticket['id']}/corrective-actions",
            json={"kind": "solution", "summary": "x"},
        )
        assert r.status_code == 403


class TestSeverity:
    async def test_customer_lowers_agent_raises(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        ticket, email = await new_ticket(api, severity="critical")
        url = f"/api/v1/tickets/{ticket['id']}/severity"
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            lowered = await ok(
                await api.post(url, json={"severity": "high", "actor": act_as_customer(email)})
            )
            refused = await api.post(
                url, json={"severity": "critical", "actor": act_as_customer(email)}
            )
            raised = await ok(await api.post(url, json={"severity": "critical"}))
            seen = await observer.wait_for(
                lambda s: s.type == "ticket.severity_changed" and s.subject == ticket["id"], count=2
            )
        assert lowered["severity"] == "high"
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("/severity-raise-needs-agent")
        assert raised["severity"] == "critical"
        assert [
            (s.data["previous_severity"], s.data["severity"], s.data["tier"]) for s in seen
        ] == [
            ("critical", "high", "standard"),
            ("high", "critical", "standard"),
        ]

    async def test_basic_cannot_be_raised_above_medium(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await new_ticket(api, "basic")
        r = await api.post(f"/api/v1/tickets/{ticket['id']}/severity", json={"severity": "high"})
        assert r.status_code == 422
        assert "basic" in r.json()["detail"]

    async def test_unchanged_or_on_a_closed_ticket_is_refused(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await new_ticket(api, severity="high")
        same = await api.post(f"/api/v1/tickets/{ticket['id']}/severity", json={"severity": "high"})
        assert same.status_code == 409
        closed, _ = await ticket_in(api, "closed")
        r = await api.post(f"/api/v1/tickets/{closed['id']}/severity", json={"severity": "medium"})
        assert r.status_code == 409


class TestHardwareFault:
    async def test_marked_once_with_recommendations(
        self, stack: RunningStack, api: httpx.AsyncClient, bot: httpx.AsyncClient
    ) -> None:
        ticket, _ = await ticket_in(api, "in_progress")
        url = f"/api/v1/tickets/{ticket['id']}/hardware-fault"
        assert (await bot.post(url, json={"reason": "disk"})).status_code == 403
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            after = await ok(
                await api.post(
                    url, json={"reason": "RAID degraded", "recommendations": "Replace disk 2"}
                )
            )
            seen = await observer.wait_for(
                lambda s: s.type == "ticket.hardware_fault_marked" and s.subject == ticket["id"]
            )
        assert (after["hardware_fault"], after["hardware_fault_reason"]) == (True, "RAID degraded")
        assert seen[0].data["reason"] == "RAID degraded"
        comments = await ok(await api.get(f"/api/v1/tickets/{ticket['id']}/comments"))
        assert comments[-1]["body"] == "Replace disk 2"
        assert (await api.post(url, json={"reason": "again"})).status_code == 409


class TestEscalation:
    async def test_agent_escalates_upwards_only(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await ticket_in(api, "in_progress")
        url = f"/api/v1/tickets/{ticket['id']}/escalations"
        assert (await ok(await api.post(url, json={"line": 2})))["support_line"] == 2
        again = await api.post(url, json={"line": 2})
        assert again.status_code == 409
        assert again.json()["allowed"] == [3]
        assert (await ok(await api.post(url, json={"line": 3, "reason": "needs dev"})))[
            "support_line"
        ] == 3
        assert (await api.post(url, json={"line": 4})).status_code == 422

    async def test_escalation_service_event_moves_the_ticket(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        ticket, _ = await ticket_in(api, "in_progress")
        envelope = Envelope.wrap(
            EscalationRaised(
                ticket_id=ticket["id"],
                level=2,
                trigger="sla.timer.breached",
                timer="response",
                line=2,
            ),
            source="escalation",
            subject=ticket["id"],
        )
        producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap)
        await producer.start()
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            try:
                for _ in range(2):  # a redelivery must change nothing
                    await producer.send_and_wait(
                        ESCALATIONS, envelope.model_dump_json().encode(), key=ticket["id"].encode()
                    )
            finally:
                await producer.stop()
            seen = await observer.wait_for(
                lambda s: s.type == "ticket.escalated" and s.subject == ticket["id"], timeout=20
            )
            await asyncio.sleep(0.5)
        assert (seen[0].data["line"], seen[0].data["source"]) == (2, "escalation")
        assert (
            len(
                observer.matching(
                    lambda s: s.type == "ticket.escalated" and s.subject == ticket["id"]
                )
            )
            == 1
        )
        assert (await ok(await api.get(f"/api/v1/tickets/{ticket['id']}")))["support_line"] == 2


class TestComments:
    async def test_internal_comments_are_hidden_from_customers(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, email = await ticket_in(api, "in_progress")
        url = f"/api/v1/tickets/{ticket['id']}/comments"
        await ok(await api.post(url, json={"body": "Looks like bug 42", "public": False}))
        await ok(await api.post(url, json={"body": "We are on it"}))
        # The customer's own bot (another customer's would get 404 for this ticket).
        async with key_client(api, "bot", ticket["customer_id"]) as bot:
            refused = await bot.post(
                url, json={"body": "psst", "public": False, "actor": act_as_customer(email)}
            )
            assert refused.status_code == 403
            staff = [c["body"] for c in await ok(await api.get(url))]
            customer = [c["body"] for c in await ok(await bot.get(url))]
        assert staff == ["Looks like bug 42", "We are on it"]
        assert customer == ["We are on it"]

    async def test_no_comment_on_a_closed_ticket(self, api: httpx.AsyncClient) -> None:
        ticket, _ = await ticket_in(api, "closed")
        r = await api.post(f"/api/v1/tickets/{ticket['id']}/comments", json={"body": "late"})
        assert r.status_code == 409
