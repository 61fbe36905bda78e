"""deploy/grafana: valid dashboard JSON, provisioned as compose and Kubernetes mount it,
each panel querying only series the platform's code registers.

The running stack's ``/metrics`` are checked by tests-e2e/test_dashboards.py; this one
needs no stack, so a typo in a query fails the fast suite too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY

import escalation.metrics
import intake.metrics
import notification.metrics
import shared.observability.metrics
import sla_clock.metrics
from deskstack.services import ROOT
from shared.testing.promql import is_exposed, metric_names

GRAFANA = ROOT / "deploy" / "grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
LOADED = (shared.observability.metrics, sla_clock.metrics, notification.metrics)
LOADED_TOO = (intake.metrics, escalation.metrics)
# What the issue asks each dashboard to show, as metric names its panels must read.
MUST_SHOW = {
    "sla": {"sla_timer_outcomes_total", "sla_timers_at_risk", "sla_breaches_total"},
    "flow": {"intake_tickets_opened_total", "intake_queue_tickets", "escalations_raised_total"}
    | {"ola_alarms_fired_total"},
    "platform": {
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "kafka_consumer_lag",
        "outbox_backlog",
        "outbox_oldest_unsent_age_seconds",
        "consumer_dead_lettered_total",
        "notification_deliveries_total",
        "sla_scheduler_lag_seconds",
    },
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def _registered() -> set[str]:
    """Family names as the exposition writes them (counters with ``_total``)."""
    assert LOADED
    assert LOADED_TOO
    return {
        family.name + ("_total" if family.type == "counter" else "")
        for family in REGISTRY.collect()
    }


def _datasource_uid() -> str:
    [source] = _yaml(GRAFANA / "provisioning/datasources/prometheus.yaml")["datasources"]
    assert source["type"] == "prometheus"
    uid: str = source["uid"]
    return uid


def test_there_is_one_dashboard_per_view_with_unique_uids() -> None:
    dashboards = [_load(p) for p in DASHBOARDS]

    assert {p.stem for p in DASHBOARDS} == set(MUST_SHOW)
    assert len({d["uid"] for d in dashboards}) == len(dashboards)
    assert len({d["title"] for d in dashboards}) == len(dashboards)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_is_grafana_dashboard_json(path: Path) -> None:
    dashboard = _load(path)

    assert dashboard["uid"]
    assert len(dashboard["uid"]) <= 40
    assert dashboard["title"]
    assert isinstance(dashboard["schemaVersion"], int)
    assert dashboard["panels"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    for panel in dashboard["panels"]:
        assert panel["title"], panel
        assert panel["type"], panel
        assert set(panel["gridPos"]) == {"x", "y", "w", "h"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        assert panel["datasource"] == {"type": "prometheus", "uid": _datasource_uid()}
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["refId"], panel["title"]
            assert target["expr"].strip(), panel["title"]
            assert target["datasource"] == panel["datasource"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_queries_read_only_series_the_code_registers(path: Path) -> None:
    registered = _registered()
    read: set[str] = set()
    for panel in _load(path)["panels"]:
        for target in panel["targets"]:
            names = metric_names(target["expr"])
            assert names, (panel["title"], target["expr"])
            unknown = {n for n in names if not is_exposed(n, registered)}
            assert not unknown, (panel["title"], unknown)
            read |= names

    assert MUST_SHOW[path.stem] <= read


def test_provisioning_loads_the_dashboards_from_where_they_are_mounted() -> None:
    [provider] = _yaml(GRAFANA / "provisioning/dashboards/support-desk.yaml")["providers"]

    assert provider["type"] == "file"
    assert provider["allowUiUpdates"] is False  # the files are the truth
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards"
