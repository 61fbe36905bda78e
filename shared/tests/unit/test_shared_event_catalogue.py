"""The event catalogue: AsyncAPI document up to date, and v1 payloads only ever grow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.events import EVENT_TYPES
from shared.events.asyncapi import BASELINE, build, contract_summary, render
from shared.events.topics import ALL_TOPICS

DOC = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.json"


def test_published_document_matches_the_code() -> None:
    assert DOC.read_text() == render(), "run: .venv/bin/python -m shared.events.asyncapi"


def test_every_event_type_is_a_message_on_its_topic() -> None:
    doc = build()

    assert doc["asyncapi"] == "3.0.0"
    assert set(doc["channels"]) == set(ALL_TOPICS)
    for event_type, model in EVENT_TYPES.items():
        name = event_type.replace(".", "_")
        assert name in doc["components"]["messages"]
        assert name in doc["channels"][model.TOPIC]["messages"]


_NOT_CONSTRAINTS = {"title", "description", "examples"}


def _narrows(before: Any, now: Any) -> bool:
    """Whether every value ``now`` admits was admitted ``before`` (a reader-safe change).

    A v1 reader was written against ``before``; a writer may tighten a field (a free string
    becomes one of the vocabulary's names, a free object becomes a typed document) without
    breaking it, but never loosen, retype or drop a constraint.
    """
    if before == now:
        return True
    if not isinstance(before, dict) or not isinstance(now, dict):
        return False
    if "anyOf" in before or "anyOf" in now:
        options_before, options_now = before.get("anyOf", [before]), now.get("anyOf", [now])
        return all(any(_narrows(b, n) for b in options_before) for n in options_now)
    for key, value in before.items():
        if key in _NOT_CONSTRAINTS:
            continue
        if key == "additionalProperties" and value is True:
            continue
        if key not in now or not _narrows(value, now[key]):
            return False
    return True


def _breaking_changes(baseline: dict[str, Any], current: dict[str, Any]) -> list[str]:
    problems = []
    for event_type, before in baseline.items():
        now = current.get(event_type)
        if now is None:
            problems.append(f"{event_type}: removed")
            continue
        if now["topic"] != before["topic"]:
            problems.append(f"{event_type}: moved to {now['topic']}")
        for field, schema in before["properties"].items():
            if field not in now["properties"]:
                problems.append(f"{event_type}.{field}: removed")
            elif not _narrows(schema, now["properties"][field]):
                problems.append(f"{event_type}.{field}: schema changed")
        for field in set(now["required"]) - set(before["required"]):
            problems.append(f"{event_type}.{field}: newly required")
    return problems


def test_v1_payloads_changed_only_additively() -> None:
    baseline = json.loads(BASELINE.read_text())

    assert _breaking_changes(baseline, contract_summary()) == []


def test_the_check_sees_a_removed_retyped_or_newly_required_field() -> None:
    baseline = {
        "x.happened": {
            "topic": "t",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {}},
            "required": ["a"],
        }
    }
    current = {
        "x.happened": {
            "topic": "t",
            "properties": {"a": {"type": "integer"}, "c": {}, "d": {}},
            "required": ["a", "c"],
        }
    }

    assert _narrows({"type": "string"}, {"type": "string", "enum": ["a", "b"]})
    assert _narrows({"type": "object", "additionalProperties": True}, {"type": "object"})
    assert not _narrows({"type": "string", "format": "uuid"}, {"type": "string"})
    assert sorted(_breaking_changes(baseline, current)) == [
        "x.happened.a: schema changed",
        "x.happened.b: removed",
        "x.happened.c: newly required",
    ]
