"""Event contracts of the platform: the envelope, topics and typed payloads."""

from shared.events import contracts, escalations, mail, notifications, premium, sla, tickets
from shared.events.base import EVENT_TYPES, Envelope, EventData, new_id
from shared.events.topics import ALL_TOPICS

__all__ = [
    "ALL_TOPICS",
    "EVENT_TYPES",
    "Envelope",
    "EventData",
    "contracts",
    "escalations",
    "mail",
    "new_id",
    "notifications",
    "premium",
    "sla",
    "tickets",
]
