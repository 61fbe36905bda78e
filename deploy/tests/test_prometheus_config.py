"""deploy/prometheus parses and agrees with the platform (promtool is not available here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY

import escalation.metrics
import notification.metrics
import shared.observability.metrics
import sla_clock.metrics
from deskstack.services import ROOT, SERVICES

HERE = ROOT / "deploy" / "prometheus"
DOC = ROOT / "docs" / "observability.md"
# What an expression may name that is not a metric: PromQL functions, keywords, label names.
PROMQL = {"and", "or", "unless", "by", "without", "offset", "sum", "deriv", "increase", "rate"}
LOADED = (shared.observability.metrics, sla_clock.metrics, notification.metrics, escalation.metrics)


def _yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def _exposed() -> set[str]:
    """Every series name the platform's metric modules can expose (labelled ones included)."""
    assert LOADED
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
    return {
        family.name + suffix
        for family in REGISTRY.collect()
        for suffix in ("", *suffixes.get(family.type, ()))
    }


def _rules() -> list[dict[str, Any]]:
    return [rule for group in _yaml(HERE / "alerts.yml")["groups"] for rule in group["rules"]]


class TestScrapeConfig:
    def test_scrapes_every_replica_of_every_process_on_its_port(self) -> None:
        config = _yaml(HERE / "prometheus.yml")
        # DNS discovery: a compose service name answers with each replica's address.
        targets = {
            f"{name}:{sd['port']}"
            for job in config["scrape_configs"]
            for sd in job["dns_sd_configs"]
            for name in sd["names"]
        }

        assert targets == {f"{s.name}:{s.port}" for s in SERVICES}
        assert all("static_configs" not in job for job in config["scrape_configs"])
        assert all(
            sd["type"] == "A" for job in config["scrape_configs"] for sd in job["dns_sd_configs"]
        )
        assert all(job["metrics_path"] == "/metrics" for job in config["scrape_configs"])
        assert config["rule_files"] == ["alerts.yml"]

    def test_every_series_is_labelled_with_its_service(self) -> None:
        jobs = {job["job_name"]: job for job in _yaml(HERE / "prometheus.yml")["scrape_configs"]}

        [by_name] = jobs["services"]["relabel_configs"]
        assert by_name == {"source_labels": ["__meta_dns_name"], "target_label": "service"}
        [fixed] = jobs["gateway"]["relabel_configs"]
        assert fixed == {"target_label": "service", "replacement": "gateway"}

    def test_the_gateway_job_sends_an_admin_key_and_the_services_job_none(self) -> None:
        jobs = {job["job_name"]: job for job in _yaml(HERE / "prometheus.yml")["scrape_configs"]}

        assert jobs["gateway"]["authorization"]["type"] == "Bearer"
        # docker-compose.yml mounts the compose secret made from ADMIN_API_KEY there.
        assert jobs["gateway"]["authorization"]["credentials_file"] == (
            "/run/secrets/gateway-admin-key"
        )
        assert "authorization" not in jobs["services"]


class TestAlertRules:
    def test_each_rule_is_complete(self) -> None:
        rules = _rules()

        assert {r["alert"] for r in rules} >= {
            "SlaBreachesRising",
            "OutboxBacklogGrowing",
            "ConsumerLagHigh",
        }
        for rule in rules:
            assert set(rule) >= {"alert", "expr", "labels", "annotations"}, rule["alert"]
            assert rule["labels"]["severity"] in {"page", "warn"}
            assert rule["annotations"]["summary"]

    @pytest.mark.parametrize("rule", _rules(), ids=lambda r: r["alert"])
    def test_expressions_name_only_metrics_the_platform_exposes(self, rule: dict[str, Any]) -> None:
        expr = re.sub(r'\{[^}]*\}|"[^"]*"|\[[^\]]*\]|\b\d+[smhdwy]\b', "", rule["expr"])
        names = set(re.findall(r"[a-z_][a-z0-9_]*", expr)) - PROMQL
        labels = {"service", "consumer", "topic", "kind", "line"}

        assert names - labels <= _exposed(), rule["alert"]

    @pytest.mark.parametrize("rule", _rules(), ids=lambda r: r["alert"])
    def test_each_runbook_points_at_a_section_of_the_doc(self, rule: dict[str, Any]) -> None:
        anchor = rule["annotations"]["runbook"].partition("#")[2]
        headings = re.findall(r"^#+ (.+)$", DOC.read_text(), flags=re.MULTILINE)

        assert anchor in {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}
