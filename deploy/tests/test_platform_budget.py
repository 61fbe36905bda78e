"""The platform's connection budget: every process's defaults fit two replicas of everything."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from deskstack.services import SERVICES
from shared.budget import ConnectionBudget, ServerLimit, shortfall

# PostgreSQL's defaults: max_connections 100, superuser_reserved_connections 3.
DEFAULT_SERVER = ServerLimit(max_connections=100, superuser_reserved=3)
# Left for `deskstack init`, migrations and a psql session while everything runs.
SPARE = 5


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
    return budgets


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
        }

    def test_two_replicas_of_everything_fit_in_the_default_server(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        budgets = _default_budgets(monkeypatch)

        needed = sum(2 * b.total for b in budgets.values())

        assert needed + SPARE <= DEFAULT_SERVER.available, needed
        assert all(shortfall(b, 2, DEFAULT_SERVER) == 0 for b in budgets.values())
