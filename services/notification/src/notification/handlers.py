"""Inbound-event handlers of notification and the registry the consumer dispatches on."""

from collections.abc import Mapping, Sequence

from shared.events import EVENT_TYPES, topics
from shared.messaging.consumer import Handler
from shared.observed import record_observed

TOPICS = [topics.TICKETS, topics.SLA, topics.ESCALATIONS, topics.CONTRACTS]

HANDLERS: Mapping[str, Sequence[Handler]] = {
    event_type: [record_observed] for event_type in list(EVENT_TYPES)
}
