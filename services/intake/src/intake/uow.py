"""What the use cases need from storage: the unit of work and its repositories, as protocols.

``adapters.uow.IntakeUnitOfWork`` is the SQLAlchemy one; the unit tests use an
in-memory one (``tests/unit/fakes.py``). The use cases see only these protocols, so the
rules of admission and the lifecycle run without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from intake.domain.admission import OpenTicketRef
from intake.domain.attachments import Attachment
from intake.domain.ticket import Comment, Ticket
from intake.domain.visits import Visit


class TicketRepository(Protocol):
    """Loads and stores Ticket aggregates; storing hands their events to the outbox."""

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None: ...
    async def add(self, ticket: Ticket) -> None: ...
    async def save(self, ticket: Ticket) -> None: ...
    async def set_remote_access(self, ticket_id: UUID, available: bool) -> None: ...
    async def open_by_fingerprint(
        self, customer_id: UUID, fingerprints: Sequence[str]
    ) -> dict[str, UUID]: ...
    async def by_occurrence_key(self, key: str) -> UUID | None: ...
    async def lock_customer(self, customer_id: UUID) -> None: ...
    async def lock_idempotency_key(self, customer_id: UUID, key: str) -> None: ...
    async def open_of(self, customer_id: UUID) -> list[OpenTicketRef]: ...
    async def not_final_of(self, customer_id: UUID) -> list[Ticket]: ...
    async def by_idempotency_key(self, customer_id: UUID, key: str) -> Ticket | None: ...
    async def next_number(self) -> int: ...
    async def due_for_auto_close(self, now: datetime, *, batch: int) -> list[Ticket]: ...
    async def next_auto_close(self) -> datetime | None: ...
    async def customer_of(self, ticket_id: UUID) -> UUID | None: ...
    async def id_by_number(self, registration_number: str) -> UUID | None: ...


class VisitRepository(Protocol):
    """A ticket's on-site visits."""

    async def add(self, visit: Visit) -> None: ...
    async def save(self, visit: Visit) -> None: ...
    async def get(self, ticket_id: UUID, visit_id: UUID) -> Visit | None: ...
    async def of_ticket(self, ticket_id: UUID) -> list[Visit]: ...


class CommentRepository(Protocol):
    """A ticket's comments."""

    async def add(self, comment: Comment) -> None: ...
    async def of_ticket(self, ticket_id: UUID, *, include_internal: bool) -> list[Comment]: ...


@dataclass(frozen=True)
class MessageKey:
    """Who sent an inbound message and under which id (the dedupe key of channel_message).

    Chat platforms number messages per chat and anybody can write any Message-ID, so a
    message is known by its channel, the customer the sender belongs to, the conversation
    (the chat id; for email the sender's address) and its external id.
    """

    channel: str
    customer_id: UUID
    conversation: str
    external_id: str


@dataclass(frozen=True)
class SeenMessage:
    """What an inbound message already did."""

    ticket_id: UUID
    comment_id: UUID | None
    outcome: str


class MessageRepository(Protocol):
    """Inbound email and chat messages already handled, for dedupe and threading."""

    async def lock(self, key: MessageKey) -> None: ...
    async def seen(self, key: MessageKey) -> SeenMessage | None: ...
    async def thread_of_reply(self, key: MessageKey, reply_to: str) -> UUID | None: ...
    async def record(self, key: MessageKey, message: SeenMessage) -> None: ...


@dataclass(frozen=True)
class ArticleHit:
    """A knowledge-base article that may answer a ticket."""

    id: UUID
    kind: str
    title: str
    rank: float


class ArticleSuggestions(Protocol):
    """Knowledge-base articles matching a ticket's text."""

    async def suggest(self, text: str, limit: int) -> Sequence[ArticleHit]: ...


class AttachmentRepository(Protocol):
    """The rows of a ticket's stored files (the bytes are the ``AttachmentStore``'s)."""

    async def add(self, attachment: Attachment) -> None: ...
    async def of_ticket(self, ticket_id: UUID, *, include_internal: bool) -> list[Attachment]: ...
    async def get(self, ticket_id: UUID, attachment_id: UUID) -> Attachment | None: ...
    async def list_on_comment(
        self, ticket_id: UUID, comment_id: UUID, summaries: Sequence[dict[str, Any]]
    ) -> bool | None: ...
    async def list_on_ticket(
        self, ticket_id: UUID, summaries: Sequence[dict[str, Any]]
    ) -> None: ...


class AttachmentStore(Protocol):
    """Where attachments' bytes live: PostgreSQL, a directory or S3, chosen by settings.

    Keys are made by intake (``<ticket id>/<attachment id>``), never from a file name.
    ``put`` overwrites (a retried upload of the same key is harmless); ``get`` of a
    missing key is None; ``delete`` of a missing key is no error.
    """

    backend: str

    async def put(self, key: str, data: bytes, *, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes | None: ...
    async def delete(self, key: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over intake's repositories; it rolls back unless committed."""

    tickets: TicketRepository
    comments: CommentRepository
    visits: VisitRepository
    messages: MessageRepository
    articles: ArticleSuggestions
    attachments: AttachmentRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
