"""SQL for inbound messages (dedupe and threading) and knowledge-base suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from intake.adapters import queries
from intake.adapters.orm import channel_message
from intake.uow import ArticleHit, MessageKey, SeenMessage
from shared.events.vocabulary import Channel


def _where(key: MessageKey) -> list[Any]:
    return [
        channel_message.c.channel == key.channel,
        channel_message.c.customer_id == key.customer_id,
        channel_message.c.conversation == key.conversation,
        channel_message.c.external_id == key.external_id,
    ]


class SqlMessageRepository:
    """``channel_message``: each inbound message once, and what it did."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock(self, key: MessageKey) -> None:
        """The same message posted twice at once: the second waits here, then sees the first."""
        await self._session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
            {
                "k": f"intake.msg.{key.channel}.{key.customer_id}.{key.conversation}."
                f"{key.external_id}"
            },
        )

    async def seen(self, key: MessageKey) -> SeenMessage | None:
        row = (
            await self._session.execute(select(channel_message).where(*_where(key)))
        ).one_or_none()
        if row is None:
            return None
        return SeenMessage(ticket_id=row.ticket_id, comment_id=row.comment_id, outcome=row.outcome)

    async def thread_of_reply(self, key: MessageKey, reply_to: str) -> UUID | None:
        stmt = select(channel_message.c.ticket_id).where(
            channel_message.c.channel == key.channel,
            channel_message.c.customer_id == key.customer_id,
            channel_message.c.external_id == reply_to,
        )
        if key.channel == Channel.chat:
            # Chat message ids are per chat: a reply names a message of the same chat.
            stmt = stmt.where(channel_message.c.conversation == key.conversation)
        found = await self._session.scalar(stmt.limit(1))
        return None if found is None else UUID(str(found))

    async def record(self, key: MessageKey, message: SeenMessage) -> None:
        await self._session.execute(
            insert(channel_message).values(
                channel=key.channel,
                customer_id=key.customer_id,
                conversation=key.conversation,
                external_id=key.external_id,
                ticket_id=message.ticket_id,
                comment_id=message.comment_id,
                outcome=message.outcome,
            )
        )


class SqlArticleSuggestions:
    """Full-text search of the knowledge base for a new ticket's text."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def suggest(self, text: str, limit: int) -> Sequence[ArticleHit]:
        refs = await queries.suggest_articles(self._session, text, limit)
        return [ArticleHit(id=r.id, kind=r.kind, title=r.title, rank=r.rank) for r in refs]
