"""Attachments' rules, without I/O: limits, safe file names, the sniffed content type.

A file's bytes come from strangers (a customer's mail server, a browser), so nothing it
says about itself is trusted as is: its name loses any path, its declared type is kept
only when the bytes agree or when a browser cannot run it, and its size is checked
against the limits before a byte is stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote
from uuid import UUID

import filetype

from shared.errors import DomainError

OCTET_STREAM = "application/octet-stream"
MAX_FILENAME_CHARS = 200
# Declared types a browser never executes or renders as a page: kept when the bytes have
# no signature to contradict them (plain-text logs, CSV, JSON). Anything else unsniffed
# (text/html, image/svg+xml, application/javascript ...) becomes application/octet-stream,
# so a download cannot turn into a page running script on the desk's origin.
_SAFE_DECLARED = frozenset(
    {
        "text/plain",
        "text/csv",
        "text/tab-separated-values",
        "text/x-log",
        "application/json",
        "application/x-ndjson",
        "message/rfc822",
    }
)
_SEPARATORS = re.compile(r"[\\/]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Source(StrEnum):
    """Where an attachment came from."""

    email = "email"
    api = "api"
    portal = "portal"


class AttachmentTooLarge(DomainError):
    """A file or a message over a limit (413; the detail names the file, its size, the limit)."""

    status, slug, title = 413, "attachment-too-large", "Attachment too large"


@dataclass(frozen=True)
class AttachmentLimits:
    """How much one upload or one mail may carry (settings ``INTAKE_ATTACHMENTS__MAX_*``)."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_message_bytes: int = 25 * 1024 * 1024
    max_files: int = 20


@dataclass(frozen=True)
class IncomingFile:
    """A file as it arrives: the sender's name and type for it, and its bytes."""

    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class Attachment:
    """A stored file of a ticket (the row of table ``attachments``)."""

    id: UUID
    ticket_id: UUID
    comment_id: UUID | None
    filename: str
    content_type: str
    declared_type: str
    size: int
    sha256: str
    backend: str
    storage_key: str
    source: str
    uploaded_by: str
    created_at: datetime
    # Filled by the listing query: the comment it belongs to is internal (staff only).
    internal: bool = field(default=False, compare=False)

    @property
    def download_path(self) -> str:
        """The gateway path that downloads the bytes (under the ticket's access rules)."""
        return download_path(self.ticket_id, self.id)

    def summary(self) -> dict[str, Any]:
        """What a comment or a ticket lists of it (JSON), with the download URL."""
        return {
            "id": str(self.id),
            "filename": self.filename,
            "content_type": self.content_type,
            "size_bytes": self.size,
            "sha256": self.sha256,
            "url": self.download_path,
        }


def download_path(ticket_id: UUID, attachment_id: UUID) -> str:
    """``/api/v1/tickets/{ticket_id}/attachments/{attachment_id}/content``."""
    return f"/api/v1/tickets/{ticket_id}/attachments/{attachment_id}/content"


def check_limits(files: list[IncomingFile], limits: AttachmentLimits) -> None:
    """Refuse (413) too many files, one file too large, or all of them together too large."""
    if len(files) > limits.max_files:
        raise AttachmentTooLarge(
            f"{len(files)} files sent; at most {limits.max_files} may be attached at once. "
            "Send the rest in another upload.",
            slug="too-many-attachments",
            files=len(files),
            limit=limits.max_files,
        )
    for f in files:
        if len(f.data) > limits.max_file_bytes:
            raise AttachmentTooLarge(
                f"File {f.filename!r} has {len(f.data):,} bytes, over the limit of "
                f"{limits.max_file_bytes:,} bytes per file. Compress it or split it.",
                filename=f.filename,
                size=len(f.data),
                limit=limits.max_file_bytes,
            )
    total = sum(len(f.data) for f in files)
    if total > limits.max_message_bytes:
        raise AttachmentTooLarge(
            f"The files together have {total:,} bytes, over the limit of "
            f"{limits.max_message_bytes:,} bytes per message. Send them in several uploads.",
            slug="attachments-too-large",
            size=total,
            limit=limits.max_message_bytes,
        )


def safe_filename(name: str, *, fallback_stem: str, content_type: str) -> str:
    """The name without directories or control characters; a generated one when nothing is left.

    ``..\\..\\boot.ini`` becomes ``boot.ini``; an empty name becomes
    ``attachment-<stem><.ext of the type>``. The name is only ever shown and sent back in
    ``Content-Disposition``; the storage key never contains it.
    """
    cleaned = unicodedata.normalize("NFC", _CONTROL.sub("", name or ""))
    last = _SEPARATORS.split(cleaned)[-1].strip().strip(".").strip()
    if len(last) > MAX_FILENAME_CHARS:
        suffix = PurePosixPath(last).suffix[:20]
        last = last[: MAX_FILENAME_CHARS - len(suffix)] + suffix
    if last:
        return last
    return f"attachment-{fallback_stem}{_extension_of(content_type)}"


def _extension_of(content_type: str) -> str:
    known = {
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "image/gif": ".gif",
        "application/pdf": ".pdf",
        "application/zip": ".zip",
        "text/plain": ".txt",
        "message/rfc822": ".eml",
    }
    return known.get(content_type, ".bin")


def _normal_type(declared: str) -> str:
    return declared.split(";", 1)[0].strip().lower()


def sniff_content_type(data: bytes, declared_type: str) -> str:
    """The type the bytes show (magic numbers); else the declared one if safe; else octet-stream."""
    sniffed = _sniff(data)
    if sniffed:
        return sniffed
    declared = _normal_type(declared_type)
    if declared in _SAFE_DECLARED and _looks_textual(data, declared):
        return declared
    return OCTET_STREAM


def _sniff(data: bytes) -> str | None:
    """The type of the bytes' magic number (binary formats only: images, PDF, archives ...)."""
    if not data:
        return None
    # filetype reads the first 8 KiB and knows binary signatures only: text formats
    # (HTML, SVG, scripts) are never "sniffed", so they fall to the declared-type rule.
    mime: str | None = filetype.guess_mime(data[:8192])
    return mime.lower() if mime else None


def _looks_textual(data: bytes, declared: str) -> bool:
    """A declared text type is believed only for bytes without NULs (not a disguised binary)."""
    return declared == "message/rfc822" or b"\x00" not in data[:8192]


def content_disposition(filename: str) -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`` (RFC 6266)."""
    ascii_name = (
        unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode() or "attachment"
    )
    ascii_name = re.sub(r'["\\]', "_", ascii_name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of the bytes (the ETag of a download)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """A file checked and described, ready to store: its row and its bytes."""

    attachment: Attachment
    data: bytes


def prepare(
    files: list[IncomingFile],
    *,
    ticket_id: UUID,
    comment_id: UUID | None,
    source: Source,
    uploaded_by: str,
    backend: str,
    limits: AttachmentLimits,
    now: datetime,
    new_id: Callable[[], UUID],
) -> list[Prepared]:
    """Check the limits and describe each file: safe name, sniffed type, size, SHA-256, key."""
    check_limits(files, limits)
    prepared = []
    for f in files:
        attachment_id = new_id()
        content_type = sniff_content_type(f.data, f.declared_type)
        name = safe_filename(
            f.filename, fallback_stem=str(attachment_id)[-12:], content_type=content_type
        )
        row = Attachment(
            id=attachment_id,
            ticket_id=ticket_id,
            comment_id=comment_id,
            filename=name,
            content_type=content_type,
            declared_type=_normal_type(f.declared_type)[:200] or OCTET_STREAM,
            size=len(f.data),
            sha256=sha256_of(f.data),
            backend=backend,
            storage_key=f"{ticket_id}/{attachment_id}",
            source=source,
            uploaded_by=uploaded_by,
            created_at=now,
        )
        prepared.append(Prepared(row, f.data))
    return prepared


def already_attached(prepared: Prepared, existing: list[Attachment]) -> Attachment | None:
    """The same file (name and bytes) already on the same comment, or on the ticket itself.

    A mail processed again after a crash, or an upload retried after a lost answer,
    finds its files here and stores nothing twice.
    """
    a = prepared.attachment
    return next(
        (
            e
            for e in existing
            if e.comment_id == a.comment_id and e.filename == a.filename and e.sha256 == a.sha256
        ),
        None,
    )
