"""Every Grafana panel's query names only metrics the running platform exposes.

After one ticket has flowed (posted by email, registered, its clocks started, its
registration email sent), each process's ``/metrics`` is read: a name in a
``# HELP``/``# TYPE`` line or on a sample counts, and a histogram's ``_bucket``,
``_sum`` and ``_count`` count by its base name. The dashboards' JSON itself is checked
without a stack in deploy/tests/test_grafana_dashboards.py.
"""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from deskstack.services import ROOT
from deskstack.stack import RunningStack
from shared.testing.builders import make_customer_contact, unique
from shared.testing.promql import exposed_names, is_exposed, metric_names

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))
SERVICES = ("intake", "entitlement", "sla-clock", "escalation", "notification")


async def _exposition(client: httpx.AsyncClient, url: str, **headers: str) -> str:
    reply = await client.get(f"{url}/metrics", headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.text


async def _flow_one_ticket(stack: RunningStack, api: httpx.AsyncClient) -> None:
    """Post a ticket by email and wait for its registration email: every stage has run."""
    _, contact = await make_customer_contact(api, "standard", language="en")
    reply = await api.post(
        "/api/v1/intake/email",
        json={
            "from": contact["email"],
            "subject": "Dashboards",
            "body": "A ticket so that every series exists.",
            "message_id": f"<{unique('dash')}@customer.example>",
        },
    )
    assert reply.status_code in (200, 201), reply.text
    sent = 'notification_deliveries_total{channel="email",outcome="sent"}'
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(timeout=10) as client:
        while sent not in await _exposition(client, stack.url("notification")):
            assert time.monotonic() < deadline, "the registration email was not sent"
            await asyncio.sleep(0.3)


async def test_every_panel_names_only_exposed_metrics(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    await _flow_one_ticket(stack, api)
    async with httpx.AsyncClient(timeout=10) as client:
        texts = [await _exposition(client, stack.url(s)) for s in SERVICES]
        texts.append(await _exposition(client, stack.gateway_url, **stack.admin_headers()))
    exposed = set().union(*(exposed_names(t) for t in texts))

    checked = 0
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel["targets"]:
                names = metric_names(target["expr"])
                missing = {n for n in names if not is_exposed(n, exposed)}
                assert names, (path.name, panel["title"])
                assert not missing, (path.name, panel["title"], missing)
                checked += 1
    assert checked >= 20  # every dashboard's panels, not an empty glob


async def test_the_flow_series_have_samples_after_a_ticket(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    await _flow_one_ticket(stack, api)
    async with httpx.AsyncClient(timeout=10) as client:
        intake = await _exposition(client, stack.url("intake"))

    assert 'intake_tickets_opened_total{channel="email"' in intake
    assert 'intake_queue_tickets{line="1"}' in intake
