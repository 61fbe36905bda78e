"""What the use cases need from storage: the unit of work and its repositories, as protocols.

``adapters.uow.IntakeUnitOfWork`` is the SQLAlchemy one; the unit tests use an
in-memory one (``tests/unit/fakes.py``). The use cases see only these protocols, so the
rules of admission and the lifecycle run without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self
from uuid import UUID

from intake.domain.admission import OpenTicketRef
from intake.domain.attachments import Attachment
from intake.domain.ticket import Comment, Ticket
from intake.domain.visits import Visit
from shared.errors import DomainError
from shared.events.mail import MailEventData


class AdmissionTickets(Protocol):
    """What admitting a ticket needs of the tickets: its locks, reads and the two writes."""

    async def add(self, ticket: Ticket) -> None: ...
    async def save(self, ticket: Ticket) -> None: ...
    async def lock_customer(self, customer_id: UUID) -> None: ...
    async def lock_idempotency_key(self, customer_id: UUID, key: str) -> None: ...
    async def open_of(self, customer_id: UUID) -> list[OpenTicketRef]: ...
    async def by_idempotency_key(self, customer_id: UUID, key: str) -> Ticket | None: ...
    async def next_number(self) -> int: ...


class TicketRepository(AdmissionTickets, Protocol):
    """Loads and stores Ticket aggregates; storing hands their events to the outbox."""

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None: ...
    async def set_remote_access(self, ticket_id: UUID, available: bool) -> None: ...
    async def open_by_fingerprint(
        self, customer_id: UUID, fingerprints: Sequence[str]
    ) -> dict[str, UUID]: ...
    async def by_occurrence_key(self, key: str) -> UUID | None: ...
    async def not_final_of(self, customer_id: UUID) -> list[Ticket]: ...
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


class CommentWriter(Protocol):
    """Adds comments (all that admitting a ticket writes of them)."""

    async def add(self, comment: Comment) -> None: ...


class CommentRepository(CommentWriter, Protocol):
    """A ticket's comments."""

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


class AdmissionUnitOfWork(Protocol):
    """What admitting a ticket needs: one transaction over the tickets, comments and articles.

    ``UnitOfWork`` is one; ``adapters.admission_pg`` is the lean one of ``POST /tickets``.
    """

    @property
    def tickets(self) -> AdmissionTickets: ...
    @property
    def comments(self) -> CommentWriter: ...
    @property
    def articles(self) -> ArticleSuggestions: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


class UnitOfWork(AdmissionUnitOfWork, Protocol):
    """One transaction over intake's repositories; it rolls back unless committed."""

    tickets: TicketRepository
    comments: CommentRepository
    visits: VisitRepository
    messages: MessageRepository
    articles: ArticleSuggestions
    attachments: AttachmentRepository


MailStatus = Literal[
    "pending", "ticket_created", "comment_added", "ignored", "unknown_sender", "failed"
]


@dataclass(frozen=True)
class NewMail:
    """A message as received, before anything is made of it."""

    id: UUID
    message_id: str
    source: str
    raw: bytes
    envelope_from: str | None
    recipients: tuple[str, ...]
    received_at: datetime


@dataclass(frozen=True)
class ClaimedMail:
    """A pending message leased to one processor until ``lease_until``."""

    id: UUID
    raw: bytes
    attempts: int
    received_at: datetime


@dataclass(frozen=True)
class MailOutcome:
    """What processing made of a message (the record agents read)."""

    status: MailStatus
    reason: str | None = None
    from_address: str | None = None
    subject: str | None = None
    ticket_id: UUID | None = None
    comment_id: UUID | None = None
    # Not stored: the refusal behind a "failed" outcome (the raw API post answers with it),
    # and whether the ticket or comment was already made by an earlier run or message.
    error: DomainError | None = field(default=None, compare=False)
    repeat: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class MailRecord:
    """One inbound message's record, without its bytes."""

    id: UUID
    message_id: str
    source: str
    size: int
    envelope_from: str | None
    recipients: tuple[str, ...]
    received_at: datetime
    status: MailStatus
    reason: str | None
    from_address: str | None
    subject: str | None
    ticket_id: UUID | None
    comment_id: UUID | None
    attempts: int
    next_attempt_at: datetime
    processed_at: datetime | None


class MailboxRepository(Protocol):
    """``inbound_mail``: each received message once (by Message-ID), and what it became."""

    async def add(self, mail: NewMail, *, due_at: datetime) -> UUID | None: ...
    async def id_of(self, message_id: str) -> UUID | None: ...
    async def claim(
        self, *, now: datetime, lease_until: datetime, limit: int, mail_id: UUID | None = None
    ) -> list[ClaimedMail]: ...
    async def settle(
        self, mail_id: UUID, outcome: MailOutcome, *, now: datetime, events: Sequence[MailEventData]
    ) -> bool: ...
    async def postpone(self, mail_id: UUID, *, reason: str, until: datetime) -> None: ...
    async def get(self, mail_id: UUID) -> MailRecord | None: ...
    async def raw(self, mail_id: UUID) -> bytes | None: ...
    async def page(
        self,
        *,
        status: str | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
        message_id: str | None = None,
    ) -> list[MailRecord]: ...
    async def next_due(self) -> datetime | None: ...


class MailUnitOfWork(UnitOfWork, Protocol):
    """Intake's unit of work with its mailbox (the mail use cases need both)."""

    mailbox: MailboxRepository
