"""Replay a ticket history given as data under any policy and schedule (nothing stored).

The history becomes the same ticket events intake would publish, and they run through
the same ``step`` the live path applies (:mod:`sla_clock.domain.explain`), so a
simulation and a live ticket with the same history end the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

from shared.errors import Unprocessable
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, TicketStatus, Tier
from sla_clock.domain.clock import TicketFact, iso
from sla_clock.domain.explain import explain, replay
from sla_clock.domain.timers import parse_event

__all__ = ["STEPS", "simulate", "with_schedule"]

_NS = UUID("0b7c1d9e-3f42-4a8e-9d55-2c6f6a1e7b10")

STEPS: dict[str, TicketStatus | None] = {
    "taken_into_work": TicketStatus.in_progress,
    "waiting": TicketStatus.waiting_customer,
    "resumed": TicketStatus.in_progress,
    "resolved": TicketStatus.resolved,
    "reopened": TicketStatus.in_progress,
    "closed": TicketStatus.closed,
    "closed_not_reproducible": TicketStatus.closed_not_reproducible,
    "closed_not_product_issue": TicketStatus.closed_not_product_issue,
    "rejected_out_of_scope": TicketStatus.rejected_out_of_scope,
    "severity_changed": None,
    "tier_changed": None,
    "corrective_action": None,
}
"""The history steps a simulation accepts, and the status each status move goes to."""


def with_schedule(policy: PolicyDocument, tier: Tier, schedule: dict[str, Any]) -> PolicyDocument:
    """Return ``policy`` with ``tier`` (and only it) on ``schedule``."""
    data = policy.model_dump(mode="json")
    data.setdefault("schedules", {})[tier.value] = schedule
    return PolicyDocument.model_validate(data)


class _History:
    """The ticket events a history given as data stands for, in order."""

    def __init__(self, ticket_id: UUID, *, tier: Tier, severity: Severity) -> None:
        self.ticket_id = ticket_id
        self.facts: list[TicketFact] = []
        self.status, self.tier, self.severity = TicketStatus.new, tier, severity

    def add(self, type_: str, at: datetime, **data: Any) -> None:
        n = len(self.facts)
        payload = {"ticket_id": str(self.ticket_id), "occurred_at": at.isoformat(), **data}
        self.facts.append(
            TicketFact(
                event_id=uuid5(_NS, f"{self.ticket_id}/{n}"),
                type=type_,
                occurred_at=at,
                event=parse_event(type_, payload),
            )
        )

    def step(self, item: dict[str, Any], n: int) -> None:
        """Add the event of one history step (a status move, a regrade, an action)."""
        kind, at = item["kind"], item["at"]
        target = STEPS.get(kind)
        if target is not None:
            self.add(
                "ticket.status_changed",
                at,
                from_status=self.status.value,
                to_status=target.value,
                status=target.value,
                reason=item.get("reason"),
            )
            self.status = target
        elif kind == "severity_changed":
            new = Severity(_need(item, "severity", n))
            self.add(
                "ticket.severity_changed",
                at,
                severity=new.value,
                previous_severity=self.severity.value,
            )
            self.severity = new
        elif kind == "tier_changed":
            new_tier = Tier(_need(item, "tier", n))
            self.add(
                "ticket.tier_changed",
                at,
                tier=new_tier.value,
                previous_tier=self.tier.value,
                severity=item.get("severity"),
                policy=item.get("policy"),
            )
            self.tier = new_tier
        elif kind == "corrective_action":
            self.add("ticket.corrective_action_recorded", at, kind=item.get("action") or "solution")


def _facts(
    *,
    ticket_id: UUID,
    tier: Tier,
    severity: Severity,
    received_at: datetime,
    policy: PolicyDocument,
    history: Sequence[dict[str, Any]],
) -> list[TicketFact]:
    served, capped = policy.served_severity(tier, severity)
    events = _History(ticket_id, tier=tier, severity=served)
    events.add(
        "ticket.created",
        received_at,
        registration_number="SIM",
        channel="api",
        subject="simulation",
        tier=tier.value,
        severity=served.value,
        received_at=received_at.isoformat(),
        policy=policy.model_dump(mode="json"),
        policy_version=policy.version,
        severity_capped=capped,
        status="new",
    )
    for n, item in enumerate(history):
        events.step(item, n)
    return events.facts


def _need(item: dict[str, Any], key: str, n: int) -> Any:
    if item.get(key) is None:
        raise Unprocessable(
            f"history[{n}] ({item['kind']}) needs '{key}'.", slug="invalid-history", field=key
        )
    return item[key]


def simulate(
    *,
    tier: Tier,
    severity: Severity,
    received_at: datetime,
    policy: PolicyDocument,
    history: Sequence[dict[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    """Run ``history`` under ``policy``; answer each timer's due, outcome and explanation."""
    ticket_id = uuid4()
    try:
        facts = _facts(
            ticket_id=ticket_id,
            tier=tier,
            severity=severity,
            received_at=received_at,
            policy=policy,
            history=history,
        )
        result = replay(facts)
        assert result is not None, "the history starts with its ticket.created"
        body = explain(result, now=now)
    except KeyError as exc:
        raise Unprocessable(
            f"{exc.args[0] if exc.args else exc}; add the tier to the policy or pick another.",
            slug="no-target",
            field="tier",
        ) from exc
    except ValueError as exc:
        raise Unprocessable(
            f"The history cannot be replayed: {exc}", slug="invalid-history", field="history"
        ) from exc
    body["received_at"] = iso(received_at)
    body.pop("ticket_id", None)
    return body
