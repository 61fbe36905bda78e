"""Inbound-event handlers of escalation and the registry the consumer dispatches on."""

from collections.abc import Mapping, Sequence

from shared.events import EVENT_TYPES, topics
from shared.messaging.consumer import Handler
from shared.observed import record_observed

TOPICS = [topics.SLA, topics.TICKETS]
sla_types = [t for t, m in EVENT_TYPES.items() if m.TOPIC == topics.SLA]
ticket_types = [t for t, m in EVENT_TYPES.items() if m.TOPIC == topics.TICKETS]

HANDLERS: Mapping[str, Sequence[Handler]] = {
    event_type: [record_observed] for event_type in [*sla_types, *ticket_types]
}
