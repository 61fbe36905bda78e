"""escalation's settings: a breach is escalated with the short fetch wait while events flow."""

from __future__ import annotations

import pytest

from escalation.config import Settings


class TestSettings:
    def test_the_consumer_waits_250_ms_while_busy_and_the_platform_wait_when_idle(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        mine = Settings().consumer_kafka()
        assert (mine.fetch_busy_wait_ms, mine.fetch_max_wait_ms) == (250, 1000)
        monkeypatch.setenv("ESCALATION_CONSUMER_FETCH_WAIT_MS", "100")
        monkeypatch.setenv("ESCALATION_KAFKA__FETCH_BUSY_SECONDS", "5")
        mine = Settings().consumer_kafka()
        assert (mine.fetch_busy_wait_ms, mine.fetch_busy_seconds) == (100, 5.0)

    def test_it_yields_the_cores_to_the_request_path_on_a_shared_machine(self) -> None:
        assert Settings().cpu_nice == 10
