"""Reading tickets through the gateway: SLA summary, filters, text search, paging, queue, knowledge base."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from deskstack.stack import RunningStack
from shared.events.base import Envelope
from shared.events.sla import TimerBreached
from shared.events.topics import SLA
from shared.testing.builders import make_customer_contact, make_ticket, move

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]
T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T | None]], timeout: float = 20) -> T:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not met within {timeout} s; last: {result!r}")
        await asyncio.sleep(0.1)


async def ticket_for(api: httpx.AsyncClient, tier: str, **kw: Any) -> dict[str, Any]:
    _, contact = await make_customer_contact(api, tier)
    return await make_ticket(api, contact["email"], **kw)


async def sla_of(api: httpx.AsyncClient, ticket_id: str) -> dict[str, Any]:
    r = await api.get(f"/api/v1/tickets/{ticket_id}")
    assert r.status_code == 200, r.text
    sla: dict[str, Any] = r.json()["sla"]
    return sla


class TestOneTicket:
    async def test_carries_the_sla_summary_from_timer_events(self, api: httpx.AsyncClient) -> None:
        ticket = await ticket_for(api, "standard", severity="high")

        async def both_timers() -> dict[str, Any] | None:
            sla = await sla_of(api, ticket["id"])
            return sla if len(sla["timers"]) == 2 else None

        sla = await eventually(both_timers)
        timers = {t["timer"]: t for t in sla["timers"]}
        assert timers["response"]["state"] == "running"
        assert timers["response"]["target"] == "4h"
        assert timers["resolution"]["target"] == "8d"
        assert sla["next_due_at"] == timers["response"]["due_at"]
        assert sla["breached"] is False

    async def test_a_breach_shows_in_the_summary_and_the_filter(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        ticket = await ticket_for(api, "standard")
        due = datetime.now(UTC) - timedelta(minutes=1)
        # What sla-clock publishes when a deadline passes (the read model is intake's).
        envelope = Envelope.wrap(
            TimerBreached(ticket_id=ticket["id"], timer="response", due_at=due),
            source="sla-clock",
            subject=ticket["id"],
        )
        producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(
                SLA, envelope.model_dump_json().encode(), key=ticket["id"].encode()
            )
        finally:
            await producer.stop()

        async def breached() -> dict[str, Any] | None:
            sla = await sla_of(api, ticket["id"])
            return sla if sla["breached"] else None

        await eventually(breached)
        page = (
            await api.get(
                "/api/v1/tickets", params={"customer_id": ticket["customer_id"], "breached": "true"}
            )
        ).json()
        assert [t["id"] for t in page["items"]] == [ticket["id"]]
        none = (
            await api.get(
                "/api/v1/tickets",
                params={"customer_id": ticket["customer_id"], "breached": "false"},
            )
        ).json()
        assert none["items"] == []


class TestList:
    async def test_filters_and_cursor_paging(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api, "standard")
        made = []
        for i, severity in enumerate(["high", "medium", "critical"]):
            t = await make_ticket(api, contact["email"], severity=severity, subject=f"Issue {i}")
            made.append(t)
            await move(api, t["id"], "take", assignee=f"eng-{i}")
            if i < 2:
                await move(api, t["id"], "resolve")
        cid = made[0]["customer_id"]

        async def ids(**params: Any) -> list[str]:
            r = await api.get("/api/v1/tickets", params={"customer_id": cid, **params})
            assert r.status_code == 200, r.text
            return [t["id"] for t in r.json()["items"]]

        assert await ids() == [t["id"] for t in reversed(made)]
        assert await ids(status="resolved") == [made[1]["id"], made[0]["id"]]
        assert await ids(severity="critical,high") == [made[2]["id"], made[0]["id"]]
        assert await ids(assignee="eng-1") == [made[1]["id"]]
        assert await ids(tier="standard") == await ids()
        assert await ids(tier="premium") == []

        first = (await api.get("/api/v1/tickets", params={"customer_id": cid, "limit": 2})).json()
        second = (
            await api.get(
                "/api/v1/tickets",
                params={"customer_id": cid, "limit": 2, "cursor": first["next_cursor"]},
            )
        ).json()
        assert [t["id"] for t in first["items"] + second["items"]] == [
            t["id"] for t in reversed(made)
        ]
        assert second["next_cursor"] is None
        bad = await api.get("/api/v1/tickets", params={"cursor": "garbage"})
        assert bad.status_code == 422

    @pytest.mark.parametrize(
        ("subject", "description", "query"),
        [
            (
                "Не печатаются накладные",
                "При печати накладной программа зависает",
                "печати накладных",
            ),
            ("Reports are slow", "Generating monthly reports takes minutes", "report generation"),
        ],
    )
    async def test_text_search_in_russian_and_english(
        self, api: httpx.AsyncClient, subject: str, description: str, query: str
    ) -> None:
        ticket = await ticket_for(api, "basic", subject=subject, description=description)
        r = await api.get(
            "/api/v1/tickets", params={"customer_id": ticket["customer_id"], "q": query}
        )
        assert [t["id"] for t in r.json()["items"]] == [ticket["id"]]
        r = await api.get(
            "/api/v1/tickets",
            params={"customer_id": ticket["customer_id"], "q": "совершенно другое"},
        )
        assert r.json()["items"] == []


class TestQueue:
    async def test_order_is_tier_priority_then_severity_then_nearest_deadline(
        self, api: httpx.AsyncClient
    ) -> None:
        basic = await ticket_for(api, "basic")
        std_medium_old = await ticket_for(api, "standard", severity="medium")
        std_medium_new = await ticket_for(api, "standard", severity="medium")
        std_critical = await ticket_for(api, "standard", severity="critical")
        std_high = await ticket_for(api, "standard", severity="high")
        premium = await ticket_for(api, "premium", severity="medium")
        # Taking the older one into work stops its response clock: its nearest deadline
        # becomes the 15-day resolution, later than the newer one's 8-hour response.
        await move(api, std_medium_old["id"], "take", assignee="eng-q")
        mine = [basic, std_medium_old, std_medium_new, std_critical, std_high, premium]

        async def queue_when_settled() -> list[dict[str, Any]] | None:
            r = await api.get(
                "/api/v1/queue", params=[("customer_id", t["customer_id"]) for t in mine]
            )
            assert r.status_code == 200, r.text
            items: list[dict[str, Any]] = r.json()
            old = next(i for i in items if i["id"] == std_medium_old["id"])
            new = next(i for i in items if i["id"] == std_medium_new["id"])
            settled = (
                old["next_due_at"]
                and new["next_due_at"]
                and old["next_due_at"] > new["next_due_at"]
            )
            return items if settled else None

        items = await eventually(queue_when_settled)
        assert [i["id"] for i in items] == [
            premium["id"],
            std_critical["id"],
            std_high["id"],
            std_medium_new["id"],
            std_medium_old["id"],
            basic["id"],
        ]
        assert [i["tier_priority"] for i in items] == [1, 4, 4, 4, 4, 5]

    async def test_waiting_and_resolved_tickets_leave_the_queue(
        self, api: httpx.AsyncClient
    ) -> None:
        waiting = await ticket_for(api, "standard")
        await move(api, waiting["id"], "take", assignee="eng-w")
        await move(api, waiting["id"], "wait_for_customer")
        r = await api.get("/api/v1/queue", params={"customer_id": waiting["customer_id"]})
        assert r.json() == []
        await move(api, waiting["id"], "resume")
        r = await api.get(
            "/api/v1/queue", params={"customer_id": waiting["customer_id"], "assignee": "eng-w"}
        )
        assert [i["id"] for i in r.json()] == [waiting["id"]]


class TestKnowledgeBase:
    async def test_search_in_russian_and_english(self, api: httpx.AsyncClient) -> None:
        tag = uuid.uuid4().hex[:8]
        ru = await api.post(
            "/api/v1/kb/articles",
            json={
                "kind": "known_error",
                "title": f"Ошибка при печати документов {tag}",
                "body": "Если печать документов зависает, перезапустите службу печати.",
            },
        )
        en = await api.post(
            "/api/v1/kb/articles",
            json={
                "kind": "typical_solution",
                "title": f"Exporting reports fails {tag}",
                "body": "When exporting large reports, raise the export timeout.",
            },
        )
        assert (ru.status_code, en.status_code) == (201, 201), (ru.text, en.text)

        async def found(q: str) -> list[str]:
            r = await api.get("/api/v1/kb/articles", params={"q": f"{q} {tag}"})
            assert r.status_code == 200, r.text
            return [a["id"] for a in r.json()]

        assert await found("печать документа") == [ru.json()["id"]]
        assert await found("export report") == [en.json()["id"]]
        assert await found("печать report") == []
        one = await api.get(f"/api/v1/kb/articles/{ru.json()['id']}")
        assert one.json()["kind"] == "known_error"

    async def test_new_ticket_gets_suggestions_and_basic_gets_them_in_the_first_reply(
        self, api: httpx.AsyncClient
    ) -> None:
        word = "zebra" + uuid.uuid4().hex[:6]
        r = await api.post(
            "/api/v1/kb/articles",
            json={
                "kind": "known_error",
                "title": f"Sync stalls on {word}",
                "body": "Clear the cache.",
            },
        )
        article = r.json()
        basic = await ticket_for(api, "basic", subject=f"Sync stalls with {word}")
        standard = await ticket_for(api, "standard", subject=f"{word} module crashes")
        for ticket in (basic, standard):
            assert article["id"] in [a["id"] for a in ticket["suggested_articles"]]
        basic_replies = (await api.get(f"/api/v1/tickets/{basic['id']}/comments")).json()
        assert basic_replies[0]["author"] == "knowledge-base"
        assert article["id"] in basic_replies[0]["body"]
        assert (await api.get(f"/api/v1/tickets/{standard['id']}/comments")).json() == []

    async def test_a_bot_cannot_write_articles(self, bot: httpx.AsyncClient) -> None:
        r = await bot.post(
            "/api/v1/kb/articles", json={"kind": "known_error", "title": "x", "body": "y"}
        )
        assert r.status_code == 403
