"""Routes of intake's admission, channels and reading; each parses, calls one use case, maps."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from intake.api import (
    mapping,
    routes_attachments,
    routes_kb,
    routes_mail,
    routes_premium,
    routes_work,
)
from intake.api.deps import (
    AdmissionUowDep,
    Agent,
    Anyone,
    Channel_,
    ConfigDep,
    EntitlementsDep,
    IdempotencyKey,
    NowDep,
    OwnTicket,
    UowDep,
)
from intake.api.schemas import (
    ChatIn,
    InboundResult,
    QueueItem,
    TicketCreate,
    TicketPage,
    TicketRead,
)
from intake.api.schemas_mail import RawMailResult
from intake.usecases import admission, channels, reading
from shared.auth import Principal
from shared.errors import Forbidden
from shared.events.vocabulary import Channel

router = APIRouter(tags=["tickets"])


# ---------------------------------------------------------------- admission


async def _create(
    body: TicketCreate,
    *,
    response: Response,
    uow: AdmissionUowDep,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
    idempotency_key: str | None,
    who: Principal,
) -> TicketRead:
    if body.channel == Channel.phone and not who.is_staff:
        raise Forbidden(
            "Phone tickets are entered by a support agent; use an agent's API key.",
            slug="agent-only",
        )
    admitted = await admission.open_ticket(
        mapping.open_ticket(body, idempotency_key),
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        scope=who.customer_scope,
    )
    response.headers["Location"] = f"/api/v1/tickets/{admitted.ticket.id}"
    if not admitted.created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
        return mapping.ticket_read(admitted.ticket, articles=[])
    return mapping.ticket_read(admitted.ticket, articles=admitted.articles)


@router.post("/tickets", status_code=201)
async def create_ticket(
    body: TicketCreate,
    response: Response,
    uow: AdmissionUowDep,
    who: Anyone,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
    idempotency_key: IdempotencyKey = None,
) -> TicketRead:
    """Register a ticket from an active contact (API, web form, or phone with ``entered_by``)."""
    return await _create(
        body,
        response=response,
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        idempotency_key=idempotency_key,
        who=who,
    )


# The form is read by hand (any field order, blank fields dropped); the document says what
# it holds, so a generated client can post one.
_WEB_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/TicketCreate"}
            }
        },
    }
}


@router.post("/intake/web-form", status_code=201, openapi_extra=_WEB_FORM)
async def web_form(
    request: Request,
    response: Response,
    uow: AdmissionUowDep,
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
        response=response,
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        idempotency_key=idempotency_key,
        who=who,
    )


# ---------------------------------------------------------------- channels


@router.post(
    "/intake/email",
    openapi_extra={"requestBody": routes_mail.EMAIL_BODY},
    responses={202: {"model": RawMailResult, "description": "A raw message that made no ticket"}},
)
async def inbound_email(
    request: Request,
    response: Response,
    uow: UowDep,
    who: Channel_,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
) -> InboundResult | RawMailResult:
    """An email bot's message: new ticket (201), comment on its ticket (201), or a repeat (200).

    JSON (a message the bot parsed), or the raw message as ``message/rfc822``: stored,
    then parsed, screened and processed at once like mail received over SMTP; mail that
    makes no ticket (an auto-reply, a bounce, an unknown sender) answers 202 with why.
    """
    if routes_mail.is_raw_mail(request):
        return await routes_mail.raw_email(request, response, uow=uow, who=who, now=now)
    body = await routes_mail.email_json(request)
    result = await channels.inbound(
        mapping.email_message(body),
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        scope=who.customer_scope,
    )
    response.status_code = 200 if result.duplicate else 201
    return mapping.inbound_result(result)


@router.post("/intake/chat")
async def inbound_chat(
    body: ChatIn,
    response: Response,
    uow: UowDep,
    who: Channel_,
    entitlements: EntitlementsDep,
    config: ConfigDep,
    now: NowDep,
) -> InboundResult:
    """A chat bot's message: new ticket (201), comment on its ticket (201), or a repeat (200)."""
    result = await channels.inbound(
        mapping.chat_message(body),
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        scope=who.customer_scope,
    )
    response.status_code = 200 if result.duplicate else 201
    return mapping.inbound_result(result)


# ---------------------------------------------------------------- reading


@router.get("/tickets")
async def list_tickets(
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
    filters = reading.TicketFilter(
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
    views, next_cursor = await reading.list_tickets(uow, filters)
    items = [mapping.ticket_read(v.ticket, sla=v.sla) for v in views]
    return TicketPage(items=items, next_cursor=next_cursor)


@router.get("/tickets/{ticket_id}")
async def get_ticket(ticket_id: UUID, uow: UowDep, who: OwnTicket) -> TicketRead:
    """Read one ticket with its SLA summary and the moves allowed now."""
    view = await reading.get_ticket(ticket_id, uow, scope=who.customer_scope)
    return mapping.ticket_read(view.ticket, sla=view.sla)


@router.get("/queue")
async def work_queue(
    uow: UowDep,
    who: Agent,
    assignee: str | None = None,
    customer_id: Annotated[list[UUID] | None, Query()] = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> list[QueueItem]:
    """The agent work queue: tier priority, then severity, then the nearest deadline."""
    entries = await reading.work_queue(
        uow, assignee=assignee, customer_ids=customer_id or [], limit=limit
    )
    return [mapping.queue_item(e) for e in entries]


# One router for the service (the app and the access table read ``intake.api.routes``);
# the work on a ticket and the knowledge base live in their own modules.
router.routes.extend(
    [
        *routes_work.router.routes,
        *routes_kb.router.routes,
        *routes_premium.router.routes,
        *routes_mail.router.routes,
        *routes_attachments.router.routes,
    ]
)
