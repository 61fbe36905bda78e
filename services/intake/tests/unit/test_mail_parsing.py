"""Parsing real client mail: charsets, quotes, attachments, headers, broken parts (no I/O)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from intake.domain.mail import MailAttachment, ParsedMail, parse
from intake.domain.mail.quotes import reply_part
from intake.domain.mail.text import decode_bytes, html_to_text, unflow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
MSK = timezone(timedelta(hours=3))


def load(name: str) -> ParsedMail:
    return parse((FIXTURES / name).read_bytes())


class TestOutlookReplyCp1251:
    def test_reads_the_windows_1251_subject_sender_and_threading(self) -> None:
        mail = load("outlook_reply_cp1251.eml")

        assert mail.subject == "RE: [TP-2026-000123] Не запускается модуль отчётов"
        assert (mail.from_name, mail.from_address) == (
            "Сидоров Пётр",
            "p.sidorov@romashka-soft.example",
        )
        assert mail.message_id == "6F1C2A3B4D5E4F60A1B2C3D4E5F60718@EXCH01.romashka-soft.example"
        assert mail.in_reply_to == "notif.7c1e5a52-3f0b-4d4e-9b1a-2f6c8d9e0a11@support-desk.local"
        assert mail.references == (
            "ticket.2026-000123@support-desk.local",
            "notif.7c1e5a52-3f0b-4d4e-9b1a-2f6c8d9e0a11@support-desk.local",
        )
        assert mail.date == datetime(2026, 12, 5, 11, 2, 38, tzinfo=MSK)
        assert mail.language == "ru"

    def test_cuts_the_russian_original_message_block_and_the_signature(self) -> None:
        mail = load("outlook_reply_cp1251.eml")

        assert mail.reply_text == (
            "Добрый день!\n\nПосле установки обновления 4.2 модуль отчётов снова не запускается,\n"
            'ошибка та же: "Не удалось подключиться к серверу лицензий".'
        )
        assert "-----Исходное сообщение-----" in mail.text  # the full original stays
        assert "Ваше обращение зарегистрировано" in mail.text

    def test_prefers_the_plain_part_and_keeps_the_html(self) -> None:
        mail = load("outlook_reply_cp1251.eml")

        assert "<br>" not in mail.text
        assert mail.html is not None
        assert "Добрый день!" in mail.html

    def test_headers_are_readable_for_screening(self) -> None:
        mail = load("outlook_reply_cp1251.eml")

        assert mail.header("x-auto-response-suppress") == "RN, NRN, OOF"
        assert mail.header("X-Mailer") == "Microsoft Outlook 16.0"
        assert mail.headers["thread-topic"] == "[TP-2026-000123] Не запускается модуль отчётов"
        assert mail.header("X-Not-There") is None


class TestThunderbirdUtf8Attachment:
    def test_joins_flowed_lines_and_cuts_the_russian_quote_and_signature(self) -> None:
        mail = load("thunderbird_utf8_attachment.eml")

        assert mail.reply_text == (
            "Добрый день.\nПрикладываю снимок экрана с ошибкой и журнал сервера за сегодня. "
            "Ошибка появляется сразу после входа в систему, до этого всё работало."
        )
        assert "05.12.2026 10:15, Служба поддержки пишет:" in mail.text

    def test_decodes_the_rfc2231_russian_filename_and_keeps_the_bytes(self) -> None:
        mail = load("thunderbird_utf8_attachment.eml")

        png, log = mail.attachments
        assert png.filename == "Снимок экрана 2026-12-05.png"
        assert png.declared_type == "image/png"
        assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
        assert not png.inline
        assert log == MailAttachment(
            filename="server.log",
            declared_type="text/x-log",
            data=b"2026-12-05 09:58:01 ERROR license: connection refused (10.0.0.5:7070)\n"
            b"2026-12-05 09:58:02 WARN  retrying in 30 s\n",
            inline=False,
            content_id=None,
        )

    def test_reads_cc_lower_case(self) -> None:
        mail = load("thunderbird_utf8_attachment.eml")

        assert mail.to == ("support@support-desk.local",)
        assert mail.cc == ("it-admin@sev-zvezda.example",)


class TestTheBatKoi8r:
    def test_decodes_koi8r_and_cuts_vy_pisali_quote_and_signature(self) -> None:
        mail = load("thebat_koi8r.eml")

        assert mail.subject == "Re: [TP-2026-000125] Не формируются отчёты"
        assert mail.from_name == "Иван Иванов"
        assert mail.reply_text == (
            "Здравствуйте, Служба.\n\n"
            "Обновление установили, отчёты формируются. Заявку можно закрывать."
        )
        assert "СП> Исправление вошло в обновление 4.2.1" in mail.text
        assert mail.header("X-Mailer") == "The Bat! (v9.5.2) Professional"


class TestNewTickets:
    def test_windows_1251_outlook_message_reads_correctly(self) -> None:
        mail = load("new_ticket_cp1251.eml")

        assert mail.subject == "Ошибка «Недостаточно памяти» при формировании отчёта"
        assert mail.text.startswith("Здравствуйте!\n\nПри формировании квартального отчёта")
        assert 'ошибкой\n"Недостаточно памяти". Версия 4.1.7' in mail.text
        assert mail.in_reply_to is None
        assert mail.references == ()

    def test_koi8r_quoted_printable_message_reads_correctly(self) -> None:
        mail = load("new_ticket_koi8r.eml")

        assert mail.subject == "Не открывается справочник контрагентов"
        assert mail.from_name == "Сергей Волков"
        assert mail.reply_text.endswith("появляется пустое окно и программа перестаёт отвечать.")
        assert "mailto:" not in mail.reply_text  # the "-- " signature is cut
        assert "Сергей Волков" in mail.text

    def test_undeclared_8bit_body_and_subject_are_detected_not_mojibake(self) -> None:
        mail = load("undeclared_8bit.eml")

        assert mail.subject == "Не приходят уведомления на почту"
        assert mail.text.startswith("Добрый день!\n\nНе приходят уведомления о новых заявках")
        assert mail.language == "ru"

    def test_html_only_message_becomes_readable_text(self) -> None:
        mail = load("html_only.eml")

        assert mail.html is not None
        assert "<p>" not in mail.text
        assert "Просим подключить к поддержке ещё два рабочих места:" in mail.text
        assert "Бухгалтерия — Петрова Е. В." in mail.text  # entities and &nbsp; decoded
        assert "Отчёты" in mail.text  # the table's cells
        assert "4.2.1" in mail.text
        assert "p { margin: 0 }" not in mail.text  # styles are not text
        assert "Мария Лебедева" in mail.text
        assert "Мария Лебедева" not in mail.reply_text  # sign-off block cut

    def test_unknown_sender_in_english_is_language_en(self) -> None:
        mail = load("unknown_sender.eml")

        assert mail.language == "en"
        assert mail.from_address == "john.stranger@freemail.example"
        assert mail.text.startswith("Hello,\n\nI bought your software")


class TestDuplicates:
    def test_the_same_message_delivered_twice_has_one_message_id(self) -> None:
        first, second = load("duplicate_a.eml"), load("duplicate_b.eml")

        assert first.message_id == second.message_id
        assert first.message_id == "5f0e7d1c-2b3a-4c5d-8e9f-0a1b2c3d4e5f@romashka-soft.example"
        assert first.header("Received") != second.header("Received")

    def test_a_missing_message_id_is_the_stable_hash_of_the_bytes(self) -> None:
        raw = b"From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"

        assert parse(raw).message_id == "sha256-" + hashlib.sha256(raw).hexdigest()
        assert parse(raw).message_id == parse(raw).message_id


class TestCharsets:
    @pytest.mark.parametrize("codec", ["cp1251", "koi8_r", "utf-8"])
    @pytest.mark.parametrize("text", ["Привет", "ПРИВЕТ ВСЕМ", "Не работает отчёт, помогите!"])
    def test_undeclared_russian_is_detected_even_when_short(self, codec: str, text: str) -> None:
        assert decode_bytes(text.encode(codec)) == text

    @pytest.mark.parametrize(
        ("codec", "label"),
        [
            ("cp1251", "us-ascii"),
            ("cp1251", "iso-8859-1"),
            ("cp1251", "utf-8"),
            ("koi8_r", "windows-1251"),
            ("cp1251", "koi8-r"),
            ("cp1251", "x-unknown"),
        ],
    )
    def test_a_mislabelled_body_is_decoded_by_fallback(self, codec: str, label: str) -> None:
        text = "Не работает модуль отчётов"

        assert decode_bytes(text.encode(codec), label) == text

    def test_a_western_text_is_not_read_as_cyrillic(self) -> None:
        assert decode_bytes("Grüße aus München".encode("cp1252")) == "Grüße aus München"

    def test_declared_win_1251_alias_is_honoured(self) -> None:
        raw = (
            b"From: a@example.com\r\nContent-Type: text/plain; charset=win-1251\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Счёт №7".encode("cp1251")
        )

        assert parse(raw).text == "Счёт №7"


class TestBrokenMail:
    def test_a_broken_base64_part_becomes_a_note_and_the_rest_survives(self) -> None:
        raw = (
            b"From: a@example.com\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nStill readable\r\n"
            b"--b\r\nContent-Type: application/pdf; name=x.pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n--b--\r\n"
        )

        mail = parse(raw)

        assert mail.text.startswith("Still readable")
        assert [a.filename for a in mail.attachments] == ["x.pdf"]

    def test_garbage_bytes_never_raise(self) -> None:
        for raw in (
            b"",
            b"\x00\xff\xfe garbage",
            b"Subject: =?utf-8?B?!!!?=\r\n\r\n\xff",
            b"From: <<<\r\n",
        ):
            mail = parse(raw)
            assert mail.message_id.startswith("sha256-") or mail.message_id

    def test_a_date_without_zone_is_taken_as_utc_and_a_bad_one_is_none(self) -> None:
        good = parse(b"Date: Mon, 7 Dec 2026 10:00:00 -0000\r\n\r\nx")
        bad = parse(b"Date: yesterday-ish\r\n\r\nx")

        assert good.date == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
        assert bad.date is None

    def test_an_encoded_word_filename_and_inline_cid_image(self) -> None:
        raw = (
            b'From: a@example.com\r\nContent-Type: multipart/related; boundary="r"\r\n\r\n'
            b"--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <img src=cid:img1></p>\r\n"
            b"--r\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\n"
            b'Content-Disposition: inline; filename="=?utf-8?B?0YHQutGA0LjQvS5wbmc=?="\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--r--\r\n"
        )

        [image] = parse(raw).attachments

        assert (image.filename, image.inline, image.content_id) == ("скрин.png", True, "img1")
        assert image.data == b"\x89PNG\r\n\x1a\n"


class TestQuotes:
    def test_english_on_wrote_over_two_lines(self) -> None:
        text = "Works now, thanks.\n\nOn Mon, 7 Dec 2026 at 10:00, Support desk\n<support@x> wrote:\n> old"

        assert reply_part(text) == "Works now, thanks."

    def test_outlook_english_header_block_under_a_rule(self) -> None:
        text = "See attached.\n\n________________________________\nFrom: Support\nSent: Monday\n\nold text"

        assert reply_part(text) == "See attached."

    def test_a_message_that_is_only_quote_keeps_its_text(self) -> None:
        assert reply_part("> only quoted\n> lines") == "> only quoted\n> lines"

    def test_prose_mentioning_regards_is_not_a_signature(self) -> None:
        text = "Best regards to your team for the fix.\nIt works."

        assert reply_part(text) == text


class TestHelpers:
    def test_unflow_joins_soft_breaks_and_keeps_hard_ones(self) -> None:
        assert unflow("one \ntwo\nthree", delsp=False) == "one two\nthree"
        assert unflow("sp \nlit", delsp=True) == "split"

    def test_html_to_text_of_nothing_is_empty(self) -> None:
        assert html_to_text("   ") == ""
