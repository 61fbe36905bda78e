"""The fetch wait follows the traffic: short while records flow, long when idle."""

from __future__ import annotations

from shared.messaging.fetch_pace import FetchPace


class TestFetchPace:
    def test_a_consumer_that_has_seen_nothing_waits_the_idle_wait(self) -> None:
        assert FetchPace(1000, 100, 2.0).after_poll(False, now=50.0) == 1000

    def test_records_shorten_the_wait_until_a_quiet_spell_passes(self) -> None:
        pace = FetchPace(1000, 100, 2.0)
        assert pace.after_poll(True, now=10.0) == 100
        assert pace.after_poll(False, now=11.9) == 100  # still within the busy spell
        assert pace.after_poll(False, now=12.0) == 1000  # two quiet seconds: idle again
        assert pace.after_poll(True, now=30.0) == 100  # the next record: busy again

    def test_each_record_extends_the_busy_spell(self) -> None:
        pace = FetchPace(1000, 100, 2.0)
        pace.after_poll(True, now=10.0)
        pace.after_poll(True, now=11.5)
        assert pace.after_poll(False, now=13.0) == 100
        assert pace.after_poll(False, now=13.5) == 1000
