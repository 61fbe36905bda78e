"""The mailbox's pure rules: a message's identity, retry pacing, the channel message it makes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intake.config import Settings
from intake.domain.attachments import AttachmentLimits
from intake.domain.commands import InboundMessage
from intake.domain.mail import MailAttachment
from intake.domain.mailbox import (
    MAX_ATTEMPTS,
    RETRY_MAX,
    gives_up,
    inbound_message,
    mail_files,
    message_id_of,
    retry_delay,
)
from shared.events.vocabulary import Channel


class TestMessageId:
    def test_the_header_without_angle_brackets(self) -> None:
        raw = b"From: a@b\r\nMessage-ID:   <abc.123@mail.example>  \r\n\r\nbody"
        assert message_id_of(raw) == "abc.123@mail.example"

    def test_a_folded_header_is_read_whole(self) -> None:
        raw = b"Message-ID:\r\n <folded@mail.example>\r\nSubject: x\r\n\r\nbody"
        assert message_id_of(raw) == "folded@mail.example"

    def test_without_one_the_bytes_name_the_message(self) -> None:
        raw = b"From: a@b\r\nSubject: no id\r\n\r\nbody"
        found = message_id_of(raw)
        assert found.startswith("sha256-")
        assert found == message_id_of(raw)
        assert found != message_id_of(raw + b" ")

    def test_an_empty_id_counts_as_none(self) -> None:
        assert message_id_of(b"Message-ID: <>\r\n\r\nbody").startswith("sha256-")


class TestRetry:
    def test_doubles_from_five_seconds_up_to_the_cap(self) -> None:
        delays = [retry_delay(n) for n in (1, 2, 3, 4)]
        assert delays == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
        assert retry_delay(50) == RETRY_MAX
        assert retry_delay(0) == timedelta(seconds=5)

    def test_gives_up_only_after_the_last_attempt(self) -> None:
        assert not gives_up(MAX_ATTEMPTS - 1)
        assert gives_up(MAX_ATTEMPTS)


class TestInboundMessage:
    def make(self, **over: object) -> InboundMessage:
        fields: dict[str, object] = {
            "message_id": "m1@x",
            "from_address": "ivan@acme.example",
            "from_name": "Иван",
            "subject": "Re: [TP-2026-000001] Отчёт",
            "text": "Новый текст\n\n> старый текст",
            "reply_text": "Новый текст",
            "in_reply_to": "n1@desk",
            "references": ("o1@acme", "n1@desk"),
        }
        fields.update(over)
        return inbound_message(**fields)  # type: ignore[arg-type]

    def test_a_new_ticket_keeps_the_whole_text_and_a_comment_only_the_new_part(self) -> None:
        msg = self.make()
        assert msg.ticket.description == "Новый текст\n\n> старый текст"
        assert msg.body == "Новый текст"
        assert msg.channel == Channel.email
        assert msg.conversation == "ivan@acme.example"
        assert msg.references == ("o1@acme", "n1@desk")
        assert msg.thread_text == "Re: [TP-2026-000001] Отчёт"

    def test_no_subject_takes_the_first_line(self) -> None:
        msg = self.make(subject="  ", text="Первая строка\nвторая")
        assert msg.ticket.subject == "Первая строка"

    def test_an_empty_reply_falls_back_to_the_text(self) -> None:
        msg = self.make(reply_text="", text="Только цитата")
        assert msg.body == "Только цитата"


class TestSupportAddresses:
    def test_comma_separated_with_names_lower_case(self) -> None:
        settings = Settings(support_addresses="Support <Support@Desk.example>, help@desk.example")
        assert settings.support_address_list() == ["support@desk.example", "help@desk.example"]

    def test_default_is_the_address_notification_sends_from(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("NOTIFICATION_MAIL_FROM", raising=False)
        assert Settings().support_address_list() == ["support@support-desk.local"]
        monkeypatch.setenv("NOTIFICATION_MAIL_FROM", "Desk <desk@vendor.example>")
        assert Settings().support_address_list() == ["desk@vendor.example"]


def part(name: str, size: int, *, inline: bool = False) -> MailAttachment:
    return MailAttachment(
        filename=name, declared_type="image/png", data=b"x" * size, inline=inline, content_id=None
    )


class TestMailFiles:
    LIMITS = AttachmentLimits(max_file_bytes=100, max_message_bytes=250, max_files=3)

    def test_attachments_and_named_inline_parts_but_not_a_bare_logo(self) -> None:
        kept, notes = mail_files(
            [part("a.log", 10), part("shot.png", 10, inline=True), part("", 10, inline=True)],
            self.LIMITS,
        )
        assert [f.filename for f in kept] == ["a.log", "shot.png"]
        assert notes == []

    def test_what_fits_is_kept_and_the_rest_named(self) -> None:
        kept, notes = mail_files(
            [part("big", 101), part("a", 100), part("b", 100), part("c", 100), part("d", 1)],
            self.LIMITS,
        )
        assert [f.filename for f in kept] == ["a", "b", "d"]
        assert notes[0].startswith("big (101 bytes) is over the 100-byte limit")
        assert notes[1] == "c would pass the 250-byte total"

    def test_the_file_count(self) -> None:
        kept, notes = mail_files([part(str(i), 1) for i in range(5)], self.LIMITS)
        assert len(kept) == 3
        assert notes == ["3 is beyond the 3-file limit", "4 is beyond the 3-file limit"]

    def test_an_unnamed_attachment_gets_a_name(self) -> None:
        kept, _ = mail_files([part("", 1)], self.LIMITS)
        assert kept[0].filename == "attachment"
