"""The connection budget's arithmetic (the platform's defaults: deploy/tests/test_platform_budget.py)."""

from __future__ import annotations

import pytest

from shared.budget import ConnectionBudget, ServerLimit, shortfall, warning
from shared.settings import DatabaseSettings, ServiceSettings

# PostgreSQL's defaults: max_connections 100, superuser_reserved_connections 3.
DEFAULT_SERVER = ServerLimit(max_connections=100, superuser_reserved=3)


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
