"""Use case: a processed message's files are stored on the ticket or comment it made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from intake.domain.actors import Actor, ActorKind
from intake.domain.attachments import AttachmentLimits, AttachmentTooLarge, Source
from intake.domain.mail import ParsedMail
from intake.domain.mailbox import mail_files
from intake.uow import AttachmentStore, UnitOfWork
from intake.usecases.attachments import attach
from intake.usecases.channels import Inbound


class StoreMailAttachments:
    """``MailAttachments`` over the attachments use case (source ``email``, the sender as
    the customer who uploaded them). ``attach`` is idempotent, so a message processed a
    second time after a crash stores each file once."""

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        store: Callable[[], AttachmentStore],
        limits: AttachmentLimits,
    ) -> None:
        self._uow = uow
        self._store = store
        self._limits = limits

    async def store(self, mail: ParsedMail, result: Inbound, *, now: datetime) -> str | None:
        files, notes = mail_files(mail.attachments, self._limits)
        if files:
            actor = Actor(
                kind=ActorKind.customer,
                name=mail.from_name or mail.from_address,
                contact_email=mail.from_address,
            )
            try:
                await attach(
                    self._uow(),
                    self._store(),
                    ticket_id=result.ticket.id,
                    comment_id=result.comment_id,
                    files=files,
                    source=Source.email,
                    actor=actor,
                    limits=self._limits,
                    now=now,
                )
            except AttachmentTooLarge as exc:  # mail_files kept within the limits: not expected
                notes.append(exc.detail)
        if not notes:
            return None
        return "Attachments not stored: " + "; ".join(notes) + "."
