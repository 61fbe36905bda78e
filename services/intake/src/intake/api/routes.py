"""Routes of intake; each parses, calls one use case and maps the result."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from intake import service
from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import (
    ActorIn,
    ArticleCreate,
    ArticleRead,
    AssignCreate,
    ChangeRequestRead,
    ChangeRequestStep,
    ChatIn,
    CommentCreate,
    CommentRead,
    CorrectiveActionCreate,
    EmailIn,
    EscalationCreate,
    HardwareFaultCreate,
    InboundResult,
    QueueItem,
    SeverityChange,
    TicketCreate,
    TicketPage,
    TicketRead,
    TransitionCreate,
)
from intake.domain.actors import Actor, ActorKind, resolve_actor
from intake.domain.model import Channel, Severity
from shared.auth import ANYONE, Principal, Role, require
from shared.errors import Forbidden

# An empty or blank key would be stored as a real key and collide with the customer's next
# such ticket; visible ASCII only, as RFC 9110 tokens and the IETF draft's examples are.
IdempotencyKey = Annotated[
    str | None, Header(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
]

router = APIRouter(tags=["tickets"])


def _uow(request: Request) -> IntakeUnitOfWork:
    uow: Any = request.app.state.runtime.uow()
    return uow  # type: ignore[no-any-return]


def _entitlements(request: Request) -> EntitlementClient:
    client: EntitlementClient = request.app.state.runtime.state.entitlements
    return client


def _config(request: Request) -> service.IntakeConfig:
    config: service.IntakeConfig = request.app.state.runtime.state.config
    return config


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.runtime.clock.now()
    return now


UowDep = Annotated[IntakeUnitOfWork, Depends(_uow)]
EntitlementsDep = Annotated[EntitlementClient, Depends(_entitlements)]
ConfigDep = Annotated[service.IntakeConfig, Depends(_config)]
NowDep = Annotated[datetime, Depends(_now)]


# Who may call what (docs/access-control.md). Every key reads and writes tickets, a
# customer-bound key only its own customer's (``scope`` in each query: a foreign id is 404);
# the work queue, assignment, corrective actions, hardware faults, line escalations and
# knowledge-base writes are support staff's; email and chat intake are the vendor's
# integrations' (system) and a customer's own bots'.
Anyone = Annotated[Principal, Depends(require(*ANYONE))]
Agent = Annotated[Principal, Depends(require(Role.agent))]
Channel_ = Annotated[Principal, Depends(require(Role.system, Role.bot))]


def _own_ticket(*roles: Role) -> Any:
    """``require(*roles)``, and for a customer-bound key the path's ticket within its customer.

    A dependency, so another customer's ticket answers 404 before the body is even read
    (the use cases scope their queries too).
    """
    allowed = require(*roles)

    async def scoped(
        ticket_id: UUID,
        request: Request,
        who: Principal = Depends(allowed),
    ) -> Principal:
        if who.customer_scope is not None:
            await service.visible_ticket(_uow(request), ticket_id, who.customer_scope)
        return who

    scoped.allowed_roles = allowed.allowed_roles  # type: ignore[attr-defined]
    return Depends(scoped)


OwnTicket = Annotated[Principal, _own_ticket(*ANYONE)]


def _actor(who: Principal, body_actor: ActorIn | None) -> Actor:
    """Who acts: the body's ``actor`` within what the gateway's principal allows (README)."""
    return resolve_actor(
        who,
        kind=body_actor.kind if body_actor else None,
        name=body_actor.name if body_actor else None,
        contact_email=str(body_actor.contact_email)
        if body_actor and body_actor.contact_email
        else None,
    )


def _agent(who: Principal) -> Actor:
    """The agent acting behind a staff key (the route already required an agent's role)."""
    return _actor(who, ActorIn(kind="agent"))


# ---------------------------------------------------------------- admission


async def _create(
    body: TicketCreate,
    *,
    request: Request,
    response: Response,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    config: service.IntakeConfig,
    now: datetime,
    idempotency_key: str | None,
    who: Principal,
) -> TicketRead:
    if body.channel == Channel.phone and not who.is_staff:
        raise Forbidden(
            "Phone tickets are entered by a support agent; use an agent's API key.",
            slug="agent-only",
        )
    ticket, created = await service.open_ticket(
        body,
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        idempotency_key=idempotency_key,
        scope=who.customer_scope,
    )
    response.headers["Location"] = f"/api/v1/tickets/{ticket.id}"
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return ticket


@router.post("/tickets", status_code=201)
async def create_ticket(
    body: TicketCreate,
    request: Request,
    response: Response,
    uow: UowDep,
    who: Anyone,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
    idempotency_key: IdempotencyKey = None,
) -> TicketRead:
    """Register a ticket from an active contact (API, web form, or phone with ``entered_by``)."""
    return await _create(
        body,
        request=request,
        response=response,
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        idempotency_key=idempotency_key,
        who=who,
    )


@router.post("/intake/web-form", status_code=201)
async def web_form(
    request: Request,
    response: Response,
    uow: UowDep,
    who: Anyone,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
    idempotency_key: IdempotencyKey = None,
) -> TicketRead:
    """The web form's post (``application/x-www-form-urlencoded``): a ticket on channel ``web``."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    fields: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=False))
    fields["channel"] = Channel.web
    try:
        body = TicketCreate.model_validate(fields)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from exc
    return await _create(
        body,
        request=request,
        response=response,
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        idempotency_key=idempotency_key,
        who=who,
    )


@router.post("/intake/email")
async def inbound_email(
    body: EmailIn,
    request: Request,
    response: Response,
    uow: UowDep,
    who: Channel_,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
) -> InboundResult:
    """An email bot's message: new ticket (201), comment on its ticket (201), or a repeat (200)."""
    result = await service.inbound_email(
        body, uow=uow, entitlements=entitlements, config=config, now=now, scope=who.customer_scope
    )
    response.status_code = 200 if result.duplicate else 201
    return result


@router.post("/intake/chat")
async def inbound_chat(
    body: ChatIn,
    request: Request,
    response: Response,
    uow: UowDep,
    who: Channel_,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
) -> InboundResult:
    """A chat bot's message: new ticket (201), comment on its ticket (201), or a repeat (200)."""
    result = await service.inbound_chat(
        body, uow=uow, entitlements=entitlements, config=config, now=now, scope=who.customer_scope
    )
    response.status_code = 200 if result.duplicate else 201
    return result


# ---------------------------------------------------------------- reading


@router.get("/tickets")
async def list_tickets(
    request: Request,
    uow: UowDep,
    who: Anyone,
    status: str | None = Query(default=None, description="Comma-separated statuses"),
    customer_id: UUID | None = None,
    tier: str | None = Query(default=None, description="Comma-separated tiers"),
    severity: str | None = Query(default=None, description="Comma-separated severities"),
    assignee: str | None = None,
    breached: bool | None = None,
    q: str | None = Query(default=None, max_length=500, description="Text in subject/description"),
    cursor: str | None = Query(default=None, max_length=500),
    limit: int = Query(default=50, ge=1, le=200),
) -> TicketPage:
    """Tickets newest first, filtered; follow ``next_cursor`` for the next page."""
    if who.customer_scope is not None:
        if customer_id is not None:
            who.scope(customer_id, what="customer")
        customer_id = who.customer_scope
    return await service.list_tickets(
        uow,
        status=status,
        customer_id=customer_id,
        tier=tier,
        severity=severity,
        assignee=assignee,
        breached=breached,
        q=q,
        cursor=cursor,
        limit=limit,
    )


@router.get("/tickets/{ticket_id}")
async def get_ticket(ticket_id: UUID, request: Request, uow: UowDep, who: OwnTicket) -> TicketRead:
    """Read one ticket with its SLA summary and the moves allowed now."""
    return await service.get_ticket(ticket_id, uow, scope=who.customer_scope)


@router.get("/queue")
async def work_queue(
    request: Request,
    uow: UowDep,
    who: Agent,
    assignee: str | None = None,
    customer_id: Annotated[list[UUID] | None, Query()] = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> list[QueueItem]:
    """The agent work queue: tier priority, then severity, then the nearest deadline."""
    return await service.work_queue(
        uow, assignee=assignee, customer_ids=customer_id or [], limit=limit
    )


# ---------------------------------------------------------------- lifecycle


@router.post("/tickets/{ticket_id}/transitions")
async def change_status(
    ticket_id: UUID,
    body: TransitionCreate,
    request: Request,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
) -> TicketRead:
    """Move the ticket (take, wait_for_customer, resume, resolve, confirm, reopen, reject ...)."""
    return await service.change_status(
        ticket_id,
        body,
        actor=_actor(who, body.actor),
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        scope=who.customer_scope,
    )


@router.post("/tickets/{ticket_id}/assignment")
async def assign(
    ticket_id: UUID, body: AssignCreate, request: Request, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Hand an open ticket to another engineer."""
    return await service.assign(ticket_id, body.assignee, actor=_agent(who), uow=uow, now=now)


@router.post("/tickets/{ticket_id}/comments", status_code=201)
async def add_comment(
    ticket_id: UUID,
    body: CommentCreate,
    request: Request,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> CommentRead:
    """Add a public or internal comment; a customer's answer resumes a waiting ticket."""
    return await service.add_comment(
        ticket_id,
        body,
        actor=_actor(who, body.actor),
        uow=uow,
        entitlements=entitlements,
        now=now,
        scope=who.customer_scope,
    )


@router.get("/tickets/{ticket_id}/comments")
async def list_comments(
    ticket_id: UUID, request: Request, uow: UowDep, who: OwnTicket
) -> list[CommentRead]:
    """The ticket's comments; internal ones only for support staff."""
    return await service.list_comments(
        ticket_id, include_internal=who.is_staff, uow=uow, scope=who.customer_scope
    )


@router.post("/tickets/{ticket_id}/corrective-actions", status_code=201)
async def corrective_action(
    ticket_id: UUID,
    body: CorrectiveActionCreate,
    request: Request,
    uow: UowDep,
    who: Agent,
    now: NowDep,
) -> TicketRead:
    """Record a solution, workaround or action plan (meets the resolution target)."""
    return await service.record_corrective_action(
        ticket_id, body, actor=_agent(who), uow=uow, now=now
    )


@router.post("/tickets/{ticket_id}/severity")
async def change_severity(
    ticket_id: UUID,
    body: SeverityChange,
    request: Request,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> TicketRead:
    """Lower the severity (customer or agent) or raise it (agent only)."""
    return await service.change_severity(
        ticket_id,
        body,
        actor=_actor(who, body.actor),
        uow=uow,
        entitlements=entitlements,
        now=now,
        scope=who.customer_scope,
    )


@router.post("/tickets/{ticket_id}/hardware-fault")
async def hardware_fault(
    ticket_id: UUID,
    body: HardwareFaultCreate,
    request: Request,
    uow: UowDep,
    who: Agent,
    now: NowDep,
) -> TicketRead:
    """Mark the fault as the customer's hardware (critical/high clocks stop)."""
    return await service.mark_hardware_fault(ticket_id, body, actor=_agent(who), uow=uow, now=now)


@router.post("/tickets/{ticket_id}/escalations")
async def escalate(
    ticket_id: UUID, body: EscalationCreate, request: Request, uow: UowDep, who: Agent, now: NowDep
) -> TicketRead:
    """Hand the ticket to support line 2 or 3."""
    return await service.escalate(
        ticket_id, line=body.line, reason=body.reason, actor=_agent(who), uow=uow, now=now
    )


# ---------------------------------------------------------------- change requests


@router.get("/change-requests/{ticket_id}", tags=["change-requests"])
async def get_change_request(
    ticket_id: UUID, request: Request, uow: UowDep, who: OwnTicket
) -> ChangeRequestRead:
    """A change request's workflow state, details and next steps."""
    return await service.get_change_request(ticket_id, uow, scope=who.customer_scope)


@router.post("/change-requests/{ticket_id}/steps", tags=["change-requests"])
async def change_request_step(
    ticket_id: UUID,
    body: ChangeRequestStep,
    request: Request,
    uow: UowDep,
    who: OwnTicket,
    entitlements: EntitlementsDep,
    now: NowDep,
) -> ChangeRequestRead:
    """Take one step of the change-request workflow (customer steps need the customer's contact)."""
    return await service.advance_change_request(
        ticket_id,
        body,
        actor=_actor(who, body.actor),
        uow=uow,
        entitlements=entitlements,
        now=now,
        scope=who.customer_scope,
    )


# ---------------------------------------------------------------- knowledge base


@router.post("/kb/articles", status_code=201, tags=["kb"])
async def create_article(
    body: ArticleCreate, request: Request, uow: UowDep, who: Agent
) -> ArticleRead:
    """Add a known error or typical solution to the knowledge base."""
    return await service.create_article(body, uow)


@router.get("/kb/articles", tags=["kb"])
async def search_articles(
    uow: UowDep,
    who: Anyone,
    q: str | None = Query(default=None, max_length=2000, description="Words, Russian or English"),
    match: str = Query(default="all", pattern="^(all|any)$"),
    limit: int = Query(default=20, ge=1, le=100),
) -> list[ArticleRead]:
    """Search articles (all words by default, ``match=any`` for any word), best first."""
    return await service.search_articles(uow, q=q, any_word=match == "any", limit=limit)


@router.get("/kb/articles/{article_id}", tags=["kb"])
async def get_article(article_id: UUID, uow: UowDep, who: Anyone) -> ArticleRead:
    return await service.get_article(article_id, uow)


__all__ = ["ActorKind", "Severity", "router"]
