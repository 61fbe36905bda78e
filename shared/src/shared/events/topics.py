"""The platform's Kafka topics; keyed topics are keyed by ticket id (or customer id)."""

from __future__ import annotations

TICKETS = "support.tickets.v1"
SLA = "support.sla.v1"
ESCALATIONS = "support.escalations.v1"
CONTRACTS = "support.contracts.v1"
NOTIFICATIONS = "support.notifications.v1"
MAIL = "support.mail.v1"
DLQ = "support.dlq.v1"

ALL_TOPICS: tuple[str, ...] = (TICKETS, SLA, ESCALATIONS, CONTRACTS, NOTIFICATIONS, MAIL, DLQ)
# The default partition count (KAFKA_TOPIC_PARTITIONS sets it for a new cluster). The
# count of an existing keyed topic must never change: it would remap keys and
# break per-ticket ordering. Change it only with a new topic version.
PARTITIONS = 6
