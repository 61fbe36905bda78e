"""Monitoring alerts (premium): the Alertmanager webhook, its severity mapping, one decision per alert.

Pure code. The payload is Alertmanager's ``webhook_config`` body, version 4, as its
documentation gives it (camelCase names kept on the wire). Each alert is decided on its
own, by its ``fingerprint``: Alertmanager sends a group again on every change and every
``repeat_interval``, so the same alert arrives many times, and only the first firing one
for which no ticket is open opens a ticket.

Severity: the contract maps values of the ``severity`` label to the programme's
severities. Without a mapping for the value, ``critical`` means critical and anything
else, or no label at all, means ``medium``: Prometheus rules commonly say ``warning`` or
``info`` for what is not an outage, and an agent can always raise a ticket, while a desk
flooded with critical tickets from warnings would page engineers at night for nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from shared.events.premium import TicketAlertReceived
from shared.events.vocabulary import Severity

__all__ = [
    "DEFAULT_SEVERITY",
    "DEFAULT_SEVERITY_LABEL",
    "AlertAction",
    "AlertDecision",
    "AlertStatus",
    "AlertmanagerAlert",
    "AlertmanagerPayload",
    "alert_event",
    "decide",
    "decide_all",
    "fingerprints",
    "severity_for",
]

DEFAULT_SEVERITY_LABEL = "severity"
DEFAULT_SEVERITY = Severity.medium
"""The severity of an alert whose label value the contract does not map (and is not
``critical``)."""

_BUILT_IN: Mapping[str, Severity] = {"critical": Severity.critical}
_ZERO_TIME_YEAR = 1  # Go's zero time.Time: "0001-01-01T00:00:00Z" means "not ended yet"


class AlertStatus(StrEnum):
    """An alert's (or a group's) state as Alertmanager reports it."""

    firing = "firing"
    resolved = "resolved"


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class AlertmanagerAlert(_Wire):
    """One alert of a notification."""

    status: AlertStatus
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    starts_at: AwareDatetime = Field(alias="startsAt")
    ends_at: AwareDatetime | None = Field(default=None, alias="endsAt")
    generator_url: str = Field(default="", alias="generatorURL")
    fingerprint: str = Field(min_length=1, max_length=128)

    @field_validator("ends_at")
    @classmethod
    def _zero_is_none(cls, value: datetime | None) -> datetime | None:
        """Read Go's zero time, which a firing alert carries, as "no end yet"."""
        if value is not None and value.year == _ZERO_TIME_YEAR:
            return None
        return value

    @property
    def name(self) -> str:
        """Return the alert's name (the ``alertname`` label), or its fingerprint."""
        return self.labels.get("alertname") or self.fingerprint


class AlertmanagerPayload(_Wire):
    """The body of a ``webhook_config`` notification (``version: "4"``)."""

    version: Literal["4"]
    group_key: str = Field(alias="groupKey")
    truncated_alerts: int = Field(default=0, ge=0, alias="truncatedAlerts")
    status: AlertStatus
    receiver: str
    group_labels: dict[str, str] = Field(default_factory=dict, alias="groupLabels")
    common_labels: dict[str, str] = Field(default_factory=dict, alias="commonLabels")
    common_annotations: dict[str, str] = Field(default_factory=dict, alias="commonAnnotations")
    external_url: str = Field(default="", alias="externalURL")
    alerts: list[AlertmanagerAlert] = Field(max_length=1000)


class AlertAction(StrEnum):
    """What intake does with one alert."""

    open_ticket = "open_ticket"
    add_to_ticket = "add_to_ticket"
    comment_resolved = "comment_resolved"
    ignore = "ignore"


@dataclass(frozen=True)
class AlertDecision:
    """The decision on one alert and what the ticket (new or open) is told."""

    action: AlertAction
    fingerprint: str
    ticket_id: UUID | None
    severity: Severity | None
    subject: str
    text: str
    reason: str | None = None


def severity_for(
    labels: Mapping[str, str],
    mapping: Mapping[str, Severity] | None = None,
    *,
    label: str = DEFAULT_SEVERITY_LABEL,
) -> Severity:
    """Map an alert's severity label through the contract's map (values compared lower-case).

    The contract's map wins; without an entry, ``critical`` is critical and anything else
    (``warning``, ``info``, a missing label) is :data:`DEFAULT_SEVERITY`.
    """
    value = labels.get(label, "").strip().lower()
    contract = {k.strip().lower(): Severity(v) for k, v in (mapping or {}).items()}
    return contract.get(value) or _BUILT_IN.get(value) or DEFAULT_SEVERITY


def decide(
    alert: AlertmanagerAlert,
    *,
    open_ticket: UUID | None,
    mapping: Mapping[str, Severity] | None = None,
    label: str = DEFAULT_SEVERITY_LABEL,
) -> AlertDecision:
    """Decide one alert, given the open ticket already opened for its fingerprint (if any).

    A firing alert opens a ticket or, repeated, adds to the open one; a resolved alert
    comments on the open ticket; a resolved alert without one (it resolved after the
    ticket closed, or fired before the contract) is ignored, with the reason.
    """
    firing = alert.status is AlertStatus.firing
    subject = _subject(alert)
    if firing and open_ticket is None:
        action, severity = AlertAction.open_ticket, severity_for(alert.labels, mapping, label=label)
    elif firing:
        action, severity = AlertAction.add_to_ticket, None
    elif open_ticket is not None:
        action, severity = AlertAction.comment_resolved, None
    else:
        return AlertDecision(
            action=AlertAction.ignore,
            fingerprint=alert.fingerprint,
            ticket_id=None,
            severity=None,
            subject=subject,
            text=_text(alert),
            reason="resolved alert without an open ticket",
        )
    return AlertDecision(
        action=action,
        fingerprint=alert.fingerprint,
        ticket_id=open_ticket,
        severity=severity,
        subject=subject,
        text=_text(alert),
    )


def decide_all(
    payload: AlertmanagerPayload,
    *,
    open_tickets: Mapping[str, UUID],
    mapping: Mapping[str, Severity] | None = None,
    label: str = DEFAULT_SEVERITY_LABEL,
) -> list[AlertDecision]:
    """Decide every alert of a notification; a fingerprint seen twice in it counts once."""
    seen: set[str] = set()
    decisions: list[AlertDecision] = []
    for alert in payload.alerts:
        if alert.fingerprint in seen:
            continue
        seen.add(alert.fingerprint)
        ticket = open_tickets.get(alert.fingerprint)
        decisions.append(decide(alert, open_ticket=ticket, mapping=mapping, label=label))
    return decisions


def alert_event(
    decision: AlertDecision,
    alert: AlertmanagerAlert,
    *,
    payload: AlertmanagerPayload,
    ticket_id: UUID,
    customer_id: UUID,
) -> TicketAlertReceived:
    """Return the ticket event that records a decided alert (never an ignored one)."""
    if decision.action is AlertAction.ignore:
        raise ValueError("an ignored alert is not recorded on a ticket")
    return TicketAlertReceived(
        ticket_id=ticket_id,
        customer_id=customer_id,
        fingerprint=alert.fingerprint,
        action=decision.action.value,
        alert_status=alert.status.value,
        alert_name=alert.labels.get("alertname"),
        severity=decision.severity.value if decision.severity else None,
        group_key=payload.group_key,
        starts_at=alert.starts_at,
        ends_at=alert.ends_at,
    )


def _subject(alert: AlertmanagerAlert) -> str:
    summary = alert.annotations.get("summary", "").strip()
    return f"[{alert.name}] {summary}" if summary else f"[{alert.name}] monitoring alert"


def _text(alert: AlertmanagerAlert) -> str:
    lines = [f"Alert {alert.name} is {alert.status} (fingerprint {alert.fingerprint})."]
    lines.append(f"Started at {alert.starts_at.isoformat()}.")
    if alert.ends_at is not None and alert.status is AlertStatus.resolved:
        lines.append(f"Resolved at {alert.ends_at.isoformat()}.")
    if description := alert.annotations.get("description", "").strip():
        lines.append(description)
    labels = ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items()))
    if labels:
        lines.append(f"Labels: {labels}.")
    if alert.generator_url:
        lines.append(f"Source: {alert.generator_url}")
    return "\n".join(lines)


def fingerprints(payload: AlertmanagerPayload) -> Sequence[str]:
    """Return the payload's distinct fingerprints, for one lookup of the open tickets."""
    return list(dict.fromkeys(a.fingerprint for a in payload.alerts))
