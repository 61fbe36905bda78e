"""Mail the gateway asks for (a sign-in link, a staff invitation): one delivery, like any other.

Stored as a delivery of the email channel, so it is sent by the same worker with the
same timeout, retries with backoff and attempt records as every notification. The
gateway's ``key`` names the message: asked twice (a retried call), it is stored once.
No customer is recorded on it: a sign-in link must never show up in a customer's
delivery log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from notification.domain.planning import Planned
from notification.domain.templates import language_of
from notification.uow import NotificationUnitOfWork
from notification.usecases.mail import add_planned
from shared.events.base import Envelope

EMAIL = "email"
# Templates the gateway may ask for by name; every other template is an event's.
DIRECT_TEMPLATES = ("sign_in", "staff_invitation")
_KEYS = uuid.UUID("6d1c1c57-7d0e-4a43-9d55-2b1c7f0f5a10")


@dataclass(frozen=True)
class DirectMail:
    """One message to one address, from a template and its values."""

    key: str
    to: str
    template: str
    language: str
    values: dict[str, str] = field(default_factory=dict)


def source_of(mail: DirectMail) -> Envelope:
    """The request as the delivery's source: a stable id from the key (deduplication)."""
    return Envelope(
        id=uuid.uuid5(_KEYS, mail.key),
        type="mail.requested",
        source="gateway",
        subject=mail.to,
        data={},
    )


async def queue_mail(uow: NotificationUnitOfWork, mail: DirectMail, *, now: datetime) -> bool:
    """Store the message for the worker (in the caller's open unit of work); False when this
    key was stored already."""
    if mail.template not in DIRECT_TEMPLATES:
        raise ValueError(f"template {mail.template!r} is not one the gateway may ask for")
    planned = Planned(
        channel=EMAIL,
        recipient=mail.to.strip().lower(),
        template=mail.template,
        language=language_of(mail.language),
        context=dict(mail.values),
    )
    # Through add_planned like every email: one to a failing address is stored as skipped.
    added = await add_planned(
        uow, [planned], source=source_of(mail), ticket_id=None, customer_id=None, due=now
    )
    await uow.commit()
    return added > 0
