"""Screening robots out (auto-replies, bounces, our own mail) and reading bounce reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.domain.mail import Bounce, ParsedMail, bounce_info, parse, screen

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
OWN = ["support@support-desk.local", "Helpdesk@Support-Desk.local"]


def load(name: str) -> ParsedMail:
    return parse((FIXTURES / name).read_bytes())


def mail(headers: str, body: str = "Hello") -> ParsedMail:
    head = "From: Ivan <ivan@customer.example>\r\nTo: support@support-desk.local\r\n" + headers
    return parse(f"{head}\r\n\r\n{body}".encode())


class TestScreenFixtures:
    @pytest.mark.parametrize(
        "name",
        [
            "outlook_reply_cp1251.eml",  # carries X-Auto-Response-Suppress: not a signal
            "thunderbird_utf8_attachment.eml",
            "thebat_koi8r.eml",
            "new_ticket_cp1251.eml",
            "new_ticket_koi8r.eml",
            "undeclared_8bit.eml",
            "html_only.eml",
            "unknown_sender.eml",
            "duplicate_a.eml",
        ],
    )
    def test_a_persons_mail_is_accepted(self, name: str) -> None:
        screening = screen(load(name), OWN)

        assert screening.kind == "accept"
        assert screening.accepted

    def test_rfc3834_auto_reply(self) -> None:
        screening = screen(load("auto_reply_rfc3834.eml"), OWN)

        assert screening.kind == "auto_reply"
        assert screening.reason.startswith("Auto-Submitted: auto-replied (vacation) (RFC 3834)")

    def test_exchange_out_of_office_by_its_subject(self) -> None:
        screening = screen(load("out_of_office_exchange.eml"), OWN)

        assert screening.kind == "auto_reply"
        assert "out-of-office" in screening.reason
        assert "Automatic reply: [TP-2026-000123]" in screening.reason

    def test_dsn_is_a_bounce(self) -> None:
        screening = screen(load("dsn_bounce.eml"), OWN)

        assert screening.kind == "bounce"
        assert "RFC 3464" in screening.reason


class TestScreenHeaders:
    @pytest.mark.parametrize(
        ("headers", "expected"),
        [
            ("Auto-Submitted: auto-generated\r\n", "Auto-Submitted: auto-generated (RFC 3834)"),
            ("Auto-Submitted: auto-notified; owner-email=x@y\r\n", "Auto-Submitted: auto-notified"),
            ("Precedence: bulk\r\n", "Precedence: bulk"),
            ("Precedence: junk\r\n", "Precedence: junk"),
            ("Precedence: list\r\n", "Precedence: list"),
            ("X-Autoreply: yes\r\n", "X-Autoreply: yes"),
            ("X-Autorespond: Out of office\r\n", "X-Autorespond: Out of office"),
        ],
    )
    def test_auto_reply_headers(self, headers: str, expected: str) -> None:
        screening = screen(mail(headers), OWN)

        assert screening.kind == "auto_reply"
        assert screening.reason.startswith(expected)

    @pytest.mark.parametrize(
        "headers",
        [
            "Auto-Submitted: no\r\n",
            "Auto-Submitted: No\r\n",
            "X-Auto-Response-Suppress: All\r\n",
            "Precedence: normal\r\n",
        ],
    )
    def test_not_signals(self, headers: str) -> None:
        assert screen(mail(headers), OWN).kind == "accept"

    @pytest.mark.parametrize(
        "subject",
        [
            "Automatic reply: invoice",
            "Auto: Re: ticket",
            "Out of Office: back on Monday",
            "Автоответ: Re: заявка",
            "Нет на месте",
            "=?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGCOiDQvtGC0L/Rg9GB0Lo=?=",  # Автоответ: отпуск
        ],
    )
    def test_out_of_office_subjects(self, subject: str) -> None:
        screening = screen(mail(f"Subject: {subject}\r\n"), OWN)

        assert screening.kind == "auto_reply"
        assert "out-of-office" in screening.reason

    @pytest.mark.parametrize(
        "subject",
        [
            "Autocad licence",
            "Auto update fails",
            "Re: Auto update fails",
            "Нет доступа к серверу",
            "Office 365",
        ],
    )
    def test_subjects_that_only_look_like_it(self, subject: str) -> None:
        assert screen(mail(f"Subject: {subject}\r\n"), OWN).kind == "accept"

    def test_own_address_in_any_case(self) -> None:
        own = parse(b"From: Desk <HELPDESK@support-desk.local>\r\nSubject: x\r\n\r\nloop")

        screening = screen(own, OWN)

        assert screening.kind == "own_address"
        assert "helpdesk@support-desk.local" in screening.reason

    def test_mailer_daemon_without_a_report_is_never_a_person(self) -> None:
        daemon = parse(b"From: MAILER-DAEMON@mx.example\r\nSubject: Warning\r\n\r\ndelayed")

        assert screen(daemon, OWN).kind == "auto_reply"
        assert bounce_info(daemon) is None


class TestBounceInfo:
    def test_reads_recipient_status_diagnostic_and_the_quoted_message_id(self) -> None:
        assert bounce_info(load("dsn_bounce.eml")) == Bounce(
            failed_recipients=("old.employee@tehnomir.example",),
            original_message_id="notif.5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9@support-desk.local",
            status="5.1.1",
            diagnostic="550 5.1.1 <old.employee@tehnomir.example>: Recipient address rejected: "
            "User unknown in local recipient table",
        )

    def test_a_persons_mail_has_none(self) -> None:
        assert bounce_info(load("outlook_reply_cp1251.eml")) is None
        assert bounce_info(load("auto_reply_rfc3834.eml")) is None

    def test_a_delay_report_is_no_bounce(self) -> None:
        delayed = (
            (FIXTURES / "dsn_bounce.eml")
            .read_bytes()
            .replace(b"Action: failed", b"Action: delayed")
        )

        assert screen(parse(delayed), OWN).kind == "bounce"  # still a report: no ticket
        assert bounce_info(parse(delayed)) is None

    def test_a_quoted_message_rfc822_gives_the_original_id(self) -> None:
        raw = (
            b"From: postmaster@mx.example\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/report; report-type=delivery-status; boundary="z"\r\n\r\n'
            b"--z\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
            b"--z\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
            b"Final-Recipient: rfc822;a@b.example\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n"
            b"--z\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <orig@desk>\r\nSubject: s\r\n\r\nbody\r\n"
            b"--z--\r\n"
        )

        info = bounce_info(parse(raw))

        assert info == Bounce(("a@b.example",), "orig@desk", "5.2.2", None)

    def test_exim_x_failed_recipients_without_a_report(self) -> None:
        raw = (
            b"From: Mail Delivery System <Mailer-Daemon@mx.example>\r\n"
            b"X-Failed-Recipients: Gone@Customer.example\r\nSubject: Mail delivery failed\r\n\r\n"
            b"This message was created automatically by mail delivery software.\r\n"
        )

        mail_ = parse(raw)

        assert screen(mail_, OWN).kind == "bounce"
        assert bounce_info(mail_) == Bounce(("gone@customer.example",), None, None, None)
