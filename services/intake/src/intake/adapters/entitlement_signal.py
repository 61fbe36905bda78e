"""Entitlement's change signal as this process heard it: the versions the read model must reach.

Entitlement runs ``pg_notify`` with ``"<customer id> <version>"`` in the transaction of
every change that can alter a customer's answer (``shared.events.contracts``), so the
signal reaches this process when the change commits, normally before the caller of that
change has its answer, and well before the change's event is consumed. The inbound-mail
listener's connection listens to it too (no connection of its own).

While the connection is down nothing is heard, so the read model is not trusted; after it
comes back, not for ``settle_seconds`` either (a change committed while it was down has
its event on the way by then, and the consumer has applied it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from uuid import UUID

from shared.events.contracts import parse_change_signal
from shared.logging import get_logger

log = get_logger(__name__)


class ChangeSignal:
    """The highest version signalled per customer since the listener last connected."""

    def __init__(
        self,
        *,
        settle_seconds: float = 10.0,
        max_customers: int = 100_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settle = settle_seconds
        self._max = max_customers
        self._monotonic = monotonic
        self._versions: dict[UUID, int] = {}
        self._up_since: float | None = None

    @property
    def versions(self) -> Mapping[UUID, int]:
        """Customer -> the highest version signalled."""
        return self._versions

    @property
    def live(self) -> bool:
        """Whether every change since the model's events could have been missed is known."""
        return self._up_since is not None and self._monotonic() - self._up_since >= self._settle

    def connected(self) -> None:
        """The listener (re)connected: count from now."""
        self._versions.clear()
        self._up_since = self._monotonic()

    def lost(self) -> None:
        """The listener's connection is gone: nothing heard until it is back."""
        self._up_since = None

    def heard(self, payload: str) -> None:
        """Record one signal (a payload without a version distrusts the model for a while)."""
        try:
            customer_id, version = parse_change_signal(payload)
        except ValueError:
            log.warning("unreadable entitlement change signal", payload=payload[:100])
            return
        if version is None:
            # An entitlement too old to send versions: nothing to compare with.
            self.connected()
            return
        if len(self._versions) >= self._max and customer_id not in self._versions:
            self.connected()  # bounded memory: forget, and settle again
        if version > self._versions.get(customer_id, 0):
            self._versions[customer_id] = version
