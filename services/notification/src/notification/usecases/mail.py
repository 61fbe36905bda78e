"""Use cases of inbound-mail events: answer an unknown sender, mark a bounced address failing.

Both run in the consumer's transaction (the inbox claim commits with them) and leave
the commit to it. The rules are ``domain.answers``; sending is the worker's job, so an
answer goes through the same delivery record, time-out and retries as every email.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from notification.domain import answers
from notification.domain.planning import EMAIL, Planned
from notification.uow import NotificationUnitOfWork
from shared.errors import NotFound, Unprocessable
from shared.events.base import Envelope
from shared.events.mail import MailBounced, MailSenderUnknown
from shared.logging import get_logger

log = get_logger(__name__)


async def sender_unknown(
    uow: NotificationUnitOfWork,
    event: MailSenderUnknown,
    *,
    source: Envelope,
    now: datetime,
    own: Collection[str],
    window: timedelta,
) -> Planned:
    """Plan the one answer, or record why none goes (never-answer rule, or rate limit)."""
    address = answers.normal(event.address)
    failing = (await uow.failing.of([address])).get(address)
    reason = answers.never_answer(address, own=own, failing=failing)
    if reason is None:
        # Taken only when nothing else forbids the answer: a skipped one does not count.
        answered_at = await uow.answers.claim(address, now=now, window=window)
        if answered_at is not None:
            reason = answers.rate_limited(address, answered_at=answered_at, window=window)
    planned = answers.answer(event, skip=reason)
    await uow.deliveries.add([planned], source=source, ticket_id=None, customer_id=None, due=now)
    return planned


async def mail_bounced(
    uow: NotificationUnitOfWork, event: MailBounced, *, now: datetime, message_id_domain: str
) -> bool:
    """Mark the address failing (the latest bounce's status and diagnostic); whether it did.

    A bounce of mail that was not ours (backscatter) marks nothing; the log says why.
    """
    reason = answers.not_ours(event, message_id_domain=message_id_domain)
    if reason is not None:
        log.warning("bounce ignored", reason=reason, inbound_id=str(event.inbound_id))
        return False
    await uow.failing.mark(answers.failing_from(event, at=now))
    return True


async def clear_failing(uow: NotificationUnitOfWork, address: str) -> None:
    """Staff cleared an address: mail it again; commit. 404 when it is not failing."""
    wanted = answers.normal(address)
    if "@" not in wanted or len(wanted) > 320:
        raise Unprocessable(
            f"{address!r} is no mail address; give one as listed by "
            "GET /api/v1/notifications/failing-addresses, e.g. user@example.com.",
            slug="invalid-address",
            errors=[{"field": "address", "message": "expected local@domain"}],
        )
    if not await uow.failing.clear(wanted):
        raise NotFound(
            f"{wanted} is not a failing address; nothing to clear.", slug="unknown-failing-address"
        )
    await uow.commit()


async def add_planned(
    uow: NotificationUnitOfWork,
    planned: Sequence[Planned],
    *,
    source: Envelope,
    ticket_id: UUID | None,
    customer_id: UUID | None,
    due: datetime,
) -> int:
    """Store planned deliveries; an email to a failing address is stored as skipped."""
    emails = {p.recipient for p in planned if p.channel == EMAIL}
    failing = await uow.failing.of(emails) if emails else {}
    return await uow.deliveries.add(
        answers.skip_failing(planned, failing),
        source=source,
        ticket_id=ticket_id,
        customer_id=customer_id,
        due=due,
    )
