"""Use cases of the mailbox: store a received message once, and read the records of mail.

Receiving is split from processing on purpose: the SMTP listener (and the IMAP poller)
only commit the raw bytes and answer; the processor (``usecases.mail_processing``) makes
tickets of them later, with retries. So a crash after the SMTP ``250`` loses nothing,
and a slow or absent entitlement service never makes a sender wait.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from intake.domain.mailbox import SOURCES, message_id_of
from intake.uow import MailRecord, MailUnitOfWork, NewMail
from shared.errors import NotFound, Unprocessable
from shared.events.base import new_id

STATUSES = (
    "pending",
    "ticket_created",
    "comment_added",
    "ignored",
    "unknown_sender",
    "failed",
)


@dataclass(frozen=True)
class Accepted:
    """The stored message's record id, and whether its Message-ID was already stored."""

    id: UUID
    duplicate: bool
    message_id: str
    raw: bytes = b""


async def accept(
    uow: MailUnitOfWork,
    raw: bytes,
    *,
    source: str,
    envelope_from: str | None,
    recipients: Sequence[str],
    now: datetime,
    hold: timedelta | None = None,
) -> Accepted:
    """Commit the raw message (one row per Message-ID) and return its record.

    It is pending until the processor takes it; a second delivery of the same Message-ID
    (a sender's retry, an IMAP re-fetch after a crash) returns the first row, duplicate.
    ``hold``: the caller processes it itself at once (the raw API post), so the processor
    leaves it alone that long (and takes it after, should the caller have crashed).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown mail source {source!r}; one of {sorted(SOURCES)}")
    mid = message_id_of(raw)
    mail = NewMail(
        id=new_id(),
        message_id=mid,
        source=source,
        raw=raw,
        envelope_from=envelope_from or None,
        recipients=tuple(r.lower() for r in recipients),
        received_at=now,
    )
    async with uow:
        stored = await uow.mailbox.add(mail, due_at=now + (hold or timedelta(0)))
        if stored is None:
            existing = await uow.mailbox.id_of(mid)
        await uow.commit()
    if stored is not None:
        return Accepted(stored, duplicate=False, message_id=mid, raw=raw)
    if existing is None:  # stored by another and deleted meanwhile: never in practice
        raise RuntimeError(f"inbound mail {mid!r} vanished between insert and read")
    return Accepted(existing, duplicate=True, message_id=mid)


def encode_cursor(record: MailRecord) -> str:
    """The next page starts after this record (opaque to clients)."""
    raw = f"{record.received_at.isoformat()}|{record.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, ident = raw.split("|", 1)
        return datetime.fromisoformat(at), UUID(ident)
    except ValueError as exc:
        raise Unprocessable(
            "The cursor is not one this API gave out; pass next_cursor from the previous "
            "page unchanged, or leave it out for the first page.",
            slug="bad-cursor",
        ) from exc


async def list_mail(
    uow: MailUnitOfWork,
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
    message_id: str | None = None,
) -> tuple[list[MailRecord], str | None]:
    """Records newest first, optionally of one status, and the next page's cursor."""
    if status is not None and status not in STATUSES:
        raise Unprocessable(
            f"Unknown status {status!r}; use one of: {', '.join(STATUSES)}.",
            slug="validation-error",
            errors=[{"field": "status", "message": "unknown status", "type": "value_error"}],
        )
    before = _decode_cursor(cursor) if cursor else None
    async with uow:
        records = await uow.mailbox.page(
            status=status,
            before=before,
            limit=limit + 1,
            message_id=message_id.strip().strip("<>") if message_id else None,
        )
    more = len(records) > limit
    records = records[:limit]
    return records, (encode_cursor(records[-1]) if more and records else None)


async def get_mail(uow: MailUnitOfWork, mail_id: UUID) -> tuple[MailRecord, bytes]:
    """One record and its original bytes; NotFound if there is none."""
    async with uow:
        record = await uow.mailbox.get(mail_id)
        raw = await uow.mailbox.raw(mail_id) if record is not None else None
    if record is None or raw is None:
        raise NotFound(f"No inbound mail {mail_id}.", slug="not-found")
    return record, raw
