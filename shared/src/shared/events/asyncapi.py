"""The event catalogue as an AsyncAPI 3.0 document, built from the payload models.

Dashboards and other teams build against it; ``python -m shared.events.asyncapi``
writes it to ``docs/asyncapi.json`` and a test keeps that file equal to what the
code produces, and checks that every change to it is additive (fields may be
added, never removed, retyped or made required), as a ``v1`` topic promises.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shared.events import EVENT_TYPES, Envelope, EventData
from shared.events.topics import ALL_TOPICS, CONTRACTS, DLQ, NOTIFICATIONS

_KEY = {CONTRACTS: "customer id"}
_ABOUT = {
    "support.tickets.v1": "Every ticket state change, published by intake.",
    "support.sla.v1": "SLA timer events (scheduled, paused, resumed, stopped, met, recomputed, "
    "unchanged, warning, breached), published by sla-clock; every ticket event is answered.",
    "support.escalations.v1": "Escalations raised on warnings and breaches.",
    "support.contracts.v1": "Customers, contracts, contacts, calendars and releases, "
    "published by entitlement.",
    NOTIFICATIONS: "Delivery outcomes, published by notification.",
    DLQ: "Records a consumer could not process, with dlq_reason, dlq_error, dlq_source and "
    "dlq_consumer headers; the value is the original record.",
}


def _message_name(event_type: str) -> str:
    return event_type.replace(".", "_")


def payload_schema(model: type[EventData]) -> dict[str, Any]:
    """The payload's JSON Schema with every ``$ref`` to its ``$defs`` written out in place.

    Inlined, a payload schema stands alone inside the AsyncAPI document (whose root has
    no ``$defs``) and compares field by field with the released baseline.
    """
    schema = model.model_json_schema(mode="serialization")
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return inline({**defs[ref.removeprefix("#/$defs/")], **rest})
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    result: dict[str, Any] = inline(schema)
    return result


def _headers(event_type: str) -> dict[str, Any]:
    """The record headers of one event type (``shared.messaging.relay.record_headers``)."""
    return {
        "type": "object",
        "properties": {
            "content-type": {
                "const": "application/cloudevents+json",
                "description": "CloudEvents Kafka binding, structured mode: read the value "
                "with a CloudEvents SDK's structured conversion.",
            },
            "ce_type": {"const": event_type, "description": "the event's type, for routing"},
            "ce_id": {"type": "string", "format": "uuid", "description": "the event's id"},
        },
        "required": ["content-type", "ce_type", "ce_id"],
    }


def _message(event_type: str, model: type[EventData]) -> dict[str, Any]:
    """One event type's AsyncAPI message: headers, envelope and payload, Kafka key."""
    payload = payload_schema(model)
    return {
        "name": event_type,
        "title": model.__name__,
        "summary": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
        "contentType": "application/cloudevents+json",
        "headers": _headers(event_type),
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/Envelope"},
                {
                    "type": "object",
                    "properties": {"type": {"const": event_type}, "data": payload},
                    "required": ["data"],
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": _KEY.get(model.TOPIC, "ticket id")},
                "bindingVersion": "0.5.0",
            }
        },
    }


def build() -> dict[str, Any]:
    """The AsyncAPI 3.0.0 document of every registered event type."""
    envelope = Envelope.model_json_schema()
    envelope["properties"].pop("data", None)
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        channels[topic] = {
            "address": topic,
            "description": _ABOUT.get(topic, ""),
            "messages": {},
            "bindings": {"kafka": {"topic": topic, "bindingVersion": "0.5.0"}},
        }
    for event_type, model in sorted(EVENT_TYPES.items()):
        name = _message_name(event_type)
        messages[name] = _message(event_type, model)
        channels[model.TOPIC]["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    operations = {
        f"receive_{topic.replace('.', '_')}": {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{topic.replace('/', '~1')}"},
        }
        for topic in ALL_TOPICS
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Support desk events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 on Kafka, the Kafka protocol binding's structured "
            "mode: the value is the whole event as JSON and the content-type header says "
            "application/cloudevents+json; ce_type and ce_id headers repeat the type and id "
            "for routing without parsing the value. The key keeps one ticket's events in "
            "order. Within a v1 topic, fields are only added.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": {"Envelope": envelope}, "messages": messages},
    }


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


BASELINE = Path(__file__).with_name("baseline-v1.json")


def main() -> None:
    """Write docs/asyncapi.json; with ``--release``, also record the v1 baseline."""
    target = Path("docs/asyncapi.json")
    target.write_text(render())
    sys.stdout.write(f"wrote {target}\n")
    if "--release" in sys.argv:
        BASELINE.write_text(json.dumps(contract_summary(), indent=2, sort_keys=True) + "\n")
        sys.stdout.write(f"wrote {BASELINE}\n")


def contract_summary() -> dict[str, Any]:
    """Per event type: each payload field's schema and the required fields.

    ``baseline-v1.json`` beside this module records it as released; a test fails
    when the code removes a field, changes its schema or requires a new one.
    """
    summary: dict[str, Any] = {}
    for event_type, model in sorted(EVENT_TYPES.items()):
        schema = payload_schema(model)
        summary[event_type] = {
            "topic": model.TOPIC,
            "properties": schema.get("properties", {}),
            "required": sorted(schema.get("required", [])),
        }
    return summary


if __name__ == "__main__":
    main()
