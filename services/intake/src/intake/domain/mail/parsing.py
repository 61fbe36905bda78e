"""``parse(raw) -> ParsedMail``: one inbound message from its bytes, never an exception.

The standard ``email`` package (``policy.default``) does the MIME work: encoded-words,
RFC 2231 parameters, transfer encodings. What it leaves to us: charsets that lie or
are missing (``text``), format=flowed, HTML-only mail, the new part of a reply
(``quotes``), and the parts of a delivery report that screening reads. A part that
cannot be read becomes a note in the text and in ``notes``; the rest survives it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser, HeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from intake.domain.mail.model import MailAttachment, ParsedMail
from intake.domain.mail.quotes import reply_part
from intake.domain.mail.text import (
    decode_bytes,
    html_to_text,
    is_cyrillic,
    surrogates_to_text,
    unflow,
)

_MSG_ID = re.compile(r"<([^<>\s]+)>")
_PARSER = BytesParser(policy=policy.default)


@dataclass
class _Body:
    """What the walk over the MIME tree collects."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[MailAttachment] = field(default_factory=list)
    delivery_status: list[dict[str, str]] = field(default_factory=list)
    quoted_message_id: str | None = None
    notes: list[str] = field(default_factory=list)


def parse(raw: bytes) -> ParsedMail:
    """Parse one message; broken headers or parts degrade to notes, never to an error."""
    try:
        return _parse(raw)
    except Exception as exc:  # the last resort: the bytes as text
        return _unreadable(raw, exc)


def _parse(raw: bytes) -> ParsedMail:
    message = _PARSER.parsebytes(raw)
    assert isinstance(message, EmailMessage)
    headers = _decoded_headers(message)
    body = _Body()
    _walk(message, body, top=True)
    text = _text_of(body)
    reply = reply_part(text)
    subject = _first(headers, "subject") or ""
    from_name, from_address = _sender(_first(headers, "from"))
    return ParsedMail(
        message_id=_message_id(_first(headers, "message-id"), raw),
        from_address=from_address,
        from_name=from_name,
        to=_addresses(headers, "to"),
        cc=_addresses(headers, "cc"),
        subject=subject,
        in_reply_to=next(iter(_msg_ids(_first(headers, "in-reply-to"))), None),
        references=_msg_ids(_first(headers, "references")),
        date=_date(_first(headers, "date")),
        text=text,
        reply_text=reply,
        html=body.html[0] if body.html else None,
        attachments=tuple(body.attachments),
        language="ru" if is_cyrillic(subject) or is_cyrillic(reply) else "en",
        content_type=message.get_content_type(),
        report_type=_param(message, "report-type"),
        delivery_status=tuple(body.delivery_status),
        quoted_message_id=body.quoted_message_id,
        notes=tuple(body.notes),
        raw_headers=headers,
    )


def _unreadable(raw: bytes, exc: Exception) -> ParsedMail:
    """A message the MIME parser could not take: its bytes as text, with a note why."""
    note = f"The message could not be parsed as MIME ({type(exc).__name__}: {exc})."
    text = decode_bytes(raw)
    return ParsedMail(
        message_id="sha256-" + hashlib.sha256(raw).hexdigest(),
        from_address="",
        from_name="",
        to=(),
        cc=(),
        subject="",
        in_reply_to=None,
        references=(),
        date=None,
        text=f"{text}\n\n[{note}]",
        reply_text=text,
        html=None,
        attachments=(),
        language="ru" if is_cyrillic(text) else "en",
        notes=(note,),
    )


def _decoded_headers(message: Message) -> tuple[tuple[str, str], ...]:
    """Every header decoded: encoded-words by the policy, raw 8-bit by detection."""
    out: list[tuple[str, str]] = []
    for name, raw_value in message.raw_items():
        value = str(raw_value)
        if any("\udc80" <= ch <= "\udcff" for ch in value):
            decoded = surrogates_to_text(value)
        else:
            try:
                decoded = str(message.policy.header_fetch_parse(name, value))
            except Exception:  # a malformed header keeps its raw text
                decoded = value
        out.append((name, " ".join(decoded.split())))
    return tuple(out)


def _first(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _walk(part: Message, body: _Body, *, top: bool = False) -> None:
    """Collect text, HTML, files and report parts; a failing part becomes a note."""
    ctype = part.get_content_type()
    try:
        if ctype == "message/delivery-status":
            body.delivery_status.extend(_status_groups(part))
        elif ctype in ("message/rfc822", "text/rfc822-headers"):
            _quoted_original(part, body)
        elif part.is_multipart():
            for child in part.get_payload():
                assert isinstance(child, Message)
                _walk(child, body)
        elif _is_attachment(part, top=top):
            body.attachments.append(_attachment(part, len(body.attachments)))
        elif ctype == "text/html":
            body.html.append(_part_text(part))
        else:
            body.plain.append(_plain(part))
    except Exception as exc:  # one broken part must not lose the message
        note = f"A {ctype} part could not be read ({type(exc).__name__}: {exc})."
        body.notes.append(note)
        body.plain.append(f"[{note}]")


def _is_attachment(part: Message, *, top: bool) -> bool:
    """Files: anything not text, and text with a filename or an attachment disposition."""
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment" or (part.get_filename() and not top):
        return True
    return part.get_content_maintype() != "text" or part.get_content_type() not in (
        "text/plain",
        "text/html",
    )


def _attachment(part: Message, index: int) -> MailAttachment:
    data = part.get_payload(decode=True)
    content_id = (part.get("Content-ID") or "").strip().strip("<>") or None
    return MailAttachment(
        filename=_filename(part, index),
        declared_type=part.get_content_type(),
        data=data if isinstance(data, bytes) else b"",
        inline=(part.get_content_disposition() or "").lower() == "inline",
        content_id=content_id,
    )


def _filename(part: Message, index: int) -> str:
    """The decoded filename (RFC 2231, encoded-words, raw 8-bit), or a made-up one."""
    name = part.get_filename()
    if name:
        name = surrogates_to_text(str(name))
        if "=?" in name:
            name = str(policy.default.header_fetch_parse("Subject", name))
        return name.replace("/", "_").replace("\\", "_").strip() or f"attachment-{index + 1}"
    ext = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}
    return f"attachment-{index + 1}{ext.get(part.get_content_type(), '.bin')}"


def _part_bytes(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _part_text(part: Message) -> str:
    return decode_bytes(_part_bytes(part), part.get_content_charset())


def _plain(part: Message) -> str:
    text = _part_text(part).replace("\r\n", "\n")
    if (_param(part, "format") or "").lower() == "flowed":
        text = unflow(text, delsp=(_param(part, "delsp") or "").lower() == "yes")
    return text


def _param(part: Message, name: str) -> str | None:
    value = part.get_param(name)
    return value if isinstance(value, str) else None


def _text_of(body: _Body) -> str:
    """The readable whole: the plain parts, else the HTML converted."""
    if any(text.strip() for text in body.plain):
        return "\n\n".join(text.strip("\n") for text in body.plain).strip()
    return "\n\n".join(html_to_text(html) for html in body.html).strip()


def _status_groups(part: Message) -> list[dict[str, str]]:
    """message/delivery-status as field groups (per-message first, then per recipient)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [
            {k.lower(): " ".join(str(v).split()) for k, v in group.items()}
            for group in payload
            if isinstance(group, Message)
        ]
    raw = _part_bytes(part) or str(payload).encode("utf-8", "replace")
    groups = re.split(r"\r?\n\s*\r?\n", raw.decode("utf-8", "replace"))
    return [
        {k.lower(): " ".join(str(v).split()) for k, v in HeaderParser().parsestr(g).items()}
        for g in groups
        if g.strip()
    ]


def _quoted_original(part: Message, body: _Body) -> None:
    """A quoted original (bounces, forwards): keep its Message-ID; a forward is a file."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        inner_id = payload[0].get("Message-ID")
    else:
        inner_id = HeaderParser().parsestr(_part_text(part)).get("Message-ID")
    ids = _msg_ids(str(inner_id) if inner_id else None)
    if ids and body.quoted_message_id is None:
        body.quoted_message_id = ids[0]
    if part.get_content_type() == "message/rfc822" and isinstance(payload, list):
        inner = payload[0]
        data = inner.as_bytes(policy=policy.SMTP) if isinstance(inner, Message) else b""
        body.attachments.append(
            MailAttachment("forwarded.eml", "message/rfc822", data, inline=False, content_id=None)
        )


def _message_id(value: str | None, raw: bytes) -> str:
    """The Message-ID without brackets; a missing one is the content's hash (stable)."""
    ids = _msg_ids(value)
    if ids:
        return ids[0]
    if value and value.strip():
        return value.strip().strip("<>")
    return "sha256-" + hashlib.sha256(raw).hexdigest()


def _msg_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    found = _MSG_ID.findall(value)
    return tuple(found) if found else tuple(value.split())


def _sender(value: str | None) -> tuple[str, str]:
    """(display name, lower-case address) of From; ("", "") when there is none."""
    if not value:
        return "", ""
    name, address = parseaddr(value)
    return name.strip(), address.strip().lower()


def _addresses(headers: tuple[tuple[str, str], ...], name: str) -> tuple[str, ...]:
    values = [value for key, value in headers if key.lower() == name]
    found = getaddresses(values)
    return tuple(address.strip().lower() for _, address in found if "@" in address)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
