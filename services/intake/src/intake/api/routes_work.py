"""Routes of a ticket's work: lifecycle moves, comments, agents' records, change requests."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from intake.api import mapping
from intake.api.deps import (
    Agent,
    ConfigDep,
    EntitlementsDep,
    NowDep,
    OwnTicket,
    UowDep,
    actor_of,
    agent_of,
)
from intake.api.schemas import (
    AssignCreate,
    ChangeRequestRead,
    ChangeRequestStep,
    CommentCreate,
    CommentRead,
    CorrectiveActionCreate,
    EscalationCreate,
    HardwareFaultCreate,
    SeverityChange,
    TicketRead,
    TransitionCreate,
)
from intake.domain.commands import AddComment, AdvanceChangeRequest, MoveTicket
from intake.usecases import change_requests, comments, lifecycle

router = APIRouter(tags=["tickets"])


@router.post("/tickets/{ticket_id}/transitions")
async def change_status(
    ticket_id: UUID,
    body: TransitionCreate,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
) -> TicketRead:
    """Move the ticket (take, wait_for_customer, resume, resolve, confirm, reopen, reject ...)."""
    cmd = MoveTicket(
        ticket_id=ticket_id,
        action=body.action,
        actor=actor_of(who, body.actor),
        assignee=body.assignee,
        reason=body.reason,
        report=body.report,
    )
    ticket = await lifecycle.change_status(
        cmd, uow=uow, entitlements=entitlements, config=config, now=now, scope=who.customer_scope
    )
    return mapping.ticket_read(ticket)


@router.post("/tickets/{ticket_id}/assignment")
async def assign(
    ticket_id: UUID, body: AssignCreate, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Hand an open ticket to another engineer."""
    ticket = await lifecycle.assign(ticket_id, body.assignee, actor=agent_of(who), uow=uow, now=now)
    return mapping.ticket_read(ticket)


@router.post("/tickets/{ticket_id}/comments", status_code=201)
async def add_comment(
    ticket_id: UUID,
    body: CommentCreate,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> CommentRead:
    """Add a public or internal comment; a customer's answer resumes a waiting ticket."""
    cmd = AddComment(
        ticket_id=ticket_id,
        body=body.body,
        public=body.public,
        actor=actor_of(who, body.actor),
        attachments=[a.model_dump() for a in body.attachments],
    )
    note = await comments.add_comment(
        cmd, uow=uow, entitlements=entitlements, now=now, scope=who.customer_scope
    )
    return mapping.comment_read(note)


@router.get("/tickets/{ticket_id}/comments")
async def list_comments(ticket_id: UUID, uow: UowDep, who: OwnTicket) -> list[CommentRead]:
    """The ticket's comments; internal ones only for support staff."""
    notes = await comments.list_comments(
        ticket_id, include_internal=who.is_staff, uow=uow, scope=who.customer_scope
    )
    return [mapping.comment_read(n) for n in notes]


@router.post("/tickets/{ticket_id}/corrective-actions", status_code=201)
async def corrective_action(
    ticket_id: UUID, body: CorrectiveActionCreate, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Record a solution, workaround or action plan (meets the resolution target)."""
    ticket = await lifecycle.record_corrective_action(
        ticket_id, kind=body.kind, summary=body.summary, actor=agent_of(who), uow=uow, now=now
    )
    return mapping.ticket_read(ticket)


@router.post("/tickets/{ticket_id}/severity")
async def change_severity(
    ticket_id: UUID,
    body: SeverityChange,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> TicketRead:
    """Lower the severity (customer or agent) or raise it (agent only)."""
    ticket = await lifecycle.change_severity(
        ticket_id,
        body.severity,
        actor=actor_of(who, body.actor),
        uow=uow,
        entitlements=entitlements,
        now=now,
        scope=who.customer_scope,
    )
    return mapping.ticket_read(ticket)


@router.post("/tickets/{ticket_id}/hardware-fault")
async def hardware_fault(
    ticket_id: UUID, body: HardwareFaultCreate, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Mark the fault as the customer's hardware (critical/high clocks stop)."""
    ticket = await lifecycle.mark_hardware_fault(
        ticket_id,
        reason=body.reason,
        recommendations=body.recommendations,
        actor=agent_of(who),
        uow=uow,
        now=now,
    )
    return mapping.ticket_read(ticket)


@router.post("/tickets/{ticket_id}/escalations")
async def escalate(
    ticket_id: UUID, body: EscalationCreate, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Hand the ticket to support line 2 or 3."""
    ticket = await lifecycle.escalate(
        ticket_id, line=body.line, reason=body.reason, actor=agent_of(who), uow=uow, now=now
    )
    return mapping.ticket_read(ticket)


@router.get("/change-requests/{ticket_id}", tags=["change-requests"])
async def get_change_request(ticket_id: UUID, uow: UowDep, who: OwnTicket) -> ChangeRequestRead:
    """A change request's workflow state, details and next steps."""
    ticket = await change_requests.get_change_request(ticket_id, uow, scope=who.customer_scope)
    return mapping.change_request_read(ticket)


@router.post("/change-requests/{ticket_id}/steps", tags=["change-requests"])
async def change_request_step(
    ticket_id: UUID,
    body: ChangeRequestStep,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> ChangeRequestRead:
    """Take one step of the change-request workflow (customer steps need the customer's contact)."""
    cmd = AdvanceChangeRequest(
        ticket_id=ticket_id,
        step=body.step,
        actor=actor_of(who, body.actor),
        details=body.model_dump(mode="json", exclude={"step", "actor"}, exclude_none=True),
    )
    ticket = await change_requests.advance_change_request(
        cmd, uow=uow, entitlements=entitlements, now=now, scope=who.customer_scope
    )
    return mapping.change_request_read(ticket)
