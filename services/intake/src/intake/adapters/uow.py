"""The intake unit of work on SQLAlchemy: one transaction over its repositories."""

from __future__ import annotations

from intake.adapters.attachments import SqlAttachmentRepository
from intake.adapters.entitlement_view import SqlEntitlementView
from intake.adapters.mailbox import SqlMailbox
from intake.adapters.messages import SqlArticleSuggestions, SqlMessageRepository
from intake.adapters.repository import SqlCommentRepository, SqlTicketRepository
from intake.adapters.sla_summary import SqlSlaSummary
from intake.adapters.visits import SqlVisitRepository
from intake.uow import (
    ArticleSuggestions,
    AttachmentRepository,
    CommentRepository,
    MailboxRepository,
    MessageRepository,
    TicketRepository,
    VisitRepository,
)
from shared.db import UnitOfWork


class IntakeUnitOfWork(UnitOfWork):
    """One transaction over the intake schema, its repositories, outbox and inbox."""

    tickets: TicketRepository
    comments: CommentRepository
    visits: VisitRepository
    messages: MessageRepository
    articles: ArticleSuggestions
    mailbox: MailboxRepository
    attachments: AttachmentRepository
    sla_summary: SqlSlaSummary  # written by the timer-event handler only
    entitlement_view: SqlEntitlementView  # written by the entitlement projection only

    def _open(self) -> None:
        self.tickets = SqlTicketRepository(self.session, self.outbox, schema=self.schema)
        self.comments = SqlCommentRepository(self.session)
        self.visits = SqlVisitRepository(self.session)
        self.messages = SqlMessageRepository(self.session)
        self.articles = SqlArticleSuggestions(self.session)
        self.attachments = SqlAttachmentRepository(self.session)
        self.sla_summary = SqlSlaSummary(self.session)
        self.entitlement_view = SqlEntitlementView(self.session)
        self.mailbox = SqlMailbox(self.session, self.outbox)
