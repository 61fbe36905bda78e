"""Use case: a stored inbound message becomes a ticket, a comment, or a record of why not.

Each pending ``inbound_mail`` row is leased to one processor (``MailboxRepository.claim``,
``FOR UPDATE SKIP LOCKED``), parsed and screened:

- an auto-reply, a delivery report (bounce) or mail from the desk's own addresses is
  ``ignored`` with the screening's reason; a bounce announces ``mail.bounced`` for each
  failed recipient, so notification stops mailing it; nothing is ever sent in reply;
- a sender that is no contact of any customer is ``unknown_sender`` and announced as
  ``mail.sender_unknown`` (notification answers once, politely);
- anything else goes through the channel use case (``channels.inbound``): dedupe by
  Message-ID, threading, admission; then its attachments are stored.

A transient failure (entitlement or the database down) leaves the row pending with a
growing delay: the message is never lost. A refusal by a rule (no active contract, the
open-ticket limit, a reply to another customer's ticket) is ``failed`` with the reason,
for an agent to read. The lease ends after ``LEASE``, so a processor that crashed mid-way
is replaced, and ``channels.inbound``'s own dedupe makes the second run a replay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from intake.domain.config import IntakeConfig
from intake.domain.mail import ParsedMail, bounce_info, parse, screen
from intake.domain.mailbox import LEASE, gives_up, inbound_message, retry_delay
from intake.uow import ClaimedMail, MailOutcome, MailUnitOfWork
from intake.usecases import channels
from intake.usecases.common import Entitlements
from intake.usecases.mailbox import Accepted
from shared.clock import Clock
from shared.errors import DomainError, Forbidden
from shared.events.mail import MailBounced, MailEventData, MailSenderUnknown
from shared.logging import get_logger
from shared.poller import DueJob

log = get_logger(__name__)
PARALLEL = 4  # messages of one batch processed at once (each holds one connection at a time)


class MailAttachments(Protocol):
    """Stores a message's attachments on the ticket or comment it made (idempotent: the
    same file on the same comment is stored once, so a second run after a crash is safe).
    Returns a note for the record when a file was refused (over a limit), else None."""

    async def store(
        self, mail: ParsedMail, result: channels.Inbound, *, now: datetime
    ) -> str | None: ...


@dataclass(frozen=True)
class MailContext:
    """What processing needs besides the database: entitlement, rules, own addresses."""

    entitlements: Entitlements
    config: IntakeConfig
    own_addresses: Collection[str]
    attachments: MailAttachments | None = None
    # A customer-bound bot's raw post: the sender must be a contact of its customer.
    scope: UUID | None = None


def _unknown_contact(exc: Forbidden) -> bool:
    return exc.slug == "not-entitled" and exc.extensions.get("cause") == "unknown-contact"


def _summary(mail: ParsedMail) -> dict[str, Any]:
    return {"from_address": mail.from_address or None, "subject": mail.subject[:500]}


def _bounce_events(claimed: ClaimedMail, mail: ParsedMail) -> list[MailEventData]:
    info = bounce_info(mail)
    if info is None:
        return []
    return [
        MailBounced(
            inbound_id=claimed.id,
            message_id=mail.message_id,
            address=address.lower(),
            original_message_id=info.original_message_id,
            status=info.status,
            diagnostic=(info.diagnostic or None) and info.diagnostic[:1000],
        )
        for address in dict.fromkeys(a.lower() for a in info.failed_recipients if a)
    ]


async def _settle(
    uow: MailUnitOfWork,
    claimed: ClaimedMail,
    outcome: MailOutcome,
    *,
    now: datetime,
    events: Sequence[MailEventData] = (),
) -> MailOutcome:
    async with uow:
        await uow.mailbox.settle(claimed.id, outcome, now=now, events=events)
        await uow.commit()
    return outcome


async def _postpone(
    uow: MailUnitOfWork, claimed: ClaimedMail, reason: str, *, now: datetime
) -> MailOutcome:
    """A transient failure: try again later, or give up after ``MAX_ATTEMPTS``."""
    if gives_up(claimed.attempts):
        failed = MailOutcome("failed", f"Gave up after {claimed.attempts} attempts: {reason}")
        return await _settle(uow, claimed, failed, now=now)
    async with uow:
        until = now + retry_delay(claimed.attempts)
        await uow.mailbox.postpone(claimed.id, reason=reason, until=until)
        await uow.commit()
    return MailOutcome("pending", reason)


async def _screened(
    uow: MailUnitOfWork, claimed: ClaimedMail, mail: ParsedMail, ctx: MailContext, now: datetime
) -> MailOutcome | None:
    """Settle a message the screening refuses (auto-reply, bounce, own address)."""
    screening = screen(mail, ctx.own_addresses)
    if screening.kind == "accept":
        return None
    events = _bounce_events(claimed, mail) if screening.kind == "bounce" else []
    outcome = MailOutcome("ignored", screening.reason, **_summary(mail))
    return await _settle(uow, claimed, outcome, now=now, events=events)


async def _ticket(
    uow: MailUnitOfWork, claimed: ClaimedMail, mail: ParsedMail, ctx: MailContext, now: datetime
) -> MailOutcome:
    """Through the channel use case; an unknown sender or a refusal is recorded instead."""
    cmd = inbound_message(
        message_id=mail.message_id,
        from_address=mail.from_address,
        from_name=mail.from_name,
        subject=mail.subject,
        text=mail.text,
        reply_text=mail.reply_text,
        in_reply_to=mail.in_reply_to,
        references=tuple(mail.references),
    )
    try:
        result = await channels.inbound(
            cmd,
            uow=uow,
            entitlements=ctx.entitlements,
            config=ctx.config,
            now=now,
            scope=ctx.scope,
        )
    except Forbidden as exc:
        if not _unknown_contact(exc):
            return await _settle(uow, claimed, _refused(mail, exc), now=now)
        unknown = MailOutcome("unknown_sender", exc.detail, **_summary(mail))
        if ctx.scope is not None:
            # A customer's bot posted it: no answer goes out on a bot's word about a
            # sender (it could name anyone), only the record.
            return await _settle(uow, claimed, unknown, now=now)
        event = MailSenderUnknown(
            inbound_id=claimed.id,
            message_id=mail.message_id,
            address=mail.from_address,
            subject=mail.subject[:500],
            language=mail.language,
        )
        return await _settle(uow, claimed, unknown, now=now, events=[event])
    except DomainError as exc:
        if exc.status >= 500:
            raise
        return await _settle(uow, claimed, _refused(mail, exc), now=now)
    # Attachments first, in their own transaction (idempotent), then the record: a crash in
    # between runs both again, and the channel's dedupe makes the ticket part a replay.
    note = await ctx.attachments.store(mail, result, now=now) if ctx.attachments else None
    repeat = "A repeat of a message already processed." if result.duplicate else None
    outcome = MailOutcome(
        result.outcome,
        " ".join(n for n in (repeat, note) if n) or None,
        ticket_id=result.ticket.id,
        comment_id=result.comment_id,
        repeat=result.duplicate,
        **_summary(mail),
    )
    return await _settle(uow, claimed, outcome, now=now)


def _refused(mail: ParsedMail, exc: DomainError) -> MailOutcome:
    return MailOutcome("failed", f"Refused: {exc.detail}", error=exc, **_summary(mail))


async def process(
    uow: MailUnitOfWork, claimed: ClaimedMail, ctx: MailContext, *, now: datetime
) -> MailOutcome:
    """Parse, screen and act on one leased message; return what its record now says."""
    try:
        mail = parse(claimed.raw)
    except Exception as exc:  # parse never raises by contract; a bug must not block the queue
        log.exception("inbound mail could not be parsed", mail_id=str(claimed.id))
        failed = MailOutcome("failed", f"The message could not be parsed: {exc!r}"[:1000])
        return await _settle(uow, claimed, failed, now=now)
    if (screened := await _screened(uow, claimed, mail, ctx, now)) is not None:
        return screened
    if not mail.from_address:
        no_sender = MailOutcome("failed", "The message has no From address to answer or look up.")
        return await _settle(uow, claimed, no_sender, now=now)
    try:
        return await _ticket(uow, claimed, mail, ctx, now)
    except Exception as exc:  # entitlement or the database away: keep it, try again
        log.warning("inbound mail postponed", mail_id=str(claimed.id), error=repr(exc))
        reason = getattr(exc, "detail", None) or f"Temporary failure: {exc!r}"
        return await _postpone(uow, claimed, str(reason)[:1000], now=now)


class ProcessMail(DueJob[MailUnitOfWork, ClaimedMail]):
    """The poller's job: lease due pending messages, then process each outside the lease's
    transaction (processing commits in its own transactions, as the channel use case does)."""

    def __init__(
        self, uow: Callable[[], MailUnitOfWork], ctx: Callable[[], MailContext], clock: Clock
    ) -> None:
        self._uow = uow
        self._ctx = ctx
        self._clock = clock

    async def claim(self, uow: MailUnitOfWork, *, now: datetime, limit: int) -> list[ClaimedMail]:
        return await uow.mailbox.claim(now=now, lease_until=now + LEASE, limit=limit)

    async def act(self, uow: MailUnitOfWork, rows: Sequence[ClaimedMail], *, now: datetime) -> None:
        """The claim already stamped the lease; nothing else happens in its transaction."""

    async def next_due(self, uow: MailUnitOfWork, *, now: datetime) -> datetime | None:
        return await uow.mailbox.next_due()

    async def after(self, rows: Sequence[ClaimedMail], *, now: datetime) -> None:
        """Process the batch a few at a time: each message waits mostly on entitlement and
        the database, so overlapping them multiplies throughput (the channel use case's
        locks keep two messages of one thread in order)."""
        ctx = self._ctx()
        gate = asyncio.Semaphore(PARALLEL)

        async def one(claimed: ClaimedMail) -> None:
            async with gate:
                await process(self._uow(), claimed, ctx, now=self._clock.now())

        await asyncio.gather(*(one(claimed) for claimed in rows))


async def process_now(
    uow: MailUnitOfWork, accepted: Accepted, ctx: MailContext, *, now: datetime
) -> MailOutcome | None:
    """Process a message the caller just stored with a hold (the raw API post), or lease a
    pending repeat; None if another processor holds it (its record will say what it became)."""
    if not accepted.duplicate:
        held = ClaimedMail(id=accepted.id, raw=accepted.raw, attempts=1, received_at=now)
        return await process(uow, held, ctx, now=now)
    async with uow:
        claimed = await uow.mailbox.claim(
            now=now, lease_until=now + LEASE, limit=1, mail_id=accepted.id
        )
        await uow.commit()
    if not claimed:
        return None
    return await process(uow, claimed[0], ctx, now=now)
