"""The doorbell's rules, without I/O: when a relay rings, when a consumer may sleep."""

from __future__ import annotations

from shared.messaging.doorbell import Doorbell, RelayBell


class TestRelayBell:
    def test_rings_for_a_topic_after_a_quiet_spell_only(self) -> None:
        bell = RelayBell(quiet_seconds=1.0)
        assert bell.to_ring(["t1", "t2", "t1"], now=100.0) == ["t1", "t2"]
        assert bell.to_ring(["t1"], now=100.5) == []  # within the spell: the consumer is awake
        assert bell.to_ring(["t1", "t2"], now=101.2) == ["t2"]  # t1 published at 100.5
        assert bell.to_ring(["t1"], now=103.0) == ["t1"]

    def test_topics_handed_over_as_a_generator_are_remembered_too(self) -> None:
        """The relay passes ``row["topic"] for row in rows``: read once, it must still
        count as published, or every round would ring."""
        bell = RelayBell(quiet_seconds=1.0)
        rows = [{"topic": "t1"}, {"topic": "t1"}]
        assert bell.to_ring((row["topic"] for row in rows), now=100.0) == ["t1"]
        assert bell.to_ring((row["topic"] for row in rows), now=100.1) == []


class TestDoorbell:
    def _bell(self) -> Doorbell:
        bell = Doorbell(["support.sla.v1"], quiet_seconds=5.0, safety_seconds=10.0)
        bell.records_seen(now=0.0)
        return bell

    def test_a_consumer_that_does_not_hear_the_bell_never_sleeps(self) -> None:
        bell = self._bell()
        assert bell.should_sleep(now=60.0) is False
        bell.hearing(True)
        assert bell.should_sleep(now=60.0) is True

    def test_no_sleep_within_the_quiet_spell_after_a_record(self) -> None:
        bell = self._bell()
        bell.hearing(True)
        assert bell.should_sleep(now=4.9) is False
        bell.records_seen(now=4.9)
        assert bell.should_sleep(now=9.0) is False
        assert bell.should_sleep(now=10.0) is True

    def test_a_ring_heard_while_awake_costs_one_more_poll_before_sleeping(self) -> None:
        bell = self._bell()
        bell.hearing(True)
        bell.heard("support.tickets.v1")  # not one of its topics
        assert bell.should_sleep(now=10.0) is True
        bell.heard("support.tickets.v1,support.sla.v1")
        assert bell.should_sleep(now=10.0) is False  # the ring is consumed instead
        assert bell.should_sleep(now=10.0) is True

    def test_losing_the_connection_stops_sleep(self) -> None:
        bell = self._bell()
        bell.hearing(True)
        bell.hearing(False)
        assert bell.listening is False
        assert bell.should_sleep(now=60.0) is False
