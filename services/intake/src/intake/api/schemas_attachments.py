"""HTTP schemas of attachments (the upload itself is multipart/form-data, not JSON)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from intake.api.schemas import CommentRead
from intake.domain.attachments import Attachment


class AttachmentRead(BaseModel):
    """A stored file of a ticket; ``url`` downloads its bytes through the gateway."""

    id: UUID
    ticket_id: UUID
    comment_id: UUID | None
    filename: str
    content_type: str = Field(description="Sniffed from the bytes, not taken from the sender")
    size: int = Field(description="Bytes")
    sha256: str = Field(description="Hex SHA-256 of the bytes (also the download's ETag)")
    source: str = Field(description="email, api or portal")
    uploaded_by: str
    created_at: datetime
    url: str

    @classmethod
    def of(cls, a: Attachment) -> AttachmentRead:
        """Map a stored attachment to its HTTP representation."""
        return cls(
            id=a.id,
            ticket_id=a.ticket_id,
            comment_id=a.comment_id,
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            source=a.source,
            uploaded_by=a.uploaded_by,
            created_at=a.created_at,
            url=a.download_path,
        )


class UploadRead(BaseModel):
    """What an upload stored, and the public comment that carries the files (if text was sent)."""

    attachments: list[AttachmentRead]
    comment: CommentRead | None = None
