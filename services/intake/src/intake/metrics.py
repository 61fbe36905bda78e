"""intake's series: tickets registered by channel, and the work queue by line on scrape.

Labels are bounded (channel, tier, severity, line); never a ticket or a customer.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Gauge

from intake.adapters.queries import queue_by_line
from intake.domain.ticket import Ticket
from shared.observability.metrics import Sampler

TICKETS_OPENED = Counter(
    "intake_tickets_opened",
    "Tickets registered, by the channel they came in on, tier and severity.",
    ["channel", "tier", "severity"],
)
QUEUE = Gauge(
    "intake_queue_tickets",
    "Tickets in the work queue (new or in progress), by the support line holding them.",
    ["line"],
)
LINES = ("1", "2", "3")
ENTITLEMENT_CHECKS = Counter(
    "intake_entitlement_checks",
    "Entitlement checks by where the answer came from (read_model, or http after a fallback "
    "named by reason: unknown, ambiguous, no_answer, signal_down, behind, expired, error).",
    ["source", "reason"],
)


def count_opened(ticket: Ticket) -> None:
    """Count one registered ticket (a replayed Idempotency-Key returns the old one: not counted)."""
    TICKETS_OPENED.labels(
        channel=str(ticket.channel), tier=str(ticket.tier), severity=str(ticket.severity)
    ).inc()


def queue_sampler(runtime: Any) -> Sampler:
    """Set the queue gauge, one query per scrape; a line with nothing queued reads 0."""

    async def sample() -> None:
        if runtime.engine is None:
            return
        async with runtime.engine.connect() as conn:
            counts = await queue_by_line(conn)
        for line in LINES:
            QUEUE.labels(line=line).set(counts.get(line, 0))

    return sample
