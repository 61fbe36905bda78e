"""Use cases: attach files to a ticket (or one of its comments), list them, read their bytes.

The bytes go to the store before the rows commit, so a committed row always has its
bytes. A failure before the commit deletes what was stored; a crash in that window
leaves an orphan blob (bytes no row names), which costs space and nothing else
(docs/email-channel.md, "Attachments").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from intake.domain.actors import Actor
from intake.domain.attachments import (
    Attachment,
    AttachmentLimits,
    IncomingFile,
    Prepared,
    Source,
    already_attached,
    prepare,
)
from intake.domain.commands import AddComment
from intake.domain.ticket import Comment
from intake.uow import AttachmentStore, UnitOfWork
from intake.usecases.comments import comment_in_tx
from intake.usecases.common import Entitlements, customer_of, locked, verify_contact
from shared.errors import NotFound
from shared.events.base import new_id

log = logging.getLogger(__name__)

__all__ = ["IncomingFile", "Uploaded", "attach", "list_attachments", "read_content", "upload"]


@dataclass(frozen=True)
class Uploaded:
    """What an upload stored, and the public comment that carries the files, if any."""

    attachments: list[Attachment]
    comment: Comment | None


def _prepare(
    files: Sequence[IncomingFile],
    store: AttachmentStore,
    *,
    ticket_id: UUID,
    comment_id: UUID | None,
    source: str,
    actor: Actor,
    limits: AttachmentLimits,
    now: datetime,
) -> list[Prepared]:
    return prepare(
        list(files),
        ticket_id=ticket_id,
        comment_id=comment_id,
        source=Source(source),
        uploaded_by=actor.label,
        backend=store.backend,
        limits=limits,
        now=now,
        new_id=new_id,
    )


async def _put_all(store: AttachmentStore, prepared: Sequence[Prepared]) -> None:
    for p in prepared:
        await store.put(p.attachment.storage_key, p.data, content_type=p.attachment.content_type)


async def _forget(store: AttachmentStore, prepared: Sequence[Prepared]) -> None:
    """Delete stored bytes no row will name (best effort: an orphan is harmless)."""
    for p in prepared:
        try:
            await store.delete(p.attachment.storage_key)
        except Exception:  # the caller's own error matters more than a cleanup's
            log.warning("orphan attachment blob %s left in the store", p.attachment.storage_key)


async def attach(
    uow: UnitOfWork,
    store: AttachmentStore,
    *,
    ticket_id: UUID,
    comment_id: UUID | None,
    files: Sequence[IncomingFile],
    source: str,
    actor: Actor,
    limits: AttachmentLimits,
    now: datetime,
) -> list[Attachment]:
    """Store files on a ticket, or on one of its existing comments, in one transaction.

    Returns one attachment per file, in order. A file with the same name and bytes
    already on the same comment (or on the ticket) is returned as it is, not stored
    again: a mail processed twice, or an upload retried, attaches each file once.
    The comment's and the ticket's attachment lists get each new file's download URL.

    Raises:
        AttachmentTooLarge: over a limit (413; nothing is stored).
        NotFound: no such ticket, or no such comment on it.
    """
    prepared = _prepare(
        files,
        store,
        ticket_id=ticket_id,
        comment_id=comment_id,
        source=source,
        actor=actor,
        limits=limits,
        now=now,
    )
    await _put_all(store, prepared)
    try:
        async with uow:
            result, fresh = await _record(uow, ticket_id, comment_id, prepared)
            await uow.commit()
    except BaseException:
        await _forget(store, prepared)
        raise
    await _forget(store, [p for p in prepared if p.attachment not in fresh])
    return result


async def _record(
    uow: UnitOfWork, ticket_id: UUID, comment_id: UUID | None, prepared: Sequence[Prepared]
) -> tuple[list[Attachment], list[Attachment]]:
    """Add the rows not there yet; list the new ones on the comment and the ticket."""
    ticket = await locked(uow, ticket_id)
    existing = await uow.attachments.of_ticket(ticket_id, include_internal=True)
    result: list[Attachment] = []
    fresh: list[Attachment] = []
    for p in prepared:
        found = already_attached(p, [*existing, *fresh])
        if found is None:
            fresh.append(p.attachment)
        result.append(found or p.attachment)
    if not fresh:
        return result, fresh
    summaries = [a.summary() for a in fresh]
    # The comment first: it must be this ticket's before any row may point at it.
    public = True
    if comment_id is not None:
        found_public = await uow.attachments.list_on_comment(ticket_id, comment_id, summaries)
        if found_public is None:
            raise NotFound(
                f"Ticket {ticket_id} has no comment {comment_id}; list its comments with "
                f"GET /api/v1/tickets/{ticket_id}/comments.",
                slug="no-comment",
            )
        public = found_public
    for a in fresh:
        await uow.attachments.add(a)
    if public:  # an internal comment's files are not listed with the ticket customers read
        # A fact about the ticket, not a move: no event, no new version (like remote access).
        await uow.attachments.list_on_ticket(ticket.id, summaries)
    return result, fresh


async def upload(
    uow: UnitOfWork,
    store: AttachmentStore,
    *,
    entitlements: Entitlements,
    ticket_id: UUID,
    files: Sequence[IncomingFile],
    comment: str | None,
    source: str,
    actor: Actor,
    limits: AttachmentLimits,
    now: datetime,
    scope: UUID | None,
) -> Uploaded:
    """Files uploaded through the API or the portal; with text, a public comment carrying them."""
    customer_id = await customer_of(uow, ticket_id, scope)
    await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    if not comment:
        stored = await attach(
            uow,
            store,
            ticket_id=ticket_id,
            comment_id=None,
            files=files,
            source=source,
            actor=actor,
            limits=limits,
            now=now,
        )
        return Uploaded(stored, None)
    comment_id = new_id()
    prepared = _prepare(
        files,
        store,
        ticket_id=ticket_id,
        comment_id=comment_id,
        source=source,
        actor=actor,
        limits=limits,
        now=now,
    )
    await _put_all(store, prepared)
    try:
        note = await _comment_with(
            uow, ticket_id, comment_id, comment, actor, source, prepared, now
        )
    except BaseException:
        await _forget(store, prepared)
        raise
    return Uploaded([p.attachment for p in prepared], note)


async def _comment_with(
    uow: UnitOfWork,
    ticket_id: UUID,
    comment_id: UUID,
    body: str,
    actor: Actor,
    source: str,
    prepared: Sequence[Prepared],
    now: datetime,
) -> Comment:
    """The public comment and its files' rows, in one transaction."""
    cmd = AddComment(
        ticket_id=ticket_id,
        body=body,
        public=True,
        actor=actor,
        channel="web" if source == Source.portal else "api",
        attachments=[p.attachment.summary() for p in prepared],
    )
    async with uow:
        _, note = await comment_in_tx(uow, cmd, now=now, comment_id=comment_id)
        for p in prepared:
            await uow.attachments.add(p.attachment)
        await uow.commit()
    return note


async def list_attachments(
    uow: UnitOfWork, ticket_id: UUID, *, include_internal: bool, scope: UUID | None
) -> list[Attachment]:
    """The ticket's files, oldest first (an internal comment's only for staff)."""
    await customer_of(uow, ticket_id, scope)
    async with uow:
        return await uow.attachments.of_ticket(ticket_id, include_internal=include_internal)


def no_attachment(ticket_id: UUID, attachment_id: UUID) -> NotFound:
    """The 404 for an attachment that does not exist or that the caller may not see."""
    return NotFound(
        f"Ticket {ticket_id} has no attachment {attachment_id}; list them with "
        f"GET /api/v1/tickets/{ticket_id}/attachments.",
        slug="no-attachment",
    )


async def read_content(
    uow: UnitOfWork,
    store: AttachmentStore,
    *,
    ticket_id: UUID,
    attachment_id: UUID,
    include_internal: bool,
    scope: UUID | None,
) -> tuple[Attachment, bytes]:
    """One attachment and its bytes, under the ticket's access rules."""
    await customer_of(uow, ticket_id, scope)
    async with uow:
        found = await uow.attachments.get(ticket_id, attachment_id)
    if found is None or (found.internal and not include_internal):
        raise no_attachment(ticket_id, attachment_id)
    data = await store.get(found.storage_key)
    if data is None:
        raise NotFound(
            f"The bytes of attachment {attachment_id} are missing from the {found.backend} "
            "store; ask an administrator to restore them from a backup.",
            slug="attachment-content-missing",
        )
    return found, data
