"""Rules of the mailbox that need no I/O: a message's identity and when to try it again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32

from intake.domain.attachments import AttachmentLimits, IncomingFile
from intake.domain.commands import InboundMessage, OpenTicket
from intake.domain.mail import MailAttachment as MailFile
from shared.events.vocabulary import Channel

# A transient failure (entitlement or the database down) is tried again after 5 s, 10 s,
# 20 s ... at most 15 minutes apart; after this many attempts the message is "failed"
# (about a day of trying), still visible to agents with its last reason.
RETRY_FIRST = timedelta(seconds=5)
RETRY_MAX = timedelta(minutes=15)
MAX_ATTEMPTS = 100
# A processor that took a message and vanished (a crash) is replaced after this long.
LEASE = timedelta(minutes=2)
SOURCES = frozenset({"smtp", "imap", "api"})


def message_id_of(raw: bytes) -> str:
    """The message's Message-ID without angle brackets; "sha256-<hex>" of the bytes when absent.

    Read from the header block alone (cheap: the SMTP listener calls it before answering),
    by the same rule as ``intake.domain.mail.parse``: a message without an id is known by
    its bytes, so the same bytes delivered twice are still one message.
    """
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw, headersonly=True)
    value = headers.get("Message-ID")
    found = str(value).strip().strip("<>").strip() if value is not None else ""
    if found and len(found) <= 900 and found.isprintable():
        return found
    return "sha256-" + hashlib.sha256(raw).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (doubling, capped)."""
    factor: int = 2 ** min(max(attempts - 1, 0), 20)
    delay: timedelta = RETRY_FIRST * factor
    return min(delay, RETRY_MAX)


def gives_up(attempts: int) -> bool:
    """Whether a message failing transiently has been tried long enough to be "failed"."""
    return attempts >= MAX_ATTEMPTS


def inbound_message(
    *,
    message_id: str,
    from_address: str,
    from_name: str,
    subject: str,
    text: str,
    reply_text: str,
    in_reply_to: str | None,
    references: tuple[str, ...],
) -> InboundMessage:
    """The channel use case's message from a parsed email.

    A new ticket's description is the whole readable text (nothing of the first message
    is cut); a comment's body is only the new part of a reply (the quoted history is
    already on the ticket). A message without a subject takes its first line.
    """
    first_line = (text.strip().splitlines() or ["(no subject)"])[0]
    title = (subject.strip() or first_line)[:200]
    ticket = OpenTicket(
        contact_email=from_address,
        subject=title,
        description=text,
        channel=Channel.email,
    )
    return InboundMessage(
        channel=Channel.email,
        external_id=message_id,
        conversation=from_address.lower(),
        reply_to=in_reply_to,
        thread_text=subject,
        lookup={"email": from_address},
        body=(reply_text.strip() or text.strip() or subject)[:100_000],
        actor_name=from_name or from_address,
        attachments=[],
        ticket=ticket,
        references=references,
    )


def mail_files(
    attachments: Sequence[MailFile], limits: AttachmentLimits
) -> tuple[list[IncomingFile], list[str]]:
    """The files of a message to store, and a note for each one left out.

    Every attachment, and an inline part only when it has a file name (a pasted
    screenshot has one; a signature's logo referenced by ``cid:`` alone has not). Unlike
    an upload, which is refused whole, mail cannot be sent back corrected: what fits the
    limits (each file, the count, the total, in the message's order) is stored, and the
    record says what was not, so an agent can ask for it.
    """
    kept: list[IncomingFile] = []
    notes: list[str] = []
    total = 0
    for part in attachments:
        if part.inline and not part.filename:
            continue
        name = part.filename or "attachment"
        size = len(part.data)
        if size > limits.max_file_bytes:
            notes.append(f"{name} ({size} bytes) is over the {limits.max_file_bytes}-byte limit")
        elif len(kept) >= limits.max_files:
            notes.append(f"{name} is beyond the {limits.max_files}-file limit")
        elif total + size > limits.max_message_bytes:
            notes.append(f"{name} would pass the {limits.max_message_bytes}-byte total")
        else:
            kept.append(
                IncomingFile(filename=name, declared_type=part.declared_type, data=part.data)
            )
            total += size
    return kept, notes
