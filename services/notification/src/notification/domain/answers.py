"""Inbound mail that notification acts on: answers to unknown senders, failing addresses.

Pure decisions, no I/O. Intake screens inbound mail and announces two facts on
``support.mail.v1``; notification decides here:

- ``mail.sender_unknown``: one polite bilingual answer saying how to get registered,
  unless the address must never be answered (the desk's own, a mail system or a
  no-reply robot, or an address whose mail bounces: answering those loops or bounces),
  and at most one per address per window (``answer_window_seconds``, a day by default).
- ``mail.bounced``: the address is failing (when the bounced message was the desk's
  own); every email planned to it afterwards is stored as skipped with the reason and
  never attempted, until staff clear it. A contact whose address changes is mailed at
  the new address, which is not failing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import parseaddr

from notification.domain.planning import EMAIL, Planned
from notification.domain.templates import language_of
from shared.events.mail import MailBounced, MailSenderUnknown

TEMPLATE = "sender_unknown"
# Mail systems and robots: an answer to them is lost at best and a loop at worst.
_SYSTEM_LOCAL = re.compile(r"^(mailer-?daemon|postmaster|nobody|daemon|root|abuse)$", re.I)
_ROBOT_LOCAL = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?|auto[-_.]?(reply|responder?)|"
    r"notifications?|alerts?|mailer)([-_.+].*)?$",
    re.I,
)


@dataclass(frozen=True)
class FailingAddress:
    """An address whose mail bounced: not mailed until staff clear it."""

    address: str
    status: str | None
    diagnostic: str | None
    bounced_at: datetime
    original_message_id: str | None = None
    inbound_id: str | None = None

    def reason(self) -> str:
        """Why an email to it is skipped, for the delivery record."""
        said = ": ".join(p for p in (self.status, self.diagnostic) if p)
        detail = f" ({said})" if said else ""
        return (
            f"{self.address} is failing: mail to it bounced at "
            f"{self.bounced_at.isoformat(timespec='seconds')}{detail}. Not attempted; "
            "staff clear it with DELETE /api/v1/notifications/failing-addresses/{address}, "
            "or the contact's address changes."
        )


def failing_from(event: MailBounced, *, at: datetime) -> FailingAddress:
    """The failing-address record a bounce report makes."""
    return FailingAddress(
        address=normal(event.address),
        status=event.status,
        diagnostic=event.diagnostic,
        bounced_at=at,
        original_message_id=event.original_message_id,
        inbound_id=str(event.inbound_id),
    )


def not_ours(event: MailBounced, *, message_id_domain: str) -> str | None:
    """Why a bounce must not mark its address failing, or None when it may.

    Only a bounce of the desk's own mail counts. A report quoting a message of another
    domain is backscatter (a stranger's mail sent in our name bounced); it must not stop
    mail to a contact. A report that quotes nothing cannot be checked and counts.
    """
    quoted = (event.original_message_id or "").strip().strip("<>")
    if not quoted:
        return None
    domain = quoted.rsplit("@", 1)[-1].lower() if "@" in quoted else ""
    if domain == message_id_domain.strip().lower():
        return None
    return (
        f"the bounce for {normal(event.address)} quotes {quoted}, which is not the desk's "
        f"(ours end in @{message_id_domain}): not marked failing."
    )


def normal(address: str) -> str:
    """An address as stored and compared: the bare address, trimmed, lower-case."""
    return (parseaddr(address)[1] or address).strip().lower()


def own_addresses(mail_from: str, extra: str) -> frozenset[str]:
    """The desk's own addresses: the sender of its mail and any listed (comma-separated)."""
    listed = [normal(a) for a in extra.split(",") if a.strip()]
    return frozenset([normal(mail_from), *listed])


def never_answer(
    address: str, *, own: Collection[str], failing: FailingAddress | None
) -> str | None:
    """Why ``address`` must never get an answer, or None when it may."""
    local = address.split("@", 1)[0]
    if "@" not in address or not local:
        return f"{address!r} is no mail address."
    if address in own:
        return f"{address} is one of the desk's own addresses: answering it would loop."
    if _SYSTEM_LOCAL.match(local):
        return f"{address} is a mail system's address ({local}), not a person's."
    if _ROBOT_LOCAL.match(local):
        return f"{address} is a no-reply or robot address ({local}): nobody reads the answer."
    if failing is not None:
        return failing.reason()
    return None


def rate_limited(address: str, *, answered_at: datetime, window: timedelta) -> str:
    """The reason a second answer within the window is skipped."""
    until = answered_at + window
    return (
        f"{address} was answered at {answered_at.isoformat(timespec='seconds')}; "
        f"one answer per address per {_span(window)}, the next not before "
        f"{until.isoformat(timespec='seconds')}."
    )


def _span(window: timedelta) -> str:
    hours = window.total_seconds() / 3600
    return f"{hours:g} h" if hours >= 1 else f"{window.total_seconds():g} s"


def answer(event: MailSenderUnknown, *, skip: str | None = None) -> Planned:
    """The answer to an unknown sender (threaded to their message), or its skipped record."""
    return Planned(
        channel=EMAIL,
        recipient=normal(event.address),
        template=TEMPLATE,
        language=language_of(event.language),
        context={"subject": event.subject, "address": normal(event.address)},
        in_reply_to=event.message_id or None,
        skip_reason=skip,
    )


def skip_failing(
    planned: Sequence[Planned], failing: Mapping[str, FailingAddress]
) -> list[Planned]:
    """Mark every email to a failing address as skipped, with the reason."""
    out: list[Planned] = []
    for item in planned:
        found = failing.get(item.recipient) if item.channel == EMAIL else None
        if found is not None and item.skip_reason is None:
            item = replace(item, skip_reason=found.reason())
        out.append(item)
    return out
