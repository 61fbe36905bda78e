"""The entitlement-check cache: answers from memory, kept fresh by the service's own writes.

Every write that can change an answer (customer, contact, contract, calendar) runs
``pg_notify`` in its own transaction, so PostgreSQL delivers the customer id to every
replica exactly when (and only if) the change commits; the writing replica also drops
its entries right after its commit, so it reads its own writes. Entries hold the
customer's row and *all* its contracts, and the tier is resolved per request, so the
passing of time (contract ends, warranty ends) needs no invalidation.

Safety nets: while the listener connection is down the cache is off (every check goes to
the database) and it is emptied when the listener comes back (notifications may have been
missed); an entry lives at most ``ttl`` seconds; a lookup that raced a change is not
stored (the generation counter moved while it read).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared import pgconnect
from shared.events.contracts import CHANGE_CHANNEL, parse_change_signal
from shared.logging import get_logger

log = get_logger(__name__)

CHANNEL = CHANGE_CHANNEL


@dataclass(frozen=True)
class Entry:
    """One cached lookup: the row the check query returned, and when it was read."""

    customer_id: UUID
    row: Any
    stored_at: float


class EntitlementCache:
    """Lookups by contact key (``e:<email>`` / ``c:<chat id>``), dropped per customer."""

    def __init__(self, *, ttl: float = 30.0, max_entries: int = 200_000) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._entries: dict[str, Entry] = {}
        self._by_customer: dict[UUID, set[str]] = {}
        self.generation = 0
        # When each customer (or everything) was last invalidated, so that a read that
        # raced a change of *its* customer is not stored; other customers' changes don't
        # spoil it.
        self._invalidated: dict[UUID, int] = {}
        self._cleared = 0
        self.enabled = False
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        """Return the cached row for ``key``, or None."""
        if not self.enabled:
            return None
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry.stored_at > self._ttl:
            self.misses += 1
            return None
        self.hits += 1
        return entry.row

    def put(self, key: str, customer_id: UUID, row: Any, *, generation: int) -> None:
        """Store a row read while the generation was ``generation`` (else drop it)."""
        if (
            not self.enabled
            or self._cleared > generation
            or self._invalidated.get(customer_id, -1) > generation
        ):
            return
        if len(self._entries) >= self._max:
            self.clear()
        self._entries[key] = Entry(customer_id, row, time.monotonic())
        self._by_customer.setdefault(customer_id, set()).add(key)

    def invalidate(self, customer_ids: Iterable[UUID]) -> None:
        """Drop every entry of these customers."""
        self.generation += 1
        if len(self._invalidated) > self._max:
            self._invalidated.clear()
            self._cleared = self.generation
        for customer_id in customer_ids:
            self._invalidated[customer_id] = self.generation
            for key in self._by_customer.pop(customer_id, ()):
                self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop everything."""
        self.generation += 1
        self._cleared = self.generation
        self._invalidated.clear()
        self._entries.clear()
        self._by_customer.clear()

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            self.invalidate([parse_change_signal(payload)[0]])
        except ValueError:
            self.clear()

    async def listen(self, url: str, stop: asyncio.Event, *, check_seconds: float = 2.0) -> None:
        """Hold a LISTEN connection until ``stop``; the cache is on only while it holds."""
        while not stop.is_set():
            conn: Any = None
            try:
                conn = await pgconnect.connect(url, timeout=5)
                await conn.add_listener(CHANNEL, self._on_notify)
                self.clear()  # anything cached before may have missed notifications
                self.enabled = True
                while not stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=check_seconds)
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), timeout=check_seconds)
            except Exception as exc:
                if not stop.is_set():
                    log.warning(
                        "entitlement cache listener lost; checks go to the database",
                        error=repr(exc),
                    )
            finally:
                self.enabled = False
                self.clear()
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await conn.close()
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=1.0)
