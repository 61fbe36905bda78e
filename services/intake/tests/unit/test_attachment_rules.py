"""Attachments' pure rules: limits, safe file names, the sniffed type, the download header."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime

import pytest

from intake.domain.attachments import (
    OCTET_STREAM,
    AttachmentLimits,
    AttachmentTooLarge,
    IncomingFile,
    Source,
    content_disposition,
    prepare,
    safe_filename,
    sniff_content_type,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("posting.log", "error 42\n" * 50)
    return buffer.getvalue()


class TestLimits:
    LIMITS = AttachmentLimits(max_file_bytes=100, max_message_bytes=150, max_files=2)

    def test_a_file_over_the_limit_is_named_with_its_size_and_the_limit(self) -> None:
        with pytest.raises(AttachmentTooLarge) as refused:
            prepare(
                [IncomingFile("dump.bin", "application/octet-stream", b"x" * 101)],
                **self._where(),
            )

        assert refused.value.status == 413
        assert "'dump.bin' has 101 bytes" in refused.value.detail
        assert refused.value.extensions == {"filename": "dump.bin", "size": 101, "limit": 100}

    def test_files_together_over_the_message_limit(self) -> None:
        files = [IncomingFile(f"{n}.txt", "text/plain", b"x" * 80) for n in range(2)]

        with pytest.raises(AttachmentTooLarge, match="160 bytes, over the limit of 150"):
            prepare(files, **self._where())

    def test_too_many_files(self) -> None:
        files = [IncomingFile(f"{n}.txt", "text/plain", b"x") for n in range(3)]

        with pytest.raises(AttachmentTooLarge, match="at most 2") as refused:
            prepare(files, **self._where())
        assert refused.value.slug == "too-many-attachments"

    def test_exactly_at_the_limits_is_accepted(self) -> None:
        files = [IncomingFile("a.txt", "text/plain", b"x" * 100), IncomingFile("b", "", b"y" * 50)]

        prepared = prepare(files, **self._where())

        assert [p.attachment.size for p in prepared] == [100, 50]

    def _where(self) -> dict[str, object]:
        ticket_id = uuid.uuid4()
        return {
            "ticket_id": ticket_id,
            "comment_id": None,
            "source": Source.api,
            "uploaded_by": "agent:eng",
            "backend": "postgres",
            "limits": self.LIMITS,
            "now": datetime(2026, 12, 7, tzinfo=UTC),
            "new_id": uuid.uuid4,
        }


class TestSafeFilename:
    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("report.pdf", "report.pdf"),
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\ivan\\Desktop\\скриншот 1.png", "скриншот 1.png"),
            ("evil\x00name\r\n.txt", "evilname.txt"),
            ("  spaced.log  ", "spaced.log"),
        ],
    )
    def test_keeps_only_the_last_segment_without_control_characters(
        self, given: str, kept: str
    ) -> None:
        assert safe_filename(given, fallback_stem="x", content_type="text/plain") == kept

    @pytest.mark.parametrize("given", ["", "/", "..", "dir/", "\x00"])
    def test_nothing_left_gets_a_generated_name_with_the_types_extension(self, given: str) -> None:
        assert safe_filename(given, fallback_stem="ab12", content_type="image/png") == (
            "attachment-ab12.png"
        )

    def test_a_very_long_name_is_cut_keeping_its_extension(self) -> None:
        name = safe_filename("a" * 500 + ".log", fallback_stem="x", content_type="text/plain")

        assert len(name) == 200
        assert name.endswith(".log")


class TestSniffing:
    @pytest.mark.parametrize(
        ("data", "declared", "expected"),
        [
            (PNG, "application/octet-stream", "image/png"),
            (PNG, "text/plain", "image/png"),  # the bytes win over the declared type
            (PDF, "application/x-whatever", "application/pdf"),
            (_zip(), "application/zip", "application/zip"),
            (b"plain log line\n", "text/plain; charset=utf-8", "text/plain"),
            (b'{"a": 1}', "application/json", "application/json"),
            # Types a browser would run or render are never believed from the sender.
            (b"<html><script>alert(1)</script>", "text/html", OCTET_STREAM),
            (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", OCTET_STREAM),
            (b"alert(1)", "application/javascript", OCTET_STREAM),
            # A "text" file with NULs is a disguised binary.
            (b"MZ\x00\x00\x00 not text", "text/plain", "application/x-msdownload"),
            (b"\x00\x01\x02 binary", "text/plain", OCTET_STREAM),
            (b"", "", OCTET_STREAM),
        ],
    )
    def test_the_bytes_decide_else_a_safe_declared_type_else_octet_stream(
        self, data: bytes, declared: str, expected: str
    ) -> None:
        assert sniff_content_type(data, declared) == expected


class TestContentDisposition:
    def test_an_ascii_fallback_and_the_utf8_name(self) -> None:
        header = content_disposition('отчёт "итог".pdf')

        assert header.startswith('attachment; filename="')
        assert header.endswith(
            "filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%22%D0%B8%D1%82%D0%BE%D0%B3%22.pdf"
        )
        assert '"' not in header.split('filename="', 1)[1].split('";', 1)[0]
