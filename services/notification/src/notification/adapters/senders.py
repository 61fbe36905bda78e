"""The two wire protocols notification speaks: SMTP (aiosmtplib) and signed HTTP POST (httpx).

Each send has a time-out and returns an :class:`Outcome` instead of raising, so the
worker records every attempt the same way: the SMTP reply or HTTP status, and latency.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
import httpx

from notification.domain.signing import signed_headers
from notification.domain.templates import Rendered
from notification.domain.urlguard import UnsafeUrl, check_url

# HTTP answers that retrying cannot change.
PERMANENT_HTTP = frozenset({410})  # Gone: the receiver says it will never want it


@dataclass(frozen=True)
class Outcome:
    """One attempt: did the receiver accept it, what did it say, may we try again."""

    ok: bool
    latency_ms: float
    status_code: int | None = None
    reply: str = ""
    permanent: bool = False


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to submit mail, parsed from ``SMTP_URL``."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool | None = False

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        """``smtp://[user:pass@]host:port[?starttls=true]`` or ``smtps://`` (implicit TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"}:
            raise ValueError(f"SMTP_URL must be smtp:// or smtps://, not {url!r}")
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (465 if implicit else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit,
            start_tls=None if implicit else query.get("starttls") in {"1", "true", "yes"},
        )


def build_email(
    rendered: Rendered,
    *,
    sender: str,
    to: str,
    message_id: str,
    in_reply_to: str | None,
    ticket_id: str | None,
) -> EmailMessage:
    """A multipart/alternative message (plain text, then HTML) with our threading headers."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = rendered.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id or make_msgid()
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    if ticket_id:
        msg["X-Ticket-Id"] = ticket_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg


async def send_email(message: EmailMessage, target: SmtpTarget, *, timeout: float) -> Outcome:
    """Submit one message; a 5xx refusal is permanent, anything else may be retried."""
    started = time.perf_counter()
    try:
        _, reply = await aiosmtplib.send(
            message,
            hostname=target.host,
            port=target.port,
            username=target.username,
            password=target.password,
            use_tls=target.use_tls,
            start_tls=target.start_tls,
            timeout=timeout,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:  # the one recipient was refused
        codes = [r.code for r in exc.recipients] or [0]
        return Outcome(
            ok=False,
            latency_ms=_ms(started),
            status_code=codes[0],
            reply="; ".join(f"{r.code} {r.message}" for r in exc.recipients)[:500],
            permanent=all(500 <= c < 600 for c in codes),
        )
    except aiosmtplib.SMTPResponseException as exc:
        return Outcome(
            ok=False,
            latency_ms=_ms(started),
            status_code=exc.code,
            reply=f"{exc.code} {exc.message}"[:500],
            permanent=500 <= exc.code < 600,
        )
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return Outcome(ok=False, latency_ms=_ms(started), reply=repr(exc)[:500])
    return Outcome(ok=True, latency_ms=_ms(started), status_code=250, reply=str(reply)[:500])


async def post_signed(
    client: httpx.AsyncClient,
    url: str,
    *,
    secret: str,
    msg_id: str,
    body: str,
    at: datetime,
    allow_private: bool,
    timeout: float,
) -> Outcome:
    """POST ``body`` signed the Standard Webhooks way; 2xx is success, redirects are not followed."""
    started = time.perf_counter()
    try:
        await check_url(url, allow_private=allow_private)
    except UnsafeUrl as exc:
        return Outcome(ok=False, latency_ms=_ms(started), reply=f"refused: {exc}", permanent=True)
    headers: dict[str, Any] = {
        "content-type": "application/json",
        "user-agent": "support-desk-notification/1",
        **signed_headers(secret, msg_id=msg_id, at=at, body=body),
    }
    try:
        response = await client.post(
            url, content=body.encode(), headers=headers, timeout=timeout, follow_redirects=False
        )
    except httpx.HTTPError as exc:
        return Outcome(ok=False, latency_ms=_ms(started), reply=repr(exc)[:500])
    code = response.status_code
    return Outcome(
        ok=200 <= code < 300,
        latency_ms=_ms(started),
        status_code=code,
        reply=response.text[:200],
        permanent=code in PERMANENT_HTTP,
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
