"""What a delivery status notification says: who failed, why, and which message it was.

Read from the report's ``message/delivery-status`` part (RFC 3464: per-recipient
groups with ``Final-Recipient`` and ``Action: failed``) and from the quoted original
(``text/rfc822-headers`` or ``message/rfc822``), whose Message-ID names the desk's own
notification that bounced. Exim's ``X-Failed-Recipients`` serves when there is no
machine-readable part. Only permanent failures count: ``delayed`` is not a bounce.
"""

from __future__ import annotations

from intake.domain.mail.model import Bounce, ParsedMail
from intake.domain.mail.screening import is_delivery_report


def bounce_info(mail: ParsedMail) -> Bounce | None:
    """The failed recipients of a delivery report; None when it is none or nothing failed."""
    if not is_delivery_report(mail):
        return None
    failed: list[str] = []
    status: str | None = None
    diagnostic: str | None = None
    for group in mail.delivery_status:
        recipient = group.get("final-recipient") or group.get("original-recipient")
        if not recipient or group.get("action", "").strip().lower() != "failed":
            continue
        failed.append(_address(recipient))
        status = status or group.get("status") or None
        diagnostic = diagnostic or _diagnostic(group.get("diagnostic-code"))
    if not failed and not mail.delivery_status:
        header = mail.header("X-Failed-Recipients") or ""
        failed = [_address(part) for part in header.split(",") if "@" in part]
    if not failed:
        return None
    return Bounce(
        failed_recipients=tuple(dict.fromkeys(failed)),
        original_message_id=mail.quoted_message_id,
        status=status,
        diagnostic=diagnostic,
    )


def _address(field: str) -> str:
    """``rfc822; User@Example.com`` -> ``user@example.com``."""
    value = field.split(";", 1)[1] if ";" in field else field
    return value.strip().strip("<>").lower()


def _diagnostic(field: str | None) -> str | None:
    """``smtp; 550 5.1.1 ...`` -> ``550 5.1.1 ...`` (the type prefix says nothing to agents)."""
    if not field:
        return None
    value = field.split(";", 1)[1] if ";" in field else field
    return value.strip() or None
