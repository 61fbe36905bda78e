"""What the agents' desk shows, computed without I/O (docs/web.md, "Agent workspace").

The page handlers in :mod:`gateway.web.desk` read the queue, a ticket, its SLA view
and comments from the ``/api/v1`` routes as the signed-in staff member and hand the
JSON here: which moves the ticket allows now, how the queue is filtered, how its
history reads, and the API call each move makes are decided in this module, so they
are unit-tested without a browser, a database or a service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from gateway.web.portal_view import local_time, parse_instant

OPEN = ("new", "in_progress", "waiting_customer", "resolved")
"""Intake's open statuses (``shared.events.vocabulary.OPEN_STATUSES``)."""
WORKING = ("in_progress", "waiting_customer")
LINES = (1, 2, 3)
TIERS = ("premium", "extended", "standard", "basic")
SEVERITIES = ("critical", "high", "medium")
CORRECTIVE_KINDS = ("solution", "workaround", "action_plan")
OUT_OF_SCOPE_REASONS = (
    "user_hardware_or_software_setup",
    "third_party_system",
    "violated_technical_requirements",
    "guest_os_setup",
    "digital_signature_keys",
    "digital_signature_in_third_party_systems",
    "digital_signature_integration",
    "product_development",
    "user_data_entry",
    "legal_advice",
)
"""intake's ``OutOfScopeReason`` (the rules, section 6): the reasons an agent may name."""


class Move(StrEnum):
    """An agent's move on a ticket, as the desk offers it (one form each)."""

    take = "take"
    wait = "wait"
    resume = "resume"
    corrective = "corrective"
    resolve = "resolve"
    escalate = "escalate"
    reject_out_of_scope = "reject_out_of_scope"
    close_not_reproducible = "close_not_reproducible"
    close_not_product_issue = "close_not_product_issue"
    comment = "comment"


CLOSINGS = (Move.reject_out_of_scope, Move.close_not_reproducible, Move.close_not_product_issue)
"""The three excluded closings (the rules, section 6), each with its reason."""

_TRANSITION = {
    Move.wait: "wait_for_customer",
    Move.resume: "resume",
    Move.resolve: "resolve",
    Move.reject_out_of_scope: "reject_out_of_scope",
    Move.close_not_reproducible: "close_not_reproducible",
    Move.close_not_product_issue: "close_not_product_issue",
}
"""The desk's moves that are intake lifecycle actions (``POST tickets/{id}/transitions``)."""

_FROM: dict[Move, tuple[str, ...]] = {
    Move.wait: ("in_progress",),
    Move.resume: ("waiting_customer",),
    Move.corrective: WORKING,
    Move.resolve: WORKING,
    Move.escalate: OPEN[:3],
    Move.reject_out_of_scope: OPEN,
    Move.close_not_reproducible: WORKING,
    Move.close_not_product_issue: WORKING,
    Move.comment: OPEN,
}
"""Where each move applies: intake's ``lifecycle.MOVES`` seen from an agent."""


def is_mine(ticket: Mapping[str, Any], me: Iterable[str]) -> bool:
    """Whether the ticket's assignee names the signed-in member (id, email or name)."""
    return bool(ticket.get("assignee")) and ticket.get("assignee") in set(me)


def allowed_moves(ticket: Mapping[str, Any], *, me: Iterable[str]) -> list[Move]:
    """The agent's moves possible on ``ticket`` now, in the order the page shows them.

    Take is a new ticket's move into work, or, on a ticket in work that is someone
    else's, the hand-over to oneself. Escalation goes upwards only (line 3 is the
    top) and not on a resolved ticket. When intake's answer lists ``allowed_actions``,
    a lifecycle move it does not list is not offered.
    """
    status = str(ticket.get("status", ""))
    line = int(ticket.get("support_line") or 1)
    listed = ticket.get("allowed_actions")
    moves: list[Move] = []
    if status == "new" or (status in WORKING and not is_mine(ticket, me)):
        moves.append(Move.take)
    for move in Move:
        if move is Move.take or status not in _FROM[move]:
            continue
        if move is Move.escalate and line >= LINES[-1]:
            continue
        action = _TRANSITION.get(move)
        if action and isinstance(listed, list) and action not in listed:
            continue
        moves.append(move)
    return moves


def escalation_lines(ticket: Mapping[str, Any]) -> list[int]:
    """The lines the ticket may be escalated to (upwards only)."""
    line = int(ticket.get("support_line") or 1)
    return [n for n in LINES if n > line and n >= 2]


@dataclass(frozen=True)
class Call:
    """One ``/api/v1`` call a move makes: method, path below ``/api/v1``, JSON body."""

    path: str
    body: dict[str, Any]


def move_call(move: Move, ticket: Mapping[str, Any], fields: Mapping[str, str], *, me: str) -> Call:
    """The API call of ``move`` on ``ticket`` from the posted ``fields``.

    Raises:
        ValueError: ``move`` is not one of the desk's (the page answers 404).
    """
    tid = ticket["id"]
    text = fields.get("body", "").strip()
    reason = fields.get("reason", "").strip()
    if move is Move.take:
        if ticket.get("status") == "new":
            return Call(f"tickets/{tid}/transitions", {"action": "take", "assignee": me})
        return Call(f"tickets/{tid}/assignment", {"assignee": me})
    if move is Move.comment:
        public = fields.get("visibility", "internal") == "public"
        return Call(f"tickets/{tid}/comments", {"body": text, "public": public})
    if move is Move.corrective:
        kind = fields.get("kind", "")
        return Call(f"tickets/{tid}/corrective-actions", {"kind": kind, "summary": text})
    if move is Move.escalate:
        body: dict[str, Any] = {"line": _line(fields.get("line", ""))}
        if text:
            body["reason"] = text
        return Call(f"tickets/{tid}/escalations", body)
    action = _TRANSITION.get(move)
    if action is None:
        raise ValueError(move)
    change: dict[str, Any] = {"action": action}
    if move is Move.reject_out_of_scope:
        change["reason"] = reason
    elif text:
        change["reason"] = text
    return Call(f"tickets/{tid}/transitions", change)


def _line(raw: str) -> int:
    """The posted line; 0 when it is not a number (intake refuses it with its words)."""
    return int(raw) if raw.isdigit() else 0


def parse_move(raw: str) -> Move | None:
    """The move a form names in its path, or None for anything else."""
    try:
        return Move(raw)
    except ValueError:
        return None


# ---------------------------------------------------------------- the queue


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters, from the page's GET form (blank means any)."""

    line: int | None = None
    tier: str | None = None
    severity: str | None = None
    assignee: str | None = None  # "me", "none" or an assignee as intake names it

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> QueueFilter:
        """The filters of a query string; an unknown value is no filter at all."""
        line = query.get("line", "")
        return cls(
            line=int(line) if line.isdigit() and int(line) in LINES else None,
            tier=query.get("tier") if query.get("tier") in TIERS else None,
            severity=query.get("severity") if query.get("severity") in SEVERITIES else None,
            assignee=(query.get("assignee") or "").strip()[:200] or None,
        )

    def api_assignee(self, me: str) -> str | None:
        """The ``assignee`` query parameter of ``GET /api/v1/queue`` (intake filters it)."""
        if self.assignee in (None, "none"):
            return None
        return me if self.assignee == "me" else self.assignee

    def admits(self, item: Mapping[str, Any]) -> bool:
        """Whether a queue item passes the filters intake's queue route does not apply."""
        if self.line is not None and int(item.get("support_line") or 1) != self.line:
            return False
        if self.tier is not None and item.get("tier") != self.tier:
            return False
        if self.severity is not None and item.get("severity") != self.severity:
            return False
        return not (self.assignee == "none" and item.get("assignee"))


def queue_rows(
    items: Iterable[Mapping[str, Any]],
    chosen: QueueFilter,
    *,
    me: Iterable[str],
    now: datetime,
    tz: ZoneInfo,
    lang: str,
) -> list[dict[str, Any]]:
    """The queue's rows in intake's order (the programme's: tier, severity, deadline)."""
    mine = set(me)
    rows = []
    for item in items:
        if not chosen.admits(item):
            continue
        due = parse_instant(item.get("next_due_at"))
        rows.append(
            {
                "id": item["id"],
                "number": item.get("registration_number", ""),
                "subject": item.get("subject", ""),
                "tier": item.get("tier", ""),
                "severity": item.get("severity", ""),
                "status": item.get("status", ""),
                "line": int(item.get("support_line") or 1),
                "assignee": item.get("assignee") or "",
                "mine": bool(item.get("assignee")) and item.get("assignee") in mine,
                "due": local_time(due, tz, lang) if due else "",
                "due_iso": due.isoformat() if due else "",
                "overdue": bool(item.get("breached")) or (due is not None and due <= now),
            }
        )
    return rows


# ---------------------------------------------------------------- the history


def history(
    events: Iterable[Mapping[str, Any]], *, tz: ZoneInfo, lang: str
) -> list[dict[str, Any]]:
    """Every event of the ticket, oldest first: when, what, who, and the move's details.

    The events are sla-clock's record of the ticket's topic (``GET tickets/{id}/sla``):
    every event intake published for it, in the order it was consumed.
    """
    rows = []
    for event in events:
        kind = str(event.get("type", ""))
        rows.append(
            {
                "when": local_time(event.get("occurred_at"), tz, lang),
                "at": event.get("occurred_at") or "",
                "type": kind,
                "action": event.get("action") or "",
                "who": who(event.get("actor")),
                "status": event.get("status") or "",
                "line": event.get("line"),
                "assignee": event.get("assignee") or "",
                "reason": event.get("reason") or "",
            }
        )
    return rows


def who(actor: object) -> str:
    """An actor label as intake writes it (``agent:Name``, ``customer:a@b``) as a name."""
    if not actor:
        return ""
    kind, _, name = str(actor).partition(":")
    return name or kind
