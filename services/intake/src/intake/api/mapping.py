"""Between HTTP and the use cases: request schemas to commands, domain results to schemas."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from intake.api.schemas import (
    ArticleRef,
    ChangeRequestRead,
    ChatIn,
    CommentRead,
    EmailIn,
    InboundResult,
    QueueItem,
    SlaRead,
    TicketCreate,
    TicketRead,
)
from intake.domain import change_request as cr
from intake.domain.actors import ActorKind
from intake.domain.commands import InboundMessage, OpenTicket
from intake.domain.lifecycle import allowed_actions
from intake.domain.ticket import Comment, Ticket
from intake.uow import ArticleHit
from intake.usecases.channels import Inbound
from intake.usecases.reading import QueueEntry
from shared.events.vocabulary import Channel, TicketType

_NOT_READ = frozenset(
    {"events", "policy", "features", "idempotency_key", "idempotency_fingerprint"}
)


def open_ticket(body: TicketCreate, idempotency_key: str | None) -> OpenTicket:
    """The command a ticket form asks for; the fingerprint tells a replay from a new request."""
    return OpenTicket(
        contact_email=str(body.contact_email),
        subject=body.subject,
        description=body.description,
        severity=body.severity,
        type=body.type,
        product=body.product,
        product_version=body.product_version,
        channel=body.channel,
        entered_by=body.entered_by,
        requested_feature=body.requested_feature,
        subtype=body.subtype,
        attachments=[a.model_dump() for a in body.attachments],
        idempotency_key=idempotency_key,
        # Only a keyed request is ever compared with another (a dump of the body per POST).
        fingerprint=hashlib.sha256(body.model_dump_json().encode()).hexdigest()
        if idempotency_key
        else None,
    )


def email_message(msg: EmailIn) -> InboundMessage:
    """An email bot's message: a ticket from its subject and body, or a reply."""
    attachments = [a.model_dump() for a in msg.attachments]
    subject = msg.subject.strip() or (msg.body.strip().splitlines() or ["(no subject)"])[0][:200]
    ticket = OpenTicket(
        contact_email=str(msg.from_),
        subject=subject,
        description=msg.body,
        severity=msg.severity,
        channel=Channel.email,
        attachments=attachments,
    )
    return InboundMessage(
        channel=Channel.email,
        external_id=msg.message_id,
        conversation=str(msg.from_).lower(),
        reply_to=msg.in_reply_to,
        thread_text=msg.subject,
        lookup={"email": str(msg.from_)},
        body=msg.body or msg.subject,
        actor_name=str(msg.from_),
        attachments=attachments,
        ticket=ticket,
    )


def chat_message(msg: ChatIn) -> InboundMessage:
    """A chat bot's message; a chat id identifies the contact, whose email is not known here."""
    first = msg.text.strip().splitlines()[0] if msg.text.strip() else "(chat message)"
    ticket = OpenTicket(
        contact_email="",
        subject=first[:200],
        description=msg.text,
        severity=msg.severity,
        type=TicketType.incident,
        channel=Channel.chat,
    )
    return InboundMessage(
        channel=Channel.chat,
        external_id=msg.message_id,
        conversation=msg.chat_id,
        reply_to=msg.reply_to_message_id,
        thread_text=msg.text,
        lookup={"chat_id": msg.chat_id},
        body=msg.text,
        actor_name=f"chat:{msg.chat_id}",
        attachments=[],
        ticket=ticket,
    )


def article_refs(hits: Sequence[ArticleHit] | None) -> list[ArticleRef] | None:
    """The suggested articles, as a ticket's first answer lists them."""
    if hits is None:
        return None
    return [ArticleRef(id=h.id, kind=h.kind, title=h.title, rank=h.rank) for h in hits]


def ticket_read(
    ticket: Ticket,
    *,
    sla: SlaRead | None = None,
    articles: Sequence[ArticleHit] | None = None,
    actor: ActorKind | None = None,
) -> TicketRead:
    """Map a ticket to its HTTP representation, with the moves allowed now."""
    data: dict[str, Any] = {k: v for k, v in vars(ticket).items() if k not in _NOT_READ}
    data["allowed_actions"] = allowed_actions(ticket.status, actor)
    data["sla"] = sla
    data["suggested_articles"] = article_refs(articles)
    return TicketRead.model_validate(data)


def comment_read(note: Comment) -> CommentRead:
    """Map a comment to its HTTP representation."""
    return CommentRead.model_validate(vars(note))


def change_request_read(ticket: Ticket) -> ChangeRequestRead:
    """A change request's state and the steps possible now."""
    status = ticket.cr_status or ""
    return ChangeRequestRead(
        ticket_id=ticket.id,
        registration_number=ticket.registration_number,
        cr_status=status,
        details=ticket.cr_details,
        allowed_steps=cr.allowed_steps(status),
    )


def inbound_result(result: Inbound) -> InboundResult:
    """What an email or chat message did, as the bot reads it."""
    return InboundResult(
        outcome=result.outcome,
        duplicate=result.duplicate,
        ticket=ticket_read(result.ticket, articles=result.articles),
        comment_id=result.comment_id,
    )


def queue_item(entry: QueueEntry) -> QueueItem:
    """One line of the agent work queue."""
    t = entry.ticket
    return QueueItem(
        id=t.id,
        registration_number=t.registration_number,
        tier=t.tier,
        tier_priority=t.tier_priority,
        severity=t.severity,
        status=t.status,
        assignee=t.assignee,
        subject=t.subject,
        received_at=t.received_at,
        next_due_at=entry.next_due_at,
        breached=entry.breached,
        support_line=t.support_line,
    )
