"""Monitoring alerts through the gateway: Alertmanager's webhook with a customer's bot key."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import TICKETS
from shared.testing.builders import key_client, make_contract, make_customer, make_customer_contact
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

PATH = "/api/v1/intake/alertmanager"
ZERO = "0001-01-01T00:00:00Z"


def alert(fingerprint: str, severity: str, summary: str) -> dict[str, Any]:
    """One alert as Alertmanager marshals it (nanoseconds, Go's zero time for a firing end)."""
    return {
        "status": "firing",
        "labels": {"alertname": "InstanceDown", "job": "node", "severity": severity},
        "annotations": {"summary": summary, "description": "unreachable for 5 minutes"},
        "startsAt": "2026-03-04T10:15:30.123456789Z",
        "endsAt": ZERO,
        "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0",
        "fingerprint": fingerprint,
    }


def notification(*alerts: dict[str, Any], status: str = "firing") -> dict[str, Any]:
    return {
        "version": "4",
        "groupKey": '{}:{alertname="InstanceDown"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "support-desk",
        "groupLabels": {"alertname": "InstanceDown"},
        "commonLabels": {"alertname": "InstanceDown"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example.com:9093",
        "alerts": list(alerts),
    }


def resolved(payload: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    out["status"] = "resolved"
    for item in out["alerts"]:
        item["status"], item["endsAt"] = "resolved", "2026-03-04T11:00:00.5Z"
    return out


def decisions(r: httpx.Response) -> dict[str, dict[str, Any]]:
    assert r.status_code == 200, r.text
    return {d["fingerprint"]: d for d in r.json()["decisions"]}


async def test_firing_opens_repeat_adds_resolved_comments(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    customer, _ = await make_customer_contact(api, "premium")
    first = notification(
        alert("fp-db1", "critical", "db1 is down"), alert("fp-app1", "warning", "app1")
    )
    async with (
        key_client(api, "bot", customer["id"]) as bot,
        TopicObserver(stack.bootstrap, [TICKETS]) as observer,
    ):
        opened = decisions(await bot.post(PATH, json=first))
        assert {d["action"] for d in opened.values()} == {"open_ticket"}
        assert (opened["fp-db1"]["severity"], opened["fp-app1"]["severity"]) == (
            "critical",
            "medium",
        )
        db1 = opened["fp-db1"]["ticket_id"]
        again = decisions(await bot.post(PATH, json=notification(first["alerts"][0])))
        assert (again["fp-db1"]["action"], again["fp-db1"]["ticket_id"]) == ("add_to_ticket", db1)
        done = decisions(await bot.post(PATH, json=resolved(first)))
        assert done["fp-db1"]["action"] == "comment_resolved"
        await observer.wait_for(
            lambda s: s.subject == db1 and s.type == "ticket.alert_received", count=3
        )
    ticket = (await api.get(f"/api/v1/tickets/{db1}")).json()
    assert (ticket["subject"], ticket["severity"], ticket["status"]) == (
        "[InstanceDown] db1 is down",
        "critical",
        "new",
    )
    comments = (await api.get(f"/api/v1/tickets/{db1}/comments")).json()
    assert [c["author"] for c in comments] == ["alertmanager", "alertmanager"]
    assert "Resolved at" in comments[1]["body"]


async def test_resolved_without_ticket_is_ignored_and_bad_bodies_are_problems(
    api: httpx.AsyncClient,
) -> None:
    customer, _ = await make_customer_contact(api, "premium")
    lone = resolved(notification(alert("fp-none", "critical", "gone")))
    async with key_client(api, "bot", customer["id"]) as bot:
        [ignored] = decisions(await bot.post(PATH, json=lone)).values()
        assert (ignored["action"], ignored["ticket_id"]) == ("ignore", None)
        assert ignored["reason"] == "resolved alert without an open ticket"
        for bad in ({**lone, "version": "3"}, {"alerts": "nope"}):
            r = await bot.post(PATH, json=bad)
            assert r.status_code == 422, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
    # A staff key names the customer.
    as_admin = decisions(await api.post(PATH, json=lone, params={"customer_id": customer["id"]}))
    assert as_admin["fp-none"]["action"] == "ignore"
    r = await api.post(PATH, json=lone)
    assert (r.status_code, r.json()["type"]) == (422, "/problems/customer-required"), r.text


async def test_tiers_without_monitoring_and_customer_keys_are_refused(
    api: httpx.AsyncClient,
) -> None:
    customer, _ = await make_customer_contact(api, "business")
    payload = notification(alert("fp-x", "critical", "x"))
    async with key_client(api, "bot", customer["id"]) as bot:
        r = await bot.post(PATH, json=payload)
    assert r.status_code == 403, r.text
    problem = r.json()
    assert (problem["feature"], problem["tiers"]) == (
        "customer_resource_access_monitoring",
        ["premium"],
    )
    async with key_client(api, "customer", customer["id"]) as customer_key:
        assert (await customer_key.post(PATH, json=payload)).status_code == 403


def labelled(fingerprint: str, **labels: str) -> dict[str, Any]:
    item = alert(fingerprint, "unused", fingerprint)
    item["labels"] = {"alertname": "DiskFull", **labels}
    return item


async def test_the_contract_maps_the_alert_severity_and_a_change_applies_at_once(
    api: httpx.AsyncClient,
) -> None:
    customer = await make_customer(api, trained_specialists=1)
    contract = await make_contract(
        api,
        customer["id"],
        "premium",
        alert_severity_label="priority",
        alert_severity_map={"P1": "critical", "P2": "high"},
    )
    assert (contract["alert_severity_label"], contract["alert_severity_map"]) == (
        "priority",
        {"P1": "critical", "P2": "high"},
    )
    async with key_client(api, "bot", customer["id"]) as bot:
        first = decisions(
            await bot.post(
                PATH,
                json=notification(
                    labelled("fp-p2", priority="p2"),  # values compare lower-case
                    labelled("fp-p1", priority="P1"),
                    labelled("fp-p9", priority="P9", severity="critical"),  # not the label
                ),
            )
        )
        assert {fp: d["severity"] for fp, d in first.items()} == {
            "fp-p2": "high",
            "fp-p1": "critical",
            "fp-p9": "medium",
        }
        r = await api.patch(
            f"/api/v1/customers/{customer['id']}/contracts/{contract['id']}",
            json={"alert_severity_map": {"P9": "high"}},
        )
        assert r.status_code == 200, r.text
        later = decisions(
            await bot.post(PATH, json=notification(labelled("fp-p9b", priority="P9")))
        )
        assert later["fp-p9b"]["severity"] == "high"


async def test_a_tier_without_monitoring_cannot_carry_an_alert_map(
    api: httpx.AsyncClient,
) -> None:
    customer = await make_customer(api, trained_specialists=1)
    r = await api.post(
        f"/api/v1/customers/{customer['id']}/contracts",
        json={
            "tier": "business",
            "starts_on": "2026-01-01",
            "ends_on": "2099-12-31",
            "alert_severity_map": {"P1": "critical"},
        },
    )
    assert (r.status_code, r.json()["type"]) == (422, "/problems/feature-not-in-tier"), r.text
    r = await api.post(
        f"/api/v1/customers/{customer['id']}/contracts",
        json={
            "tier": "premium",
            "starts_on": "2026-01-01",
            "ends_on": "2099-12-31",
            "alert_severity_label": "not a label",
        },
    )
    assert r.status_code == 422, r.text
