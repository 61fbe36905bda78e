"""The platform's connection budget: every process's defaults, summed over what the deploys
run, fit the PostgreSQL they ask for (docs/database.md, "Connection budget")."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
import yaml

from deskstack.services import LISTENERS, OPTIONAL, ROOT, SERVICES, by_name
from shared.budget import ConnectionBudget, ServerLimit, shortfall

# PostgreSQL's defaults: max_connections 100, superuser_reserved_connections 3.
DEFAULT_SERVER = ServerLimit(max_connections=100, superuser_reserved=3)
# What the deploys ask for: docker-compose.yml's PostgreSQL runs with it, and
# docs/deploy.md asks it of the cluster's (REPLICAS 4 of every service and the mail).
DEPLOY_SERVER = ServerLimit(max_connections=200, superuser_reserved=3)
# Left for `deskstack init`, migrations and a psql session while everything runs.
SPARE = 5
PROCESSES = [s.name for s in (*SERVICES, *LISTENERS, *OPTIONAL)]


class TestReplicasSetting:
    def test_platform_wide_and_per_service(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from intake.config import Settings as IntakeSettings
        from notification.config import Settings as NotificationSettings

        monkeypatch.setenv("REPLICAS", "2")
        monkeypatch.setenv("INTAKE_REPLICAS", "3")
        monkeypatch.setenv("INTAKE_DATABASE__POOL_SIZE", "7")
        monkeypatch.setenv("INTAKE_DATABASE__MAX_OVERFLOW", "0")

        intake = IntakeSettings()
        assert (intake.replicas, intake.database.pool_size, intake.database.max_overflow) == (
            3,
            7,
            0,
        )
        assert NotificationSettings().replicas == 2


def _default_budgets(monkeypatch: pytest.MonkeyPatch) -> dict[str, ConnectionBudget]:
    """Each process's budget as its own code declares it, with default settings."""
    for name in ("DATABASE_URL", "REPLICAS"):
        monkeypatch.delenv(name, raising=False)
    budgets: dict[str, ConnectionBudget] = {}
    for spec in SERVICES:
        config = importlib.import_module(f"{spec.module}.config")
        settings: Any = config.Settings()
        if spec.name == "gateway":
            from gateway.app import connection_budget

            budgets[spec.name] = connection_budget(settings)
            continue
        app = importlib.import_module(f"{spec.module}.app").create_app(settings)
        budgets[spec.name] = app.state.runtime.connection_budget()
    # A service's other processes (intake smtp, intake imap) declare theirs in their module.
    for process in (*LISTENERS, *OPTIONAL):
        module = by_name(process.service).module
        settings = importlib.import_module(f"{module}.config").Settings()
        own = importlib.import_module(f"{module}.{process.subcommand}")
        budgets[process.name] = own.connection_budget(settings)
    return budgets


def _needed(budgets: dict[str, ConnectionBudget], replicas: dict[str, int]) -> int:
    assert replicas.keys() == budgets.keys()  # every process counted, none unknown
    return sum(count * budgets[name].total for name, count in replicas.items())


def _cluster_replicas() -> dict[str, int]:
    """The most pods of each process the Kubernetes base runs: an autoscaler's maximum,
    else the Deployment's count; the IMAP poller as an overlay that enables it (1)."""
    docs = [
        doc
        for path in sorted((ROOT / "deploy/k8s/base/processes").glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]
    counts = {
        d["metadata"]["name"]: d["spec"]["replicas"] for d in docs if d["kind"] == "Deployment"
    }
    for hpa in (d for d in docs if d["kind"] == "HorizontalPodAutoscaler"):
        counts[hpa["spec"]["scaleTargetRef"]["name"]] = hpa["spec"]["maxReplicas"]
    for optional in OPTIONAL:
        assert counts[optional.name] == 0
        counts[optional.name] = 1
    return counts


class TestPlatformDefaults:
    def test_each_process_counts_its_listeners(self, monkeypatch: pytest.MonkeyPatch) -> None:
        budgets = _default_budgets(monkeypatch)

        assert {name: b.total for name, b in budgets.items()} == {
            "entitlement": 8,  # pool 4 + overflow 2 + outbox listener + cache LISTEN
            "intake": 8,  # + the inbound mail processor's LISTEN
            "sla-clock": 7,
            "escalation": 7,
            "notification": 8,  # + the delivery worker's LISTEN
            "gateway": 7,  # no relay; the key-change listener
            "intake-smtp": 2,  # pool 1 + overflow 1: one short commit per message
            "intake-imap": 2,  # the same: it stores one message at a time
        }

    def test_two_replicas_of_every_service_fit_in_the_default_server(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        budgets = _default_budgets(monkeypatch)

        # The services alone still fit PostgreSQL's stock server, with the spare.
        replicas = {s.name: 2 for s in SERVICES} | {p.name: 0 for p in (*LISTENERS, *OPTIONAL)}

        needed = _needed(budgets, replicas)

        assert needed == 90
        assert needed + SPARE <= DEFAULT_SERVER.available, needed
        assert all(shortfall(b, 2, DEFAULT_SERVER) == 0 for b in budgets.values())

    def test_with_the_mail_processes_the_default_server_is_too_small(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Why the deploys ask for more than PostgreSQL's stock 100 (docs/database.md)."""
        budgets = _default_budgets(monkeypatch)

        # The cluster's floor: two of every Deployment, the one poller of a mailbox.
        floor = _needed(budgets, dict.fromkeys(PROCESSES, 2) | {p.name: 1 for p in OPTIONAL})

        assert floor == 96
        assert floor + SPARE > DEFAULT_SERVER.available

    def test_the_cluster_at_its_autoscalers_maximum_fits_the_server_it_asks_for(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        budgets = _default_budgets(monkeypatch)
        replicas = _cluster_replicas()
        guide = (ROOT / "docs/deploy.md").read_text()

        needed = _needed(budgets, replicas)

        assert needed == 186  # 4 x 45 for the services, 2 x 2 listeners, 1 x 2 poller
        assert needed + SPARE <= DEPLOY_SERVER.available, needed
        assert f"`max_connections` of at least {DEPLOY_SERVER.max_connections}" in guide

    def test_compose_postgres_takes_four_of_every_service_and_the_mail(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        budgets = _default_budgets(monkeypatch)
        compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        [setting] = re.findall(
            r"max_connections=(\d+)", " ".join(compose["services"]["postgres"]["command"])
        )
        # The listener publishes its port and the poller is one per mailbox: one of each.
        replicas = {s.name: 4 for s in SERVICES} | {p.name: 1 for p in (*LISTENERS, *OPTIONAL)}

        needed = _needed(budgets, replicas)

        assert int(setting) == DEPLOY_SERVER.max_connections
        assert needed + SPARE <= DEPLOY_SERVER.available, needed
