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

import time
from dataclasses import dataclass, field
from typing import Any

from aiokafka.consumer.fetcher import FetchResult


@dataclass
class FetchPace:
    """Picks each fetch's wait: ``busy_ms`` while records flow, else ``idle_ms``."""

    idle_ms: int
    busy_ms: int
    busy_seconds: float
    _last_record: float | None = field(default=None, init=False, repr=False)

    def after_poll(self, had_records: bool, now: float) -> int:
        """The wait of the fetch planned at ``now`` (monotonic), given whether records came in."""
        if had_records:
            self._last_record = now
        busy = self._last_record is not None and now - self._last_record < self.busy_seconds
        return self.busy_ms if busy else self.idle_ms


def pace_fetches(consumer: Any, pace: FetchPace) -> None:
    """Have a started aiokafka consumer's fetcher choose each request's wait by ``pace``.

    The choice must be made where the request is built: when a fetch brings records, the
    fetcher at once sends the next fetch for the other partitions, before anyone polls,
    and a request sent with the idle wait would hold the next record for up to that
    long. aiokafka builds every request in ``Fetcher._get_actions_per_node`` from
    ``_fetch_max_wait_ms`` and keeps fetched records in ``_records`` until they are
    consumed; it has no public hook for either, so this wraps the method on the
    instance. The integration test of the pace fails if a release renames them, rather
    than letting every consumer silently keep its first wait.
    """
    fetcher = consumer._fetcher
    plan = fetcher._get_actions_per_node

    def paced_plan(assignment: Any) -> Any:
        has_records = any(isinstance(r, FetchResult) for r in fetcher._records.values())
        fetcher._fetch_max_wait_ms = pace.after_poll(has_records, time.monotonic())
        return plan(assignment)

    fetcher._get_actions_per_node = paced_plan
