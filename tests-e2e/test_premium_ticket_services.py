"""Premium services on a ticket through the gateway: remote access, phone confirmation, analysis."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import TICKETS
from shared.testing.answers import ok, refused
from shared.testing.builders import act_as_customer, make_customer_contact, make_ticket, move
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def critical_in_progress(api: httpx.AsyncClient, tier: str) -> tuple[dict[str, Any], str]:
    _, contact = await make_customer_contact(api, tier)
    ticket = await make_ticket(api, contact["email"], severity="critical")
    ticket = ok(await move(api, ticket["id"], "take", assignee="eng-1"))
    return ticket, contact["email"]


async def resolution_timer(api: httpx.AsyncClient, ticket_id: str, state: str) -> dict[str, Any]:
    """The SLA view's resolution timer once sla-clock has it in ``state``."""
    for _ in range(150):
        r = await api.get(f"/api/v1/tickets/{ticket_id}/sla")
        if r.status_code == 200:
            timers = {t["timer"]: t for t in r.json()["timers"]}
            if timers.get("resolution", {}).get("state") == state:
                return timers["resolution"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"the resolution timer of {ticket_id} never became {state}: {r.text}")


class TestRemoteAccess:
    async def test_critical_ticket_without_remote_access_waits_and_the_clock_pauses(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, email = await critical_in_progress(api, "premium")
        assert ticket["remote_access_available"] is False
        await resolution_timer(api, ticket["id"], "running")
        waited = ok(
            await move(api, ticket["id"], "wait_for_customer", reason="remote_access_required")
        )
        assert (waited["status"], waited["status_reason"]) == (
            "waiting_customer",
            "remote_access_required",
        )
        await resolution_timer(api, ticket["id"], "paused")
        answer = {"body": "VPN is up now", "actor": act_as_customer(email)}
        ok(await api.post(f"/api/v1/tickets/{ticket['id']}/comments", json=answer))
        await resolution_timer(api, ticket["id"], "running")

    async def test_recorded_remote_access_and_non_critical_tickets_are_refused(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, email = await critical_in_progress(api, "premium")
        path = f"/api/v1/tickets/{ticket['id']}/remote-access"
        body = {"available": True, "actor": act_as_customer(email)}
        assert ok(await api.post(path, json=body))["remote_access_available"] is True
        assert ok(await api.get(f"/api/v1/tickets/{ticket['id']}"))["remote_access_available"]
        r = await move(api, ticket["id"], "wait_for_customer", reason="remote_access_required")
        refused(r, 409, "remote-access-available")
        _, contact = await make_customer_contact(api, "premium")
        high = await make_ticket(api, contact["email"], severity="high")
        ok(await move(api, high["id"], "take", assignee="eng-1"))
        r = await move(api, high["id"], "wait_for_customer", reason="remote_access_required")
        refused(r, 409, "remote-access-wait-not-critical")

    async def test_a_tier_without_remote_access_is_refused_naming_the_tiers(
        self, api: httpx.AsyncClient
    ) -> None:
        ticket, _ = await critical_in_progress(api, "standard")
        r = await move(api, ticket["id"], "wait_for_customer", reason="remote_access_required")
        problem = refused(r, 403, "feature-not-in-tier")
        assert problem["feature"] == "remote_access"
        assert {"premium", "business", "extended"} <= set(problem["tiers"])


class TestPhoneConfirmation:
    async def test_recorded_once_shown_on_the_ticket_and_announced(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            ticket, _ = await critical_in_progress(api, "premium")
            path = f"/api/v1/tickets/{ticket['id']}/phone-confirmation"
            at = datetime.now(UTC)  # after registration, to the microsecond
            body = {"confirmed_by": "Ivan Petrov, on-call", "confirmed_at": at.isoformat()}
            first = ok(await api.post(path, json=body))
            assert first["phone_confirmed_by"] == "Ivan Petrov, on-call"
            assert datetime.fromisoformat(first["phone_confirmed_at"]) == at
            replay = ok(await api.post(path, json=body))
            assert replay["version"] == first["version"]
            other = {**body, "confirmed_by": "Someone else"}
            refused(await api.post(path, json=other), 409, "phone-confirmation-recorded")
            [seen] = await observer.wait_for(
                lambda s: (
                    s.subject == ticket["id"] and s.type == "ticket.phone_confirmation_recorded"
                )
            )
        assert seen.data["confirmed_by"] == "Ivan Petrov, on-call"
        shown = ok(await api.get(f"/api/v1/tickets/{ticket['id']}"))
        assert shown["phone_confirmation_recorded_by"] == first["phone_confirmation_recorded_by"]

    async def test_refused_on_a_non_critical_ticket_in_the_future_and_for_customers(
        self, api: httpx.AsyncClient, bot: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "premium")
        high = await make_ticket(api, contact["email"], severity="high")
        now = datetime.now(UTC)
        body = {"confirmed_by": "Ivan", "confirmed_at": now.isoformat()}
        path = f"/api/v1/tickets/{high['id']}/phone-confirmation"
        refused(await api.post(path, json=body), 409, "phone-confirmation-not-critical")
        critical, _ = await critical_in_progress(api, "premium")
        path = f"/api/v1/tickets/{critical['id']}/phone-confirmation"
        later = {**body, "confirmed_at": (now + timedelta(hours=1)).isoformat()}
        refused(await api.post(path, json=later), 422, "phone-confirmation-when")
        refused(await api.post(path, json={"confirmed_by": "Ivan"}), 422, "validation-error")
        assert (await bot.post(path, json=body)).status_code == 403


class TestPerformanceAnalysis:
    async def test_resolves_only_with_its_report(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api, "business")
        ticket = await make_ticket(
            api,
            contact["email"],
            type="service_request",
            subtype="performance_analysis",
            severity="medium",
            subject="Analyse the month-end close",
        )
        assert ticket["subtype"] == "performance_analysis"
        ok(await move(api, ticket["id"], "take", assignee="eng-1"))
        refused(await move(api, ticket["id"], "resolve"), 422, "analysis-report-required")
        r = await move(api, ticket["id"], "resolve", report="see the attachment")
        refused(r, 422, "analysis-report-required")
        done = ok(await move(api, ticket["id"], "resolve", report="DOC-2026-0042"))
        assert (done["status"], done["analysis_report"]) == ("resolved", "DOC-2026-0042")

    async def test_refused_for_other_tiers_and_other_types(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api, "extended")
        body = {
            "contact_email": contact["email"],
            "subject": "Analyse",
            "type": "service_request",
            "subtype": "performance_analysis",
        }
        problem = refused(await api.post("/api/v1/tickets", json=body), 403, "feature-not-in-tier")
        assert problem["tiers"] == ["premium", "business"]
        _, contact = await make_customer_contact(api, "premium")
        incident = {**body, "contact_email": contact["email"], "type": "incident"}
        r = await api.post("/api/v1/tickets", json=incident)
        refused(r, 422, "subtype-not-service-request")
