"""The downstream half of issue 27's latency goals, measured at a quarter of capacity.

Half of the quarter phase's tickets come from a premium customer whose contract carries
a 24x7 policy with a response target of a few seconds, so each of them breaches during
the run: sla-clock announces ``sla.timer.breached``, escalation answers with
``escalation.raised``, and notification mails the people it names and announces
``notification.sent`` (as it does for every ticket's acknowledgement). One observer on
the four topics sees each event; the lags are the gaps between the records' own
timestamps (each event's publication), so the observer's fetch wait is on neither end:

- breach -> ``escalation.raised``: a ticket's response breach to its escalation;
- event -> ``notification.sent``: a notification's source event (``source_event_id``:
  a ticket's creation, an escalation) to its ``notification.sent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.events.topics import ESCALATIONS, NOTIFICATIONS, SLA, TICKETS
from shared.testing.builders import make_contact, make_tiny_policy_customer
from shared.testing.observer import Seen
from stackcost.load import SCHEDULED

TOPICS = [TICKETS, SLA, ESCALATIONS, NOTIFICATIONS]
RESPONSE_TARGET = "3s"  # breaches a few seconds into the phase, and all within its wait
BREACHED = "sla.timer.breached"
RAISED = "escalation.raised"
SENT = "notification.sent"


async def breaching_customer(admin: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    """A customer API key, and a ticket body, whose tickets breach their response target."""
    customer = await make_tiny_policy_customer(admin, response=RESPONSE_TARGET, resolution="1h")
    contact = await make_contact(admin, customer["id"])
    r = await admin.post(
        "/api/v1/api-keys",
        json={"name": "stack-cost-breach", "role": "customer", "customer_id": customer["id"]},
    )
    r.raise_for_status()
    body = {
        "contact_email": contact["email"],
        "subject": "Benchmark breach",
        "severity": "critical",
    }
    key = str(r.json()["key"])
    # One ticket first, as the main phase warms up: the key's, the contact's and the
    # contract's first lookups are not what the phase measures.
    as_customer = {"Authorization": f"Bearer {key}"}
    (await admin.post("/api/v1/tickets", json=body, headers=as_customer)).raise_for_status()
    return key, body


@dataclass
class Chain:
    """What the observer saw downstream of the breaching tickets."""

    breach_lags: list[float] = field(default_factory=list)  # seconds
    sent_lags: list[float] = field(default_factory=list)
    sent_lags_by_source: dict[str, list[float]] = field(default_factory=dict)  # event type
    breached: int = 0
    unescalated: int = 0  # breached, and no escalation.raised seen


def _first(seen: list[Seen], kind: str, subjects: set[str]) -> dict[str, float]:
    first: dict[str, float] = {}
    for s in seen:
        response = kind != BREACHED or s.data.get("timer") == "response"
        if s.type == kind and s.subject in subjects and response:
            first.setdefault(s.subject, s.published_at)
    return first


def chain_of(seen: list[Seen], tickets: set[str]) -> Chain:
    """The lags of ``tickets``' breaches and of every notification whose source was seen."""
    breached = _first(seen, BREACHED, tickets)
    raised = _first(seen, RAISED, tickets)
    arrived = {str(s.value.get("id")): s for s in seen}
    by_source: dict[str, list[float]] = {}
    for s in seen:
        source = arrived.get(str(s.data.get("source_event_id"))) if s.type == SENT else None
        if source is not None:
            by_source.setdefault(source.type, []).append(s.published_at - source.published_at)
    return Chain(
        breach_lags=[raised[t] - at for t, at in breached.items() if t in raised],
        sent_lags=[lag for lags in by_source.values() for lag in lags],
        sent_lags_by_source=by_source,
        breached=len(breached),
        unescalated=len(breached.keys() - raised.keys()),
    )


CREATED = "ticket.created"


def hops(seen: list[Seen], sent: dict[str, float]) -> tuple[list[float], list[float]]:
    """POST -> timer in its two halves, per ticket: the POST's send instant to its
    ``ticket.created``'s publication (gateway, intake, intake's relay), and that to the
    first ``sla.timer.scheduled``'s (the broker hop to sla-clock, sla-clock, its relay)."""
    created = _first(seen, CREATED, set(sent))
    timer = _first(seen, SCHEDULED, set(sent))
    admitted = [created[t] - at for t, at in sent.items() if t in created]
    announced = [timer[t] - created[t] for t in created.keys() & timer.keys()]
    return admitted, announced


def escalated(tickets: set[str]) -> Callable[[Seen], bool]:
    """Matches the ``escalation.raised`` of one of ``tickets``."""
    return lambda s: s.type == RAISED and s.subject in tickets
