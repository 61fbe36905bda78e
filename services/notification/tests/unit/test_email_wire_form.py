"""The mail as it goes on the wire: what a customer's mail client reads from it."""

from __future__ import annotations

import email
import email.policy

from notification.adapters.senders import build_email
from notification.domain.templates import render

TITLE = "Очень длинный заголовок обращения о сбое платёжного модуля после обновления"


def _mail(sender: str) -> email.message.EmailMessage:
    rendered = render(
        "closed", "ru", {"registration_number": "TP-7", "title": TITLE, "status": "closed"}
    )
    out = build_email(
        rendered,
        sender=sender,
        to="client@customer.example",
        message_id="<d1@desk>",
        in_reply_to="<orig@customer.example>",
        ticket_id="t-1",
    )
    assert out.recipient == "client@customer.example"
    assert out.sender == "desk@vendor.example"  # the envelope sender is the bare address
    assert b"\r\n" in out.data  # CRLF and 7-bit: SMTP's wire form
    assert out.data.isascii()
    parsed = email.message_from_bytes(out.data, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_a_cyrillic_subject_and_sender_name_read_back_as_written() -> None:
    parsed = _mail("Служба поддержки <desk@vendor.example>")
    assert TITLE in str(parsed["Subject"])
    [address] = parsed["From"].addresses
    assert (address.display_name, address.addr_spec) == (
        "Служба поддержки",
        "desk@vendor.example",
    )


def test_threading_headers_and_both_bodies_are_there() -> None:
    parsed = _mail("Support desk <desk@vendor.example>")
    assert parsed["Message-ID"] == "<d1@desk>"
    assert parsed["In-Reply-To"] == parsed["References"] == "<orig@customer.example>"
    assert parsed["X-Ticket-Id"] == "t-1"
    assert parsed["Auto-Submitted"] == "auto-generated"
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert TITLE in plain.get_content()
    assert TITLE in html.get_content()
