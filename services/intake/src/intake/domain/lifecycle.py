"""The ticket lifecycle: one state machine, every move named, every illegal move explained."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from intake.domain.actors import ActorKind
from intake.domain.model import OutOfScopeReason
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.vocabulary import FINAL_STATUSES, OPEN_STATUSES, Severity, TicketStatus


class Action(StrEnum):
    take = "take"  # new -> in_progress: assigned and taken into work
    wait_for_customer = "wait_for_customer"
    resume = "resume"  # waiting_customer -> in_progress
    resolve = "resolve"
    confirm = "confirm"  # the customer confirms the resolution
    reopen = "reopen"  # the customer objects
    auto_close = "auto_close"  # no objection within the agreed time
    reject_out_of_scope = "reject_out_of_scope"
    close_not_reproducible = "close_not_reproducible"
    close_not_product_issue = "close_not_product_issue"


_AGENT = frozenset({ActorKind.agent})
_CUSTOMER = frozenset({ActorKind.customer})
_SYSTEM = frozenset({ActorKind.system})
_WORKING = frozenset({TicketStatus.in_progress, TicketStatus.waiting_customer})


@dataclass(frozen=True)
class Move:
    sources: frozenset[TicketStatus]
    target: TicketStatus
    by: frozenset[ActorKind]


MOVES: dict[Action, Move] = {
    Action.take: Move(frozenset({TicketStatus.new}), TicketStatus.in_progress, _AGENT),
    Action.wait_for_customer: Move(
        frozenset({TicketStatus.in_progress}), TicketStatus.waiting_customer, _AGENT
    ),
    # The customer's answer resumes a waiting ticket as well as the agent.
    Action.resume: Move(
        frozenset({TicketStatus.waiting_customer}),
        TicketStatus.in_progress,
        _AGENT | _CUSTOMER | _SYSTEM,
    ),
    Action.resolve: Move(_WORKING, TicketStatus.resolved, _AGENT),
    Action.confirm: Move(frozenset({TicketStatus.resolved}), TicketStatus.closed, _CUSTOMER),
    Action.reopen: Move(frozenset({TicketStatus.resolved}), TicketStatus.in_progress, _CUSTOMER),
    Action.auto_close: Move(frozenset({TicketStatus.resolved}), TicketStatus.closed, _SYSTEM),
    Action.reject_out_of_scope: Move(
        frozenset(OPEN_STATUSES), TicketStatus.rejected_out_of_scope, _AGENT
    ),
    Action.close_not_reproducible: Move(_WORKING, TicketStatus.closed_not_reproducible, _AGENT),
    Action.close_not_product_issue: Move(_WORKING, TicketStatus.closed_not_product_issue, _AGENT),
}


def allowed_actions(status: str, actor: ActorKind | None = None) -> list[str]:
    """The moves possible from ``status`` (for ``actor`` if given), in a stable order."""
    return [
        str(action)
        for action, move in MOVES.items()
        if status in move.sources
        and (actor is None or actor in move.by)
        and action != Action.auto_close
    ]


@dataclass(frozen=True)
class Transition:
    action: Action
    from_status: TicketStatus
    to_status: TicketStatus
    reason: str | None
    assignee: str | None


def transition(
    *,
    status: str,
    action: Action,
    actor: ActorKind,
    assignee: str | None = None,
    reason: str | None = None,
    current_assignee: str | None = None,
) -> Transition:
    """Check one move and return it; raise Conflict (with ``allowed``) or Forbidden."""
    move = MOVES[action]
    current = TicketStatus(status)
    if current not in move.sources:
        allowed = allowed_actions(current)
        where = ", ".join(sorted(move.sources))
        raise Conflict(
            f"Cannot {action} a ticket that is {current}: {action} applies only to a ticket "
            f"that is {where}. Allowed now: {', '.join(allowed) or 'nothing (the ticket is final)'}.",
            slug="illegal-transition",
            status_now=str(current),
            allowed=allowed,
        )
    if actor not in move.by:
        who = " or ".join(sorted(move.by - _SYSTEM)) or "the system"
        raise Forbidden(
            f"Only {who} may {action} a ticket; act as {who} or ask them.",
            slug="not-your-move",
            allowed=allowed_actions(current, actor),
        )
    new_assignee = current_assignee
    if action == Action.take:
        if not assignee:
            raise Unprocessable(
                'Taking a ticket into work needs an assignee: send "assignee": "<engineer>".',
                slug="assignee-required",
            )
        new_assignee = assignee
    if action == Action.reject_out_of_scope:
        valid = [str(r) for r in OutOfScopeReason]
        if reason not in valid:
            raise Unprocessable(
                f'Rejecting as out of scope needs one of the rules\' reasons in "reason": '
                f"{', '.join(valid)}.",
                slug="out-of-scope-reason",
                reasons=valid,
            )
    return Transition(
        action=action,
        from_status=current,
        to_status=move.target,
        reason=reason,
        assignee=new_assignee,
    )


def check_severity_change(
    *, status: str, current: str, requested: Severity, actor: ActorKind
) -> None:
    """The customer may lower severity at any time; raising it needs an agent (section 3).

    Whether the tier is served at the severity asked is not decided here: the ticket's
    own policy snapshot caps it (``PolicyDocument.served_severity``).

    "At any time" is read as: while the ticket is not closed. A resolved ticket awaits
    only the customer's confirmation, so it may still be lowered (the clocks stood met;
    a reopening resumes them under the lower severity); raising it waits for a reopening.
    """
    if TicketStatus(status) in FINAL_STATUSES:
        raise Conflict(
            f"The ticket is {status}; severity changes only on a ticket that is not closed.",
            slug="ticket-not-open",
            allowed=allowed_actions(status),
        )
    order = [Severity.medium, Severity.high, Severity.critical]
    old, new = order.index(Severity(current)), order.index(requested)
    if new == old:
        raise Conflict(f"The severity is already {current}.", slug="severity-unchanged")
    if new > old and status == TicketStatus.resolved:
        raise Conflict(
            f"The ticket is resolved; it can be lowered but not raised ({current} -> "
            f"{requested}). Reopen it first if the problem is back.",
            slug="ticket-not-open",
            allowed=allowed_actions(status),
        )
    if new > old and actor != ActorKind.agent:
        raise Forbidden(
            f"A customer may lower severity but not raise it ({current} -> {requested}); "
            "ask the support agent to raise it.",
            slug="severity-raise-needs-agent",
        )


def check_open(status: str, what: str) -> None:
    """Refuse ``what`` on a ticket that is resolved or final."""
    if status not in OPEN_STATUSES:
        raise Conflict(
            f"Cannot {what}: the ticket is {status}. Allowed now: "
            f"{', '.join(allowed_actions(status)) or 'nothing (the ticket is final)'}.",
            slug="ticket-not-open",
            allowed=allowed_actions(status),
        )


def check_corrective_action(status: str) -> None:
    """Corrective actions are recorded while an agent works on the ticket."""
    if status not in (TicketStatus.in_progress, TicketStatus.waiting_customer):
        raise Conflict(
            f"A corrective action is recorded on a ticket in work; this one is {status}. "
            + ("Take it into work first." if status == TicketStatus.new else ""),
            slug="illegal-transition",
            allowed=allowed_actions(status),
        )


def check_escalation(*, status: str, line: int, current_line: int) -> None:
    """Escalate to support line 2 or 3, only upwards, only on an open ticket."""
    check_open(status, f"escalate to line {line}")
    if line not in (2, 3):
        raise Unprocessable("Support lines to escalate to are 2 and 3.", slug="bad-line")
    if line <= current_line:
        raise Conflict(
            f"The ticket is already on support line {current_line}; escalate only upwards "
            f"(to {', '.join(str(n) for n in range(current_line + 1, 4)) or 'nothing: 3 is the top'}).",
            slug="escalation-not-upwards",
            allowed=[n for n in (2, 3) if n > current_line],
        )
