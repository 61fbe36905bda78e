"""On-site visits within the Moscow ring road (premium, business): a small checked workflow.

A visit is requested on a ticket, scheduled (and rescheduled) by an agent, then done or
cancelled. The moves are a table, like the ticket lifecycle's, and every refusal names
what is allowed now. The platform cannot geocode an address, so the requester states
that it lies within the ring road and the engineer checks it when scheduling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from intake.domain.actors import ActorKind
from intake.domain.premium import require_feature
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.premium import (
    VisitCancelled,
    VisitDone,
    VisitEventData,
    VisitRequested,
    VisitScheduled,
)
from shared.events.vocabulary import Feature

__all__ = [
    "MAX_TIME_SPENT",
    "VISIT_MOVES",
    "Visit",
    "VisitStatus",
    "VisitStep",
    "advance_visit",
    "allowed_visit_steps",
    "request_visit",
    "visit_event",
]

MAX_TIME_SPENT = timedelta(days=7)
_ADDRESS_LENGTH = (5, 500)


class VisitStatus(StrEnum):
    """Where a visit stands."""

    requested = "requested"
    scheduled = "scheduled"
    done = "done"
    cancelled = "cancelled"


class VisitStep(StrEnum):
    """A move of a visit after its request."""

    schedule = "schedule"  # also reschedules a scheduled visit
    complete = "complete"
    cancel = "cancel"


@dataclass(frozen=True)
class VisitMove:
    """Where a step may start, where it leads, who takes it and what it needs."""

    sources: frozenset[VisitStatus]
    target: VisitStatus
    by: frozenset[ActorKind]
    required: tuple[str, ...]


_S = VisitStatus
_AGENT = frozenset({ActorKind.agent})
VISIT_MOVES: dict[VisitStep, VisitMove] = {
    VisitStep.schedule: VisitMove(
        frozenset({_S.requested, _S.scheduled}), _S.scheduled, _AGENT, ("scheduled_at", "engineer")
    ),
    VisitStep.complete: VisitMove(
        frozenset({_S.scheduled}), _S.done, _AGENT, ("engineer", "time_spent")
    ),
    VisitStep.cancel: VisitMove(
        frozenset({_S.requested, _S.scheduled}),
        _S.cancelled,
        _AGENT | {ActorKind.customer},
        ("reason",),
    ),
}


@dataclass(frozen=True)
class Visit:
    """An on-site visit on a ticket."""

    visit_id: UUID
    ticket_id: UUID
    address: str
    wished_date: date
    status: VisitStatus = VisitStatus.requested
    scheduled_at: datetime | None = None
    engineer: str | None = None
    time_spent: timedelta | None = None
    done_at: datetime | None = None
    cancel_reason: str | None = None


def allowed_visit_steps(status: str) -> list[str]:
    """Return the steps possible from ``status``, in a stable order."""
    return [str(step) for step, move in VISIT_MOVES.items() if status in move.sources]


def request_visit(
    *,
    visit_id: UUID,
    ticket_id: UUID,
    tier: str,
    tiers_with_feature: Sequence[str],
    address: str,
    wished_date: date,
    within_ring_road: bool,
    today: date,
) -> Visit:
    """Check a visit request and return the requested visit.

    Raises:
        Forbidden: the tier has no on-site visits (the refusal names the tiers that do).
        Unprocessable: no usable address, an address outside the ring road, or a wished
            date in the past (``today`` is the customer's local date).
    """
    require_feature(Feature.on_site_visit, tier=tier, tiers_with_feature=tiers_with_feature)
    address = address.strip()
    low, high = _ADDRESS_LENGTH
    if not low <= len(address) <= high:
        raise Unprocessable(
            f"Give the visit's address ({low} to {high} characters).", slug="visit-address"
        )
    if not within_ring_road:
        raise Unprocessable(
            "On-site visits are made within the Moscow ring road (MKAD) only; confirm the "
            "address lies within it with within_ring_road: true.",
            slug="visit-outside-area",
        )
    if wished_date < today:
        raise Unprocessable(
            f"The wished date {wished_date.isoformat()} is in the past; today is "
            f"{today.isoformat()}.",
            slug="visit-date",
        )
    return Visit(visit_id=visit_id, ticket_id=ticket_id, address=address, wished_date=wished_date)


def advance_visit(
    visit: Visit,
    step: VisitStep,
    *,
    actor: ActorKind,
    now: datetime,
    scheduled_at: datetime | None = None,
    engineer: str | None = None,
    time_spent: timedelta | None = None,
    reason: str | None = None,
) -> Visit:
    """Check one step and return the visit after it."""
    move = VISIT_MOVES[step]
    _check_move(visit.status, step, move, actor)
    who, why = (engineer or "").strip() or None, (reason or "").strip() or None
    details = {
        "scheduled_at": scheduled_at,
        "engineer": who,
        "time_spent": time_spent,
        "reason": why,
    }
    missing = [name for name in move.required if details[name] is None]
    if missing:
        raise Unprocessable(
            f"To {step} a visit, send {', '.join(missing)}.", slug="visit-details", missing=missing
        )
    if step is VisitStep.schedule:
        assert scheduled_at is not None
        if scheduled_at.utcoffset() is None or scheduled_at < now:
            raise Unprocessable(
                "scheduled_at must be a future instant with its offset.", slug="visit-date"
            )
        return replace(visit, status=move.target, scheduled_at=scheduled_at, engineer=who)
    if step is VisitStep.complete:
        assert time_spent is not None
        if not timedelta(0) < time_spent <= MAX_TIME_SPENT:
            raise Unprocessable(
                f"time_spent must be positive and at most {MAX_TIME_SPENT.days} days.",
                slug="visit-time-spent",
            )
        return replace(visit, status=move.target, engineer=who, time_spent=time_spent, done_at=now)
    return replace(visit, status=move.target, cancel_reason=why)


def _check_move(status: VisitStatus, step: VisitStep, move: VisitMove, actor: ActorKind) -> None:
    if status not in move.sources:
        allowed = allowed_visit_steps(status)
        raise Conflict(
            f"Cannot {step} a visit that is {status}. Allowed now: "
            f"{', '.join(allowed) or 'nothing (the visit is final)'}.",
            slug="illegal-transition",
            status_now=str(status),
            allowed=allowed,
        )
    if actor not in move.by:
        raise Forbidden(
            f"Only {' or '.join(sorted(move.by))} may {step} a visit.", slug="not-your-move"
        )


def visit_event(visit: Visit, *, customer_id: UUID | None, by: str | None = None) -> VisitEventData:
    """Return the event that records ``visit`` as it now stands (``by``: who acted)."""
    common = {"ticket_id": visit.ticket_id, "customer_id": customer_id, "visit_id": visit.visit_id}
    if visit.status is VisitStatus.requested:
        return VisitRequested(
            **common, address=visit.address, wished_date=visit.wished_date, requested_by=by
        )
    if visit.status is VisitStatus.scheduled:
        assert visit.scheduled_at is not None
        assert visit.engineer is not None
        return VisitScheduled(**common, scheduled_at=visit.scheduled_at, engineer=visit.engineer)
    if visit.status is VisitStatus.done:
        assert visit.engineer is not None
        assert visit.time_spent is not None
        assert visit.done_at is not None
        minutes = -(-visit.time_spent // timedelta(minutes=1))  # a started minute counts
        return VisitDone(
            **common, engineer=visit.engineer, time_spent_minutes=minutes, done_at=visit.done_at
        )
    return VisitCancelled(**common, reason=visit.cancel_reason or "", cancelled_by=by)
