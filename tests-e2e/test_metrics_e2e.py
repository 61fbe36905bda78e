"""``GET /metrics`` of every process in the running stack: Prometheus text, named families,
values that move when a ticket comes in and its registration email goes out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from deskstack.stack import RunningStack
from shared.testing.builders import make_customer_contact, unique

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

SERVICES = ("intake", "entitlement", "sla-clock", "escalation", "notification")
EVERY_SERVICE = {
    "http_requests",
    "http_request_duration_seconds",
    "outbox_backlog",
    "outbox_oldest_unsent_age_seconds",
    "kafka_consumer_lag",
    "consumer_dead_lettered",
}
OWN = {
    "sla-clock": {"sla_timers_due_next_minute", "sla_scheduler_lag_seconds"},
    "notification": {"notification_deliveries"},
}
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def _scrape(url: str, **headers: str) -> tuple[set[str], Samples]:
    async with httpx.AsyncClient(timeout=10) as client:
        reply = await client.get(f"{url}/metrics", headers=headers)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/plain; version=")
    families = list(text_string_to_metric_families(reply.text))
    samples = {(s.name, frozenset(s.labels.items())): s.value for f in families for s in f.samples}
    return {f.name for f in families}, samples


def _sum(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


async def _eventually(probe: Callable[[], Awaitable[bool]], *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not await probe():
        assert time.monotonic() < deadline, "the metric did not move"
        await asyncio.sleep(0.3)


async def test_every_service_answers_its_families_without_a_key(stack: RunningStack) -> None:
    for service in SERVICES:
        families, samples = await _scrape(stack.url(service))

        assert EVERY_SERVICE | OWN.get(service, set()) <= families, service
        assert ("outbox_backlog", frozenset({("service", service)})) in samples, service


async def test_the_gateways_metrics_take_an_admin_key(stack: RunningStack) -> None:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=10) as client:
        anonymous = await client.get("/metrics")
    families, _ = await _scrape(stack.gateway_url, **stack.admin_headers())

    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert {"http_requests", "http_request_duration_seconds"} <= families


async def test_a_ticket_moves_the_request_and_delivery_counters(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    admin = stack.admin_headers()
    route = {"method": "POST", "route": "/api/v1/intake/email"}
    _, gateway_before = await _scrape(stack.gateway_url, **admin)
    _, intake_before = await _scrape(stack.url("intake"))
    _, sent_before = await _scrape(stack.url("notification"))
    _, contact = await make_customer_contact(api, "standard", language="en")

    reply = await api.post(
        "/api/v1/intake/email",
        json={
            "from": contact["email"],
            "subject": "Metrics move",
            "body": "A ticket for the counters.",
            "message_id": f"<{unique('metrics')}@customer.example>",
        },
    )
    assert reply.status_code in (200, 201), reply.text

    async def email_sent() -> bool:
        _, now = await _scrape(stack.url("notification"))
        sent = {"channel": "email", "outcome": "sent"}
        return _sum(now, "notification_deliveries_total", **sent) > _sum(
            sent_before, "notification_deliveries_total", **sent
        )

    await _eventually(email_sent)
    _, gateway_after = await _scrape(stack.gateway_url, **admin)
    _, intake_after = await _scrape(stack.url("intake"))
    proxied = {"route": "/api/v1/{path}", "method": "POST"}
    assert _sum(intake_after, "http_requests_total", **route) == (
        _sum(intake_before, "http_requests_total", **route) + 1
    )
    assert _sum(gateway_after, "http_requests_total", **proxied) > _sum(
        gateway_before, "http_requests_total", **proxied
    )
    assert _sum(intake_after, "http_request_duration_seconds_count", **route) >= 1
