"""notification's counters: delivery attempts settled, by channel and outcome."""

from __future__ import annotations

from prometheus_client import Counter

DELIVERIES = Counter(
    "notification_deliveries",
    "Delivery attempts settled, by channel and outcome (sent, retrying, failed).",
    ["channel", "outcome"],
)


def record_delivery(channel: str, outcome: str) -> None:
    """Count one settled attempt (a ``pending`` row after a failure is ``retrying``)."""
    DELIVERIES.labels(
        channel=channel, outcome="retrying" if outcome == "pending" else outcome
    ).inc()
