"""How long a consumer asks the broker to hold an empty fetch: short while records flow.

A fetch wait trades idle CPU against the delay of each hop on a broker that does not
answer a waiting fetch early (Tansu looks again only now and then within the wait;
Apache Kafka answers as soon as records arrive, so there the wait costs no latency).
An idle consumer fetches ``1000 / wait`` times a second, and each empty fetch costs the
broker and the consumer CPU; a consumer that someone waits on wants a short wait.

Both hold if the wait follows the traffic: the short (busy) wait while records arrived
within the last ``busy_seconds``, the long (idle) wait after that. Under load every hop
gets the short wait; an idle stack fetches once per idle wait; the first record after a
quiet spell pays at most the idle wait's delay, once, and its timestamps (a ticket's
creation, a breach's instant) are the event's own, so no deadline moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FetchPace:
    """Picks the fetch wait after each poll: ``busy_ms`` while records flow, else ``idle_ms``."""

    idle_ms: int
    busy_ms: int
    busy_seconds: float
    _last_record: float | None = field(default=None, init=False, repr=False)

    def after_poll(self, had_records: bool, now: float) -> int:
        """The wait for the next fetch, given what this poll returned at ``now`` (monotonic)."""
        if had_records:
            self._last_record = now
        busy = self._last_record is not None and now - self._last_record < self.busy_seconds
        return self.busy_ms if busy else self.idle_ms


def set_fetch_wait(consumer: Any, wait_ms: int) -> None:
    """Make the consumer's next fetch request wait ``wait_ms``.

    aiokafka reads the wait from its fetcher each time it builds a fetch request and
    offers no public setter; the integration test of the pace fails if a release renames
    the attribute, rather than letting every consumer silently keep its first wait.
    """
    fetcher = consumer._fetcher
    if fetcher._fetch_max_wait_ms != wait_ms:
        fetcher._fetch_max_wait_ms = wait_ms
