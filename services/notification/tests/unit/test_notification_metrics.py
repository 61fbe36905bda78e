"""Delivery counters by channel and outcome."""

from __future__ import annotations

from prometheus_client import REGISTRY

from notification.metrics import record_delivery


def _count(channel: str, outcome: str) -> float:
    labels = {"channel": channel, "outcome": outcome}
    return REGISTRY.get_sample_value("notification_deliveries_total", labels) or 0.0


class TestRecordDelivery:
    def test_a_pending_row_after_an_attempt_counts_as_retrying(self) -> None:
        before = _count("webhook", "retrying"), _count("webhook", "sent")

        record_delivery("webhook", "pending")
        record_delivery("webhook", "sent")

        assert (_count("webhook", "retrying"), _count("webhook", "sent")) == (
            before[0] + 1,
            before[1] + 1,
        )
