"""The connection budget: its arithmetic, and that the defaults fit two replicas of everything."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from shared.budget import ConnectionBudget, ServerLimit, shortfall, warning
from shared.infra.services import SERVICES
from shared.settings import DatabaseSettings, ServiceSettings

# PostgreSQL's defaults: max_connections 100, superuser_reserved_connections 3.
DEFAULT_SERVER = ServerLimit(max_connections=100, superuser_reserved=3)
# Left for `deskstack init`, migrations and a psql session while everything runs.
SPARE = 5


class TestArithmetic:
    def test_total_is_pool_overflow_and_dedicated(self) -> None:
        budget = ConnectionBudget("x", 4, 2, {"outbox listener": 1, "cache LISTEN": 1})

        assert budget.total == 8
        assert budget.describe() == "pool 4 + overflow 2 + outbox listener 1 + cache LISTEN 1 = 8"

    def test_the_server_keeps_its_reserved_connections(self) -> None:
        assert DEFAULT_SERVER.available == 97
        assert ServerLimit(100, 3, reserved=5).available == 92

    @pytest.mark.parametrize(("replicas", "missing"), [(1, 0), (12, 0), (13, 7), (20, 63)])
    def test_shortfall(self, replicas: int, missing: int) -> None:
        budget = ConnectionBudget("x", 4, 2, {"outbox listener": 1, "cache LISTEN": 1})

        assert shortfall(budget, replicas, DEFAULT_SERVER) == missing

    def test_the_warning_names_the_numbers_and_what_to_change(self) -> None:
        budget = ConnectionBudget("intake", 10, 10, {"outbox listener": 1})

        text = warning(budget, 5, DEFAULT_SERVER, "INTAKE_")

        assert "5 replicas x 21 connections" in text
        assert "= 105, more than the 97" in text
        assert "max_connections 100 - superuser_reserved_connections 3" in text
        assert "INTAKE_DATABASE__POOL_SIZE / INTAKE_DATABASE__MAX_OVERFLOW" in text

    def test_budget_of_settings(self) -> None:
        database = DatabaseSettings(pool_size=3, max_overflow=0)

        assert ConnectionBudget.of("g", database).describe() == "pool 3 + overflow 0 = 3"


class TestReplicasSetting:
    def test_one_by_default(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("REPLICAS", raising=False)

        assert ServiceSettings().replicas == 1

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
            "intake": 7,
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
