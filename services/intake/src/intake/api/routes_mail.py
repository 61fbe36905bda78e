"""Routes of intake's inbound mail: the records agents read, and a raw message posted by a bot."""

from __future__ import annotations

from datetime import datetime
from email.message import Message
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from intake.adapters.uow import IntakeUnitOfWork
from intake.api import mapping
from intake.api.deps import Agent, UowDep
from intake.api.schemas import EmailIn, InboundResult
from intake.api.schemas_mail import (
    MailAttachmentSummary,
    MailDetail,
    MailPage,
    MailRead,
    MailSummary,
    RawMailResult,
)
from intake.domain.mail import parse
from intake.domain.mailbox import LEASE
from intake.uow import MailOutcome, MailRecord
from intake.usecases import mail_processing, mailbox, reading
from shared.auth import Principal
from shared.errors import Conflict, Unprocessable

router = APIRouter(tags=["mail"])
RAW_TYPE = "message/rfc822"

# The email route's body, documented by hand: it reads JSON or a raw message itself.
EMAIL_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": EmailIn.model_json_schema(ref_template="#/components/schemas/{model}")
        },
        RAW_TYPE: {
            "schema": {"type": "string", "format": "binary"},
            "example": "From: ivan@acme.example\r\nSubject: ...\r\n\r\n...",
        },
    },
}
EMAIL_BODY["content"]["application/json"]["schema"].pop("$defs", None)


def is_raw_mail(request: Request) -> bool:
    """Whether the body is a raw message (``Content-Type: message/rfc822``)."""
    header = Message()
    header["content-type"] = request.headers.get("content-type", "")
    return header.get_content_type() == RAW_TYPE


async def email_json(request: Request) -> EmailIn:
    """The JSON body validated as ``EmailIn``; a 422 problem naming each bad field."""
    raw = await request.body()
    try:
        return EmailIn.model_validate_json(raw or b"null")
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from exc


async def _replayed(uow: IntakeUnitOfWork, mail_id: UUID) -> MailOutcome | None:
    """A stored message's settled outcome (None while it is pending)."""
    record, _ = await mailbox.get_mail(uow, mail_id)
    if record.status == "pending":
        return None
    return MailOutcome(
        record.status,
        record.reason,
        from_address=record.from_address,
        subject=record.subject,
        ticket_id=record.ticket_id,
        comment_id=record.comment_id,
    )


async def raw_email(
    request: Request,
    response: Response,
    *,
    uow: IntakeUnitOfWork,
    who: Principal,
    now: datetime,
) -> InboundResult | RawMailResult:
    """Store the raw message (source ``api``), process it at once, answer what it became."""
    raw = await request.body()
    if not raw.strip():
        raise Unprocessable(
            "The body is empty; send the whole message (headers, blank line, body) as "
            "message/rfc822.",
            slug="validation-error",
            errors=[{"field": "body", "message": "empty message", "type": "value_error"}],
        )
    accepted = await mailbox.accept(
        uow, raw, source="api", envelope_from=None, recipients=[], now=now, hold=LEASE
    )
    # The processor's own context (entitlement, rules, attachment store), scoped to the key.
    ctx = request.app.state.mail_context(scope=who.customer_scope)
    outcome = await _replayed(uow, accepted.id) if accepted.duplicate else None
    if outcome is None:
        outcome = await mail_processing.process_now(uow, accepted, ctx, now=now)
    return await _answer(response, uow, accepted, outcome, who=who)


async def _answer(
    response: Response,
    uow: IntakeUnitOfWork,
    accepted: mailbox.Accepted,
    outcome: MailOutcome | None,
    *,
    who: Principal,
) -> InboundResult | RawMailResult:
    record_url = f"/api/v1/intake/mail/{accepted.id}"
    if outcome is not None and outcome.ticket_id is not None:
        view = await reading.get_ticket(outcome.ticket_id, uow, scope=who.customer_scope)
        duplicate = accepted.duplicate or outcome.repeat
        response.status_code = 200 if duplicate else 201
        return InboundResult(
            outcome="comment_added" if outcome.status == "comment_added" else "ticket_created",
            duplicate=duplicate,
            ticket=mapping.ticket_read(view.ticket, sla=view.sla),
            comment_id=outcome.comment_id,
        )
    if outcome is not None and outcome.status == "failed":
        if outcome.error is not None:
            raise outcome.error
        raise Conflict(
            f"The message was stored ({record_url}) but made no ticket: {outcome.reason}",
            slug="mail-failed",
            mail_id=str(accepted.id),
        )
    response.status_code = 202
    status = outcome.status if outcome is not None else "pending"
    return RawMailResult(
        outcome=status if status in ("ignored", "unknown_sender") else "pending",
        reason=outcome.reason if outcome is not None else "Being processed; see the record.",
        mail_id=accepted.id,
        duplicate=accepted.duplicate,
        record_url=record_url,
    )


def mail_read(record: MailRecord) -> MailRead:
    return MailRead(
        id=record.id,
        message_id=record.message_id,
        source=record.source,
        size=record.size,
        envelope_from=record.envelope_from,
        recipients=list(record.recipients),
        received_at=record.received_at,
        status=record.status,
        reason=record.reason,
        from_address=record.from_address,
        subject=record.subject,
        ticket_id=record.ticket_id,
        comment_id=record.comment_id,
        attempts=record.attempts,
        next_attempt_at=record.next_attempt_at if record.status == "pending" else None,
        processed_at=record.processed_at,
        raw_url=f"/api/v1/intake/mail/{record.id}/raw",
    )


def _summary(raw: bytes) -> MailSummary:
    mail = parse(raw)
    return MailSummary(
        from_address=mail.from_address,
        from_name=mail.from_name,
        to=list(mail.to),
        cc=list(mail.cc),
        subject=mail.subject,
        date=mail.date,
        in_reply_to=mail.in_reply_to,
        references=list(mail.references),
        language=mail.language,
        text=mail.text,
        reply_text=mail.reply_text,
        has_html=mail.html is not None,
        attachments=[
            MailAttachmentSummary(
                filename=a.filename,
                declared_type=a.declared_type,
                size=len(a.data),
                inline=a.inline,
            )
            for a in mail.attachments
        ],
    )


@router.get("/intake/mail")
async def list_mail(
    uow: UowDep,
    _: Agent,
    status: str | None = Query(
        default=None,
        description="pending, ticket_created, comment_added, ignored, unknown_sender or failed",
    ),
    message_id: str | None = Query(
        default=None, max_length=1000, description="One message by its Message-ID"
    ),
    cursor: str | None = Query(default=None, max_length=500),
    limit: int = Query(default=50, ge=1, le=200),
) -> MailPage:
    """Inbound mail newest first, with what became of each message (support staff)."""
    records, next_cursor = await mailbox.list_mail(
        uow, status=status, cursor=cursor, limit=limit, message_id=message_id
    )
    return MailPage(items=[mail_read(r) for r in records], next_cursor=next_cursor)


@router.get("/intake/mail/{mail_id}")
async def get_mail(mail_id: UUID, uow: UowDep, _: Agent) -> MailDetail:
    """One message's record and what the parser reads in it (support staff)."""
    record, raw = await mailbox.get_mail(uow, mail_id)
    return MailDetail(**mail_read(record).model_dump(), parsed=_summary(raw))


@router.get(
    "/intake/mail/{mail_id}/raw",
    response_class=Response,
    responses={200: {"content": {"message/rfc822": {}}, "description": "The original message"}},
)
async def get_raw_mail(mail_id: UUID, uow: UowDep, _: Agent) -> Response:
    """The message exactly as received, byte for byte (support staff)."""
    record, raw = await mailbox.get_mail(uow, mail_id)
    return Response(
        raw,
        media_type="message/rfc822",
        headers={
            "Content-Disposition": f'attachment; filename="{record.id}.eml"',
            "X-Content-Type-Options": "nosniff",
        },
    )
