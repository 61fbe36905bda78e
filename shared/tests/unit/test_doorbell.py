"""The doorbell's rules, without I/O: when a relay rings, when a consumer may sleep."""

from __future__ import annotations

import asyncio

import pytest

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


class _Consumer:
    """What ``Doorbell.sleep`` touches of an aiokafka consumer."""

    def __init__(self) -> None:
        self.paused: set[str] = set()

    def assignment(self) -> set[str]:
        return {"p0"}

    def pause(self, *parts: str) -> None:
        self.paused |= set(parts)

    def resume(self, *parts: str) -> None:
        self.paused -= set(parts)


class TestSafetyNetStretch:
    """The net doubles each time it runs out with nothing to show, up to six times itself;
    a record or a ring brings it back (each fetch it brings costs an idle broker)."""

    @pytest.mark.asyncio
    async def test_empty_wakes_stretch_it_and_a_record_or_a_ring_resets_it(self) -> None:
        bell = Doorbell(["t"], quiet_seconds=5.0, safety_seconds=0.01)
        bell.records_seen()
        consumer, stop = _Consumer(), asyncio.Event()
        nets = []
        for _ in range(5):
            nets.append(bell.safety_seconds)
            await bell.sleep(consumer, stop)
        # After a record the first net is the base; then 2x, 4x, and at most 6x.
        assert nets == pytest.approx([0.01, 0.01, 0.02, 0.04, 0.06])
        assert not consumer.paused  # resumed after each
        bell.records_seen()
        assert bell.safety_seconds == pytest.approx(0.01)
        for _ in range(3):
            await bell.sleep(consumer, stop)
        assert bell.safety_seconds > 0.01
        bell.heard("t")
        assert bell.safety_seconds == pytest.approx(0.01)
        await bell.sleep(consumer, stop)  # the ring ends this sleep at once
        assert bell.safety_seconds == pytest.approx(0.01)

    @pytest.mark.asyncio
    async def test_a_stop_does_not_stretch_it(self) -> None:
        bell = Doorbell(["t"], safety_seconds=0.05)
        stop = asyncio.Event()
        stop.set()
        await bell.sleep(_Consumer(), stop)
        await bell.sleep(_Consumer(), stop)
        assert bell.safety_seconds == pytest.approx(0.05)
