"""A doorbell for idle consumers: no fetches while nothing is published.

An idle consumer on a broker that holds an empty fetch for its whole wait (Tansu)
still sends one fetch per wait, and each costs the broker and the consumer CPU: four
consumers waiting a second were most of an idle stack's CPU. Every record the platform
publishes leaves through an outbox relay, which commits each round in PostgreSQL. So a
relay that publishes to a topic after a quiet spell (nothing to that topic for
:data:`RELAY_QUIET_SECONDS`) says so with a ``NOTIFY`` on :data:`CHANNEL` (the
topics, comma-separated) in the round's transaction, delivered when it commits: after
the broker acked the records.

A consumer whose process listens on that channel (the relay's listener connection)
pauses its partitions once it has had no record for ``quiet_seconds``, and sleeps
until the bell rings for one of its topics, its listener's connection ends, the
safety net runs out, or the process stops. Then it resumes and fetches at once. The
net is ``safety_seconds`` after any activity (a record, a ring), and doubles each time
it runs out with nothing to show, up to six times that (10 s -> 20, 40, 60 s): each
fetch it brings costs an idle Tansu more than a heartbeat does. A consumer that does
not hear the bell (no listener in its process, or its connection down) never pauses:
it fetches as before.

Why no record is missed for long: a relay publishes without ringing only within
:data:`RELAY_QUIET_SECONDS` of its previous publication to the same topic, which rang
or followed one that did. A consumer that got those records stays awake for
``quiet_seconds`` after the last one (more than the relay's quiet spell plus a fetch
wait), so it is awake for the next. A record written to a topic by anything other
than a relay (a tool, a test) waits at most for the safety net (stretched while idle).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from shared.periodic import QUIET_STRETCH, QuietStretch

CHANNEL = "kafka_published"
RELAY_QUIET_SECONDS = 1.0


class RelayBell:
    """The relay's side: which topics of a round to ring for (those quiet until now)."""

    def __init__(self, quiet_seconds: float = RELAY_QUIET_SECONDS) -> None:
        self._quiet = quiet_seconds
        self._last: dict[str, float] = {}

    def to_ring(self, topics: Iterable[str], now: float | None = None) -> list[str]:
        """The topics published to now that had nothing from this relay for a while."""
        now = time.monotonic() if now is None else now
        published = set(topics)  # read once: the relay hands over a generator
        quiet = sorted(t for t in published if now - self._last.get(t, -1e18) > self._quiet)
        self._last.update(dict.fromkeys(published, now))
        return quiet


class Doorbell:
    """The consumer's side: when to pause, and what wakes it."""

    def __init__(
        self, topics: Iterable[str], *, quiet_seconds: float = 5.0, safety_seconds: float = 10.0
    ) -> None:
        self._topics = frozenset(topics)
        self.quiet_seconds = quiet_seconds
        self.net = QuietStretch(safety_seconds, longest=safety_seconds * QUIET_STRETCH)
        self._rung = asyncio.Event()
        self.listening = False  # True while a connection listens on CHANNEL for us
        self._last_record = time.monotonic()
        self.sleeps = 0  # how many times the consumer paused (tests, metrics)

    def heard(self, payload: str) -> None:
        """A relay rang: wake the consumer if the payload names one of its topics."""
        if not self._topics.isdisjoint(payload.split(",")):
            self.net.heard()
            self._rung.set()

    def hearing(self, listening: bool) -> None:
        """The listening connection started (True) or ended (False). Ended: stop
        sleeping, and fetch as before until it is back."""
        self.listening = listening
        if not listening:
            self._rung.set()

    @property
    def safety_seconds(self) -> float:
        """How long the next sleep lasts at most (stretched after empty safety wakes)."""
        return self.net.current()

    def records_seen(self, now: float | None = None) -> None:
        self._last_record = time.monotonic() if now is None else now
        self.net.heard()

    def should_sleep(self, now: float | None = None) -> bool:
        """After an empty poll: pause now? Not while deaf, not within the quiet spell,
        and not if the bell rang since the last sleep (that ring is consumed instead)."""
        now = time.monotonic() if now is None else now
        if not self.listening or now - self._last_record < self.quiet_seconds:
            return False
        if self._rung.is_set():
            self._rung.clear()
            return False
        return True

    async def sleep(self, consumer: Any, stop: asyncio.Event) -> None:
        """Pause every assigned partition until the bell, deafness, the safety net or
        ``stop``; then resume them (aiokafka's fetcher waits on each paused partition's
        resumption, so it fetches at once)."""
        partitions = set(consumer.assignment())
        consumer.pause(*partitions)
        self.sleeps += 1
        # aiokafka's fetcher also looks at its partitions every consumer_timeout_ms (a
        # second here); paused, a resumption wakes it, so it need not (no public setting).
        fetcher: Any = getattr(consumer, "_fetcher", None)
        looks = getattr(fetcher, "_fetcher_timeout", None)
        net = self.safety_seconds
        if looks is not None:
            fetcher._fetcher_timeout = max(looks, net)
        try:
            rung = asyncio.ensure_future(self._rung.wait())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait((rung, stopping), timeout=net, return_when=asyncio.FIRST_COMPLETED)
            for waiter in (rung, stopping):
                waiter.cancel()
            if self._rung.is_set():  # records are coming: awake for a quiet spell again
                self._rung.clear()
                self._last_record = time.monotonic()
            elif not stop.is_set():  # the net ran out: if nothing comes, the next is longer
                self.net.after(quiet=True)
        finally:
            if looks is not None:
                fetcher._fetcher_timeout = looks
            consumer.resume(*(set(consumer.assignment()) & partitions))
