"""sla-clock's settings: its consumer fetches with its own wait while records flow."""

from __future__ import annotations

import pytest

from shared.settings import ServiceSettings


class TestSettings:
    def test_a_consumer_on_a_waited_for_path_fetches_with_its_own_busy_wait(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from sla_clock.config import Settings as SlaSettings

        monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k:9092")
        sla = SlaSettings()
        mine = sla.consumer_kafka()
        assert (mine.fetch_busy_wait_ms, mine.fetch_max_wait_ms) == (50, 1000)  # idle: 1 s
        assert sla.consumer_kafka().bootstrap_servers == "k:9092"
        monkeypatch.setenv("SLA_CLOCK_CONSUMER_FETCH_WAIT_MS", "30")
        assert SlaSettings().consumer_kafka().fetch_busy_wait_ms == 30
        plain = ServiceSettings()
        assert plain.consumer_kafka() is plain.kafka  # no wait of its own: the platform's

    def test_it_keeps_its_priority_a_ticket_s_deadlines_are_waited_for(self) -> None:
        from sla_clock.config import Settings as SlaSettings

        assert SlaSettings().cpu_nice == 0
