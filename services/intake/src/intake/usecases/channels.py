"""Use case: an email or chat message becomes a ticket, or a comment on the ticket it answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from intake.domain.actors import Actor, ActorKind
from intake.domain.admission import check_scope
from intake.domain.commands import AddComment, InboundMessage
from intake.domain.config import IntakeConfig
from intake.domain.ticket import Ticket
from intake.uow import ArticleHit, MessageKey, SeenMessage, UnitOfWork
from intake.usecases.admission import admit_in_tx, check_admissible
from intake.usecases.comments import comment_in_tx
from intake.usecases.common import Entitlements
from shared.errors import Forbidden
from shared.events.vocabulary import Channel

REGISTRATION_RE = re.compile(r"\b([A-Z]{1,10}-\d{4}-\d{6})\b")
Outcome = Literal["ticket_created", "comment_added"]


@dataclass(frozen=True)
class Inbound:
    """What a message did: the ticket it made or commented on, and whether it was a repeat."""

    outcome: Outcome
    duplicate: bool
    ticket: Ticket
    comment_id: UUID | None = None
    articles: Sequence[ArticleHit] | None = field(default=None)


def message_id(value: str) -> str:
    """A message id as stored: without the angle brackets email clients put around it."""
    return value.strip().strip("<>").strip()


async def _replay(uow: UnitOfWork, key: MessageKey) -> Inbound | None:
    seen = await uow.messages.seen(key)
    if seen is None:
        return None
    ticket = await uow.tickets.get(seen.ticket_id)
    # The key holds the customer, so the ticket is always theirs; never replay another's.
    if ticket is None or ticket.customer_id != key.customer_id:
        return None
    outcome: Outcome = "comment_added" if seen.outcome == "comment_added" else "ticket_created"
    return Inbound(outcome, duplicate=True, ticket=ticket, comment_id=seen.comment_id)


async def _thread_of(uow: UnitOfWork, key: MessageKey, cmd: InboundMessage) -> UUID | None:
    """The ticket a message answers: the message it replies to, one its References name
    (newest first: the last is its parent), or a registration number in its text."""
    replied = [cmd.reply_to] if cmd.reply_to else []
    for ref in [*replied, *reversed(cmd.references)]:
        found = await uow.messages.thread_of_reply(key, message_id(ref))
        if found is not None:
            return found
    for number in REGISTRATION_RE.findall(cmd.thread_text):
        found = await uow.tickets.id_by_number(number)
        if found is not None:
            return found
    return None


async def _comment(
    uow: UnitOfWork, cmd: InboundMessage, *, thread: UUID, customer_id: UUID, now: datetime
) -> Inbound:
    if await uow.tickets.customer_of(thread) != customer_id:
        raise Forbidden(
            "The reply comes from a contact of another customer than the ticket's; "
            "only the ticket's customer may add to it.",
            slug="not-customers-contact",
        )
    actor = Actor(
        kind=ActorKind.customer, name=cmd.actor_name, contact_email=cmd.lookup.get("email")
    )
    ticket, note = await comment_in_tx(
        uow,
        AddComment(
            ticket_id=thread,
            body=cmd.body,
            public=True,
            actor=actor,
            channel=cmd.channel,
            attachments=cmd.attachments,
        ),
        now=now,
    )
    return Inbound("comment_added", duplicate=False, ticket=ticket, comment_id=note.id)


async def inbound(
    cmd: InboundMessage,
    *,
    uow: UnitOfWork,
    entitlements: Entitlements,
    config: IntakeConfig,
    now: datetime,
    scope: UUID | None = None,
) -> Inbound:
    """Dedupe by sender and message id, thread a reply, else admit a new ticket.

    The sender's entitlement and the key's scope are checked before anything is looked up,
    so a repeat is answered only to the customer (and key) the first message came from.
    """
    terms = await entitlements.for_contact(**cmd.lookup)
    check_scope(terms, scope)
    key = MessageKey(cmd.channel, terms.customer_id, cmd.conversation, message_id(cmd.external_id))
    async with uow:
        replay = await _replay(uow, key)
        thread = await _thread_of(uow, key, cmd)
    if replay is not None:
        return replay
    if thread is None:
        await check_admissible(cmd.ticket, terms, entitlements=entitlements, scope=scope)
    async with uow:
        await uow.messages.lock(key)
        replay = await _replay(uow, key)
        if replay is not None:
            return replay
        if thread is not None:
            result = await _comment(uow, cmd, thread=thread, customer_id=terms.customer_id, now=now)
        else:
            origin = {"source_message_id": cmd.external_id}
            if cmd.channel == Channel.chat:
                origin["chat_id"] = cmd.conversation
            admitted = await admit_in_tx(
                uow, cmd.ticket, terms=terms, config=config, now=now, origin=origin
            )
            result = Inbound(
                "ticket_created",
                duplicate=False,
                ticket=admitted.ticket,
                articles=admitted.articles,
            )
        await uow.messages.record(
            key, SeenMessage(result.ticket.id, result.comment_id, result.outcome)
        )
        await uow.commit()
    return result
