"""Monitoring alerts: Alertmanager's webhook (version 4), the severity map, one decision per alert."""

from __future__ import annotations

import copy
import json
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from intake.domain.alerts import (
    DEFAULT_SEVERITY,
    AlertAction,
    AlertmanagerPayload,
    AlertStatus,
    decide,
    decide_all,
    fingerprints,
    severity_for,
)
from shared.events.vocabulary import Severity

TICKET = UUID("00000000-0000-4000-8000-0000000000aa")

# The shape of Alertmanager's webhook_config body (docs: configuration/#webhook_config),
# as Alertmanager marshals it: RFC 3339 times with nanoseconds, Go's zero time for the
# end of a firing alert, and every documented top-level and per-alert field.
FIRING = json.loads(
    """
{
  "version": "4",
  "groupKey": "{}/{severity=~\\"critical|warning\\"}:{alertname=\\"InstanceDown\\"}",
  "truncatedAlerts": 0,
  "status": "firing",
  "receiver": "support-desk",
  "groupLabels": {"alertname": "InstanceDown"},
  "commonLabels": {"alertname": "InstanceDown", "job": "node"},
  "commonAnnotations": {},
  "externalURL": "http://alertmanager.example.com:9093",
  "alerts": [
    {
      "status": "firing",
      "labels": {"alertname": "InstanceDown", "instance": "db1:9100", "job": "node",
                 "severity": "critical"},
      "annotations": {"summary": "db1 is down",
                      "description": "db1:9100 has been unreachable for more than 5 minutes."},
      "startsAt": "2026-03-04T10:15:30.123456789Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
      "fingerprint": "4f8d3b2a9c1e7d60"
    },
    {
      "status": "firing",
      "labels": {"alertname": "InstanceDown", "instance": "app1:9100", "job": "node",
                 "severity": "warning"},
      "annotations": {"summary": "app1 is down"},
      "startsAt": "2026-03-04T10:16:00Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
      "fingerprint": "a1b2c3d4e5f60718"
    }
  ]
}
"""
)


def resolved(payload: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(payload)
    body["status"] = "resolved"
    for alert in body["alerts"]:
        alert["status"] = "resolved"
        alert["endsAt"] = "2026-03-04T10:45:00.5Z"
    return body


class TestPayload:
    def test_the_documented_shape_parses(self) -> None:
        payload = AlertmanagerPayload.model_validate(FIRING)

        assert payload.group_key.endswith('{alertname="InstanceDown"}')
        assert payload.receiver == "support-desk"
        assert payload.external_url == "http://alertmanager.example.com:9093"
        first = payload.alerts[0]
        assert first.status is AlertStatus.firing
        assert first.ends_at is None  # Go's zero time: still firing
        assert first.starts_at.microsecond == 123456
        assert first.name == "InstanceDown"
        assert fingerprints(payload) == ["4f8d3b2a9c1e7d60", "a1b2c3d4e5f60718"]

    def test_a_resolved_alert_carries_its_end(self) -> None:
        payload = AlertmanagerPayload.model_validate(resolved(FIRING))

        assert payload.alerts[0].ends_at is not None
        assert payload.alerts[0].ends_at.isoformat() == "2026-03-04T10:45:00.500000+00:00"

    @pytest.mark.parametrize(
        "breakage",
        [
            {"version": "3"},
            {"status": "pending"},
            {"alerts": [{"status": "firing", "startsAt": "2026-03-04T10:00:00Z"}]},
            {"alerts": [{**FIRING["alerts"][0], "fingerprint": ""}]},
            {"alerts": [{**FIRING["alerts"][0], "startsAt": "2026-03-04T10:00:00"}]},
        ],
    )
    def test_a_payload_that_is_not_version_4_is_refused(self, breakage: dict[str, Any]) -> None:
        with pytest.raises(ValidationError):
            AlertmanagerPayload.model_validate({**FIRING, **breakage})

    def test_unknown_fields_from_a_newer_alertmanager_are_ignored(self) -> None:
        payload = AlertmanagerPayload.model_validate({**FIRING, "newField": 1})

        assert len(payload.alerts) == 2


class TestSeverity:
    def test_critical_is_critical_by_default(self) -> None:
        assert severity_for({"severity": "critical"}) is Severity.critical
        assert severity_for({"severity": " CRITICAL "}) is Severity.critical

    @pytest.mark.parametrize("labels", [{"severity": "warning"}, {"severity": "info"}, {}])
    def test_anything_else_is_the_default(self, labels: dict[str, str]) -> None:
        assert severity_for(labels) is DEFAULT_SEVERITY is Severity.medium

    def test_the_contracts_map_wins(self) -> None:
        mapping = {"warning": Severity.high, "critical": Severity.high, "P1": Severity.critical}

        assert severity_for({"severity": "warning"}, mapping) is Severity.high
        assert severity_for({"severity": "critical"}, mapping) is Severity.high
        assert severity_for({"severity": "p1"}, mapping) is Severity.critical
        assert severity_for({"severity": "info"}, mapping) is Severity.medium

    def test_the_label_name_is_configurable(self) -> None:
        assert severity_for({"priority": "critical"}, label="priority") is Severity.critical
        assert severity_for({"priority": "critical"}) is Severity.medium


class TestDecision:
    def test_a_firing_alert_opens_a_ticket_with_the_mapped_severity(self) -> None:
        first, second = decide_all(AlertmanagerPayload.model_validate(FIRING), open_tickets={})

        assert (first.action, first.severity, first.ticket_id) == (
            AlertAction.open_ticket,
            Severity.critical,
            None,
        )
        assert first.subject == "[InstanceDown] db1 is down"
        assert "unreachable for more than 5 minutes" in first.text
        assert "instance=db1:9100" in first.text
        assert second.severity is Severity.medium

    def test_a_repeat_adds_to_the_open_ticket(self) -> None:
        payload = AlertmanagerPayload.model_validate(FIRING)
        [repeat, _] = decide_all(payload, open_tickets={"4f8d3b2a9c1e7d60": TICKET})

        assert (repeat.action, repeat.ticket_id, repeat.severity) == (
            AlertAction.add_to_ticket,
            TICKET,
            None,
        )

    def test_a_resolved_alert_comments_on_the_open_ticket(self) -> None:
        payload = AlertmanagerPayload.model_validate(resolved(FIRING))
        [done, orphan] = decide_all(payload, open_tickets={"4f8d3b2a9c1e7d60": TICKET})

        assert (done.action, done.ticket_id) == (AlertAction.comment_resolved, TICKET)
        assert "Resolved at 2026-03-04T10:45:00.500000+00:00" in done.text
        assert orphan.action is AlertAction.ignore
        assert orphan.reason == "resolved alert without an open ticket"

    def test_a_fingerprint_twice_in_one_notification_counts_once(self) -> None:
        body = {**FIRING, "alerts": [FIRING["alerts"][0], FIRING["alerts"][0]]}

        decisions = decide_all(AlertmanagerPayload.model_validate(body), open_tickets={})

        assert [d.action for d in decisions] == [AlertAction.open_ticket]

    def test_an_alert_without_summary_or_name_still_has_a_subject(self) -> None:
        body = {**FIRING["alerts"][0], "labels": {}, "annotations": {}}
        payload = AlertmanagerPayload.model_validate({**FIRING, "alerts": [body]})

        decision = decide(payload.alerts[0], open_ticket=None)

        assert decision.subject == "[4f8d3b2a9c1e7d60] monitoring alert"
        assert decision.severity is Severity.medium
