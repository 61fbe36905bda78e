"""The change-request workflow (rules, section 9): every step a named, checked move."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from intake.domain.actors import ActorKind
from shared.errors import Conflict, Forbidden, Unprocessable


class CrStatus(StrEnum):
    submitted = "submitted"
    estimated = "estimated"
    proposal_sent = "proposal_sent"
    approved = "approved"
    declined = "declined"
    in_development = "in_development"
    vendor_testing = "vendor_testing"
    delivered = "delivered"
    customer_testing = "customer_testing"
    accepted = "accepted"
    defects_reported = "defects_reported"
    deployed = "deployed"


class CrStep(StrEnum):
    estimate = "estimate"
    send_proposal = "send_proposal"
    approve = "approve"
    decline = "decline"
    start_development = "start_development"
    submit_to_vendor_testing = "submit_to_vendor_testing"
    deliver = "deliver"
    start_customer_testing = "start_customer_testing"
    accept = "accept"
    report_defects = "report_defects"
    deploy = "deploy"


@dataclass(frozen=True)
class CrMove:
    sources: frozenset[CrStatus]
    target: CrStatus
    by: ActorKind
    required: tuple[str, ...] = ()


_S = CrStatus
CR_MOVES: dict[CrStep, CrMove] = {
    CrStep.estimate: CrMove(
        frozenset({_S.submitted, _S.estimated}),
        _S.estimated,
        ActorKind.agent,
        ("person_hours", "work_plan", "cost", "delivery_date"),
    ),
    CrStep.send_proposal: CrMove(frozenset({_S.estimated}), _S.proposal_sent, ActorKind.agent),
    CrStep.approve: CrMove(frozenset({_S.proposal_sent}), _S.approved, ActorKind.customer),
    CrStep.decline: CrMove(frozenset({_S.proposal_sent}), _S.declined, ActorKind.customer),
    CrStep.start_development: CrMove(
        frozenset({_S.approved, _S.defects_reported}), _S.in_development, ActorKind.agent
    ),
    CrStep.submit_to_vendor_testing: CrMove(
        frozenset({_S.in_development}), _S.vendor_testing, ActorKind.agent
    ),
    CrStep.deliver: CrMove(
        frozenset({_S.vendor_testing}),
        _S.delivered,
        ActorKind.agent,
        ("release_package", "instructions", "test_plan"),
    ),
    CrStep.start_customer_testing: CrMove(
        frozenset({_S.delivered}), _S.customer_testing, ActorKind.customer
    ),
    CrStep.accept: CrMove(frozenset({_S.customer_testing}), _S.accepted, ActorKind.customer),
    CrStep.report_defects: CrMove(
        frozenset({_S.customer_testing}),
        _S.defects_reported,
        ActorKind.customer,
        ("defect_protocol",),
    ),
    CrStep.deploy: CrMove(frozenset({_S.accepted}), _S.deployed, ActorKind.agent),
}

FINAL_CR = frozenset({CrStatus.declined, CrStatus.deployed})


def allowed_steps(status: str) -> list[str]:
    return [str(step) for step, move in CR_MOVES.items() if status in move.sources]


def advance(*, status: str, step: CrStep, actor: ActorKind, details: dict[str, object]) -> CrStatus:
    """Check one workflow step and return the new status."""
    move = CR_MOVES[step]
    current = CrStatus(status)
    if current not in move.sources:
        allowed = allowed_steps(current)
        raise Conflict(
            f"Cannot {step} a change request that is {current}; {step} follows "
            f"{' or '.join(sorted(move.sources))}. Allowed now: "
            f"{', '.join(allowed) or 'nothing (the change request is final)'}.",
            slug="illegal-transition",
            status_now=str(current),
            allowed=allowed,
        )
    if actor != move.by:
        who = "the customer's contacts" if move.by == ActorKind.customer else "a support agent"
        raise Forbidden(
            f"Only {who} may {step} a change request.",
            slug="not-your-move",
        )
    missing = [f for f in move.required if details.get(f) in (None, "", [])]
    if missing:
        raise Unprocessable(
            f"The {step} step needs {', '.join(missing)}; send them and retry.",
            slug="change-request-details",
            missing=missing,
        )
    return move.target
