"""SQL for attachments' rows (table ``attachments``); the bytes are in ``adapters.blobs``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import and_, cast, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters.orm import attachments, comment, ticket
from intake.domain.attachments import Attachment

_COLUMNS = [c.name for c in attachments.c]


def _of(row: Any) -> Attachment:
    internal = getattr(row, "internal", None)
    return Attachment(**{name: getattr(row, name) for name in _COLUMNS}, internal=bool(internal))


class SqlAttachmentRepository:
    """A ticket's stored files; an internal comment's files only for staff."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, attachment: Attachment) -> None:
        await self._session.execute(
            insert(attachments).values({name: getattr(attachment, name) for name in _COLUMNS})
        )

    def _select(self) -> Any:
        # An attachment of an internal comment is as internal as the comment.
        internal = and_(comment.c.id.is_not(None), comment.c.public.is_(False)).label("internal")
        return select(attachments, internal).outerjoin(
            comment, comment.c.id == attachments.c.comment_id
        )

    async def of_ticket(self, ticket_id: UUID, *, include_internal: bool) -> list[Attachment]:
        rows = await self._session.execute(
            self._select()
            .where(attachments.c.ticket_id == ticket_id)
            .order_by(attachments.c.created_at, attachments.c.id)
        )
        found = [_of(row) for row in rows]
        return [a for a in found if include_internal or not a.internal]

    async def get(self, ticket_id: UUID, attachment_id: UUID) -> Attachment | None:
        row = (
            await self._session.execute(
                self._select().where(
                    attachments.c.ticket_id == ticket_id, attachments.c.id == attachment_id
                )
            )
        ).one_or_none()
        return _of(row) if row is not None else None

    async def list_on_comment(
        self, ticket_id: UUID, comment_id: UUID, summaries: Sequence[dict[str, Any]]
    ) -> bool | None:
        """Append the files to the comment's list; whether it is public (None: no such comment)."""
        public: bool | None = await self._session.scalar(
            update(comment)
            .where(comment.c.id == comment_id, comment.c.ticket_id == ticket_id)
            .values(attachments=comment.c.attachments.op("||")(cast(list(summaries), JSONB)))
            .returning(comment.c.public)
        )
        return public

    async def list_on_ticket(self, ticket_id: UUID, summaries: Sequence[dict[str, Any]]) -> None:
        """Append the files to the ticket's own list (shown with the ticket)."""
        await self._session.execute(
            update(ticket)
            .where(ticket.c.id == ticket_id)
            .values(attachments=ticket.c.attachments.op("||")(cast(list(summaries), JSONB)))
        )
