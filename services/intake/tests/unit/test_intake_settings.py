"""intake's settings: its prefixed variables win over the platform's."""

from __future__ import annotations

import pytest


class TestSettings:
    def test_service_prefixed_variables_win(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from intake.config import Settings

        monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/x")
        monkeypatch.setenv("INTAKE_DATABASE__URL", "postgresql://u@other:5432/y")
        monkeypatch.setenv("INTAKE_KAFKA__ENABLE_IDEMPOTENCE", "true")

        settings = Settings()

        assert settings.database.url == "postgresql+asyncpg://u@other:5432/y"
        assert settings.kafka.enable_idempotence is True
