"""Use cases: comment on a ticket, and read its comments."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from intake.domain.actors import ActorKind
from intake.domain.commands import AddComment
from intake.domain.ticket import Comment, Ticket
from intake.uow import UnitOfWork
from intake.usecases.common import Entitlements, customer_of, locked, verify_contact
from shared.errors import Forbidden
from shared.events.base import new_id


async def comment_in_tx(
    uow: UnitOfWork, cmd: AddComment, *, now: datetime, comment_id: UUID | None = None
) -> tuple[Ticket, Comment]:
    """Add the comment inside the caller's transaction (which commits).

    ``comment_id``: an id chosen beforehand (files stored under it before the commit).
    """
    ticket = await locked(uow, cmd.ticket_id)
    ticket.check_commentable()
    note = ticket.comment(
        comment_id or new_id(),
        body=cmd.body,
        public=cmd.public,
        actor=cmd.actor,
        author=cmd.actor.contact_email or cmd.actor.name,
        channel=cmd.channel,
        attachments=cmd.attachments,
        now=now,
    )
    await uow.comments.add(note)
    await uow.tickets.save(ticket)
    return ticket, note


async def add_comment(
    cmd: AddComment,
    *,
    uow: UnitOfWork,
    entitlements: Entitlements,
    now: datetime,
    scope: UUID | None = None,
) -> Comment:
    """Add a public or internal comment (customers write public ones only)."""
    if cmd.actor.kind == ActorKind.customer and not cmd.public:
        raise Forbidden(
            "Internal comments are for support staff; send public=true.", slug="internal-comment"
        )
    customer_id = await customer_of(uow, cmd.ticket_id, scope)
    await verify_contact(cmd.actor, customer_id=customer_id, entitlements=entitlements)
    async with uow:
        _, note = await comment_in_tx(uow, cmd, now=now)
        await uow.commit()
    return note


async def list_comments(
    ticket_id: UUID, *, include_internal: bool, uow: UnitOfWork, scope: UUID | None = None
) -> list[Comment]:
    """The ticket's comments, oldest first (internal ones only for staff)."""
    await customer_of(uow, ticket_id, scope)
    async with uow:
        return await uow.comments.of_ticket(ticket_id, include_internal=include_internal)
